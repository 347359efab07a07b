"""Events in the site search: accent-insensitive, every word must match."""

import pytest

from events.queries import search_events
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def test_search_events_ignores_accents_and_case(city_a):
    summit = make_event(title="Cumbre Social de Niñez", host_city=city_a)
    make_event(title="Webinar de vivienda")
    assert list(search_events("cumbre ninez")) == [summit]
    assert list(search_events("QUILMES")) == [summit]
    assert list(search_events("cumbre vivienda")) == []


def test_search_events_with_nothing_to_search_finds_nothing():
    make_event(title="Cumbre")
    assert list(search_events("   ")) == []


def test_site_search_groups_events(visitor):
    make_event(title="Encuentro de coordinación", slug="encuentro-coordinacion")
    response = visitor.get("/en/search/", {"q": "encuentro coordinacion"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/en/events/encuentro-coordinacion/"' in html
