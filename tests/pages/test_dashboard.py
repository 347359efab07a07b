"""/dashboard/: a coordinator's cities, profile checks, stale contacts, practices in progress,
open events and funding calls; the secretariat's participation panel."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.text import slugify

from events.models import Event, Registration
from experiences.models import Practice
from mapping.models import CityProblem, IndicatorValue
from tests.experiences.conftest import create_practice
from tests.factories import (
    CityCoordinatorFactory,
    CityFactory,
    FocalPointFactory,
    UserFactory,
    make_application,
    make_funding_call,
)
from tests.http import assert_shows
from tests.mapping.factories import IndicatorFactory, SocialProblemFactory

URL = "/en/dashboard/"


# --- Builders (also used by test_dashboard_secretariat.py) ----------------------------


def make_event(title, *, days=10, registration_open=True, cancelled=False):
    starts_at = timezone.now() + datetime.timedelta(days=days)
    return Event.objects.create(
        title=title,
        slug=slugify(title),
        kind=Event.Kind.MEETING,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        time_zone="America/Montevideo",
        registration_open=registration_open,
        cancelled=cancelled,
    )


def register(event, city, status=Registration.Status.CONFIRMED):
    return Registration.objects.create(event=event, city=city, attendees=1, status=status)


def make_call(title, *, closes_in):
    return make_funding_call(
        title, funder="Banco Ejemplo", summary="What it funds.", closes_in_days=closes_in
    )


def add_problem(city, year):
    return CityProblem.objects.create(
        city=city,
        problem=SocialProblemFactory(),
        year=year,
        priority=1,
        source="Municipal survey",
    )


def add_value(city, year):
    return IndicatorValue.objects.create(
        city=city, indicator=IndicatorFactory(), year=year, value=Decimal("10.0"), source="INE"
    )


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_visitor_is_sent_to_log_in(visitor, db):
    response = visitor.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_coordinator_sees_their_city_with_profile_and_edit_links(ana_client, city_b):
    response = ana_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your cities" in html
    assert 'href="/en/cities/quilmes-ar/"' in html
    assert 'href="/en/cities/quilmes-ar/edit/"' in html
    assert 'href="/en/mapping/cities/quilmes-ar/edit/"' in html  # the profile grid
    assert "Porto Alegre" not in html
    assert "Participation in the network" not in html


def test_other_coordinator_sees_only_their_own_city(bruno_client, city_a):
    html = bruno_client.get(URL).content.decode()
    assert 'href="/en/cities/porto-alegre-br/"' in html
    assert "quilmes-ar" not in html


def test_coordinator_sees_contacts_needing_confirmation(ana_client, city_a, city_b):
    FocalPointFactory(city=city_a, name="Old Contact", last_confirmed_on=days_ago(400))
    FocalPointFactory(city=city_a, name="Fresh Contact", last_confirmed_on=days_ago(5))
    FocalPointFactory(city=city_b, name="Other City Contact", last_confirmed_on=days_ago(400))
    response = ana_client.get(URL)
    assert [fp.name for fp in response.context["stale_focal_points"]] == ["Old Contact"]
    html = response.content.decode()
    assert "Contacts to confirm" in html
    assert "Old Contact" in html
    assert "Fresh Contact" not in html
    assert "Other City Contact" not in html


def test_coordinator_with_fresh_contacts_is_told_all_is_confirmed(ana_client, city_a):
    FocalPointFactory(city=city_a, last_confirmed_on=days_ago(5))
    html = ana_client.get(URL).content.decode()
    assert "All the contacts of your cities have been confirmed" in html


def test_user_without_cities_is_told_how_to_get_one(db, client, settings):
    client.force_login(UserFactory(email="new@example.org"))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You do not coordinate any city yet." in html
    assert f"mailto:{settings.CONTACT_EMAIL}" in html


def test_secretariat_sees_the_participation_panel(sofia_client, ana, city_a, city_b):
    CityFactory(name="Ex Ciudad", slug="ex-ciudad-ar", status="former")
    FocalPointFactory(city=city_b, last_confirmed_on=days_ago(400))
    make_application(language="es")
    response = sofia_client.get(URL)
    assert response.status_code == 200
    assert response.context["participation"] == {
        "total": 2,
        "coordinated": 1,
        "stale": 1,
        "pending_applications": 1,
    }
    assert_shows(
        response.content.decode(),
        "Participation in the network",
        "1 of 2 member cities.",
        'href="/en/admin/cities/membershipapplication/?pending=yes"',
        'href="/en/admin/cities/city/?stale=yes"',
    )


def test_coordinator_sees_an_incomplete_profile(ana_client, city_a):
    response = ana_client.get(URL)
    (city,) = response.context["cities"]
    assert city.checks_done < len(city.checks)
    html = response.content.decode()
    assert "Problems updated in the last 12 months" in html
    assert "missing" in html
    assert "updated within the last 12 months" in html


def test_recent_problems_values_and_fresh_contacts_count_as_current(ana_client, city_a):
    year = timezone.localdate().year
    city_a.summary = "A city by the river."
    city_a.save(update_fields=["summary"])
    add_problem(city_a, year)
    add_value(city_a, year - 1)  # updated now, so current whatever its year
    FocalPointFactory(city=city_a, last_confirmed_on=days_ago(5))
    (city,) = ana_client.get(URL).context["cities"]
    assert city.checks_done == len(city.checks) == 5


def test_coordinator_sees_only_their_drafts_and_practices_in_review(ana_client, city_a, city_b):
    mine = create_practice(city_a, "Mesas de niñez", status=Practice.Status.DRAFT)
    waiting = create_practice(city_a, "Huertas urbanas", status=Practice.Status.IN_REVIEW)
    create_practice(city_a, "Ya publicada")
    create_practice(city_b, "Rascunho de Porto Alegre", status=Practice.Status.DRAFT)
    response = ana_client.get(URL)
    assert {p.pk for p in response.context["in_progress"]} == {mine.pk, waiting.pk}
    html = response.content.decode()
    assert f'href="/en/practices/{mine.slug}/edit/"' in html
    assert f'href="/en/practices/{waiting.slug}/edit/"' in html
    assert "Rascunho de Porto Alegre" not in html
    assert "Ya publicada" not in html


def test_coordinator_sees_open_events_and_whether_their_city_is_registered(
    ana_client, city_a, city_b
):
    registered = make_event("Social ministers meeting")
    register(registered, city_a)
    other = make_event("Youth forum", days=20)
    register(other, city_b)
    make_event("Closed workshop", registration_open=False)
    make_event("Cancelled summit", cancelled=True)
    response = ana_client.get(URL)
    events = {event.title: event.registered for event in response.context["open_events"]}
    assert events == {"Social ministers meeting": ["Quilmes"], "Youth forum": []}
    html = response.content.decode()
    assert 'href="/en/events/social-ministers-meeting/"' in html
    assert "Not registered yet" in html
    assert "Porto Alegre" not in html


def test_coordinator_sees_funding_calls_closing_within_60_days(ana_client, city_a):
    make_call("Closes soon", closes_in=20)
    make_call("Closes later", closes_in=90)
    response = ana_client.get(URL)
    assert [call.title for call in response.context["funding_calls"]] == ["Closes soon"]
    assert 'href="/en/funding/closes-soon/"' in response.content.decode()


def test_coordinator_does_not_see_the_monitoring(ana_client, city_a):
    response = ana_client.get(URL)
    assert "yearly_tables" not in response.context
    assert "Monitoring and evaluation" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_coordinator_dashboard_queries_do_not_grow_with_data(
    db, client, count, django_assert_max_num_queries
):
    # Guards the N+1 of checking each city's profile, contacts, drafts and registrations.
    user = UserFactory(email="many@example.org")
    year = timezone.localdate().year
    for number in range(count):
        city = CityFactory(name=f"Ciudad {number}", slug=f"ciudad-{number}-ar")
        CityCoordinatorFactory(user=user, city=city)
        FocalPointFactory(city=city, last_confirmed_on=days_ago(400))
        add_problem(city, year)
        create_practice(city, f"Borrador {number}", status=Practice.Status.DRAFT)
        register(make_event(f"Event {number}", days=number + 1), city)
        make_call(f"Call {number}", closes_in=number + 1)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["cities"]) == count
    assert len(response.context["stale_focal_points"]) == count
    assert len(response.context["in_progress"]) == count
    if count > 1:  # suggestions for her first city; the others link to their own panels
        assert f'href="{city.get_absolute_url()}"' in response.content.decode()


def test_secretariat_panel_costs_a_fixed_number_of_queries(
    sofia_client, django_assert_max_num_queries
):
    for number in range(15):
        city = CityFactory(name=f"Ciudad {number}", slug=f"ciudad-{number}-ar")
        CityCoordinatorFactory(city=city)
    with django_assert_max_num_queries(20):
        assert sofia_client.get(URL).status_code == 200
