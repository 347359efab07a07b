"""Participation: what a city attended, upcoming events, the secretariat's summary page."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from events import queries
from tests.events.conftest import en, make_event, make_registration, url
from tests.factories import CityFactory
from utds import figures

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_attended_by_city_groups_confirmed_ended_events_by_year(ana, city_a, city_b, event):
    recent = make_event(title="Recent", starts_at=days_ago(30))
    older = make_event(title="Older", starts_at=days_ago(400))
    cancelled = make_event(title="Cancelled", starts_at=days_ago(20), cancelled=True)
    waited = make_event(title="Waited", starts_at=days_ago(10))
    for attended in (recent, older, cancelled, event):
        make_registration(attended, city_a, user=ana)
    make_registration(waited, city_a, status="waiting", waiting_position=1)
    make_registration(older, city_b)
    participation = queries.attended_by_city(city_a)
    events = [e for year in participation for e in year.events]
    assert events == [recent, older]
    assert [year.year for year in participation] == sorted({recent.year, older.year}, reverse=True)


def test_city_participation_partial_renders_h3_per_year(ana, city_a):
    attended = make_event(title="Summit", starts_at=days_ago(30))
    make_registration(attended, city_a, user=ana)
    with translation.override("en"):
        html = render_to_string(
            "events/_city_participation.html",
            {"participation": queries.attended_by_city(city_a)},
        )
        empty = render_to_string("events/_city_participation.html", {"participation": []})
    assert f"<h3>{attended.year}</h3>" in html and "<h2" not in html
    assert "Summit" in html
    assert "has not attended" in empty


def test_upcoming_events_skips_past_and_cancelled(event, past_event):
    make_event(cancelled=True)
    later = make_event(starts_at=timezone.now() + datetime.timedelta(days=40))
    assert queries.upcoming_events(5) == [event, later]
    assert queries.upcoming_events(1) == [event]


def test_participation_counts_events_attended_in_12_and_24_months(city_a, city_b):
    idle = CityFactory(name="Idle", slug="idle-ar")
    for days in (30, 200, 500):
        make_registration(make_event(starts_at=days_ago(days)), city_a)
    make_registration(make_event(starts_at=days_ago(500)), city_b)
    # neither a future event nor a cancelled one counts
    make_registration(make_event(starts_at=days_ago(-5)), idle)
    make_registration(make_event(starts_at=days_ago(5), cancelled=True), idle)
    active = figures.participation_by_city()
    counts = {c.slug: (c.last_12, c.last_24) for c in active}
    assert counts == {"quilmes-ar": (2, 3), "porto-alegre-br": (0, 1)}
    assert [c.slug for c in active] == ["quilmes-ar", "porto-alegre-br"]


def test_participation_page_is_for_the_secretariat_only(
    visitor, ana_client, bruno_client, sofia_client, city_a
):
    path = url("events:participation")
    assert visitor.get(path).status_code == 302
    assert ana_client.get(path).status_code == 403
    assert bruno_client.get(path).status_code == 403
    make_registration(make_event(starts_at=days_ago(30)), city_a)
    response = sofia_client.get(en("events:participation"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Quilmes" in content
    assert content.count("<caption id=") == 2
    assert "How we count" in content
    # the inactive list is the dashboard's: no activity of any kind
    inactive = content[content.index('id="inactive-heading"') :]
    assert "Porto Alegre" in inactive and "Quilmes" not in inactive
