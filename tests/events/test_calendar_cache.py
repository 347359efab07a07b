"""The iCalendar files in the anonymous page cache (core/cache.py): stored for visitors,
one copy per full path (filters included), renewed by any change to an event, never
filled or read by members, and never for a 400."""

import icalendar
import pytest
from django.core.cache import cache
from django.test import override_settings

from core import cache as page_cache
from tests.events.conftest import en, make_event
from tests.test_cache import BACKENDS

pytestmark = pytest.mark.django_db


@pytest.fixture(params=list(BACKENDS))
def cached(request):
    """The page cache switched on, on each backend (as in tests/test_cache.py)."""
    with override_settings(CACHES={"default": BACKENDS[request.param]}, CACHE_PAGES_SECONDS=300):
        cache.delete(page_cache.GENERATION_KEY)
        yield request.param


def summaries(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return sorted(str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT"))


@pytest.mark.parametrize("name", ["events:calendar", "events:event_ics"])
def test_second_anonymous_request_is_served_from_the_cache_without_queries(
    cached, visitor, event, name, django_assert_num_queries
):
    path = en(name, slug=event.slug) if name == "events:event_ics" else en(name)
    first = visitor.get(path)
    assert first["X-Page-Cache"] == "miss"
    assert first["Cache-Control"] == "public, max-age=60"
    with django_assert_num_queries(0):
        second = visitor.get(path)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == "text/calendar; charset=utf-8"
    assert summaries(second) == ["Meeting of social ministers"]


def test_each_filter_is_a_copy_of_its_own(cached, visitor, event, past_event):
    feed = en("events:calendar")
    assert summaries(visitor.get(feed)) == ["Meeting of social ministers", "Social Summit 2024"]
    summits = visitor.get(feed, {"kind": "summit"})
    assert summits["X-Page-Cache"] == "miss"
    assert summaries(summits) == ["Social Summit 2024"]
    again = visitor.get(feed, {"kind": "summit"})
    assert again["X-Page-Cache"] == "hit"
    assert summaries(again) == ["Social Summit 2024"]
    assert visitor.get(feed)["X-Page-Cache"] == "hit"


def test_a_changed_event_shows_at_once(cached, visitor, event):
    feed = en("events:calendar")
    visitor.get(feed)
    assert visitor.get(feed)["X-Page-Cache"] == "hit"
    event.title = "Meeting of social ministers (moved)"
    event.save()
    response = visitor.get(feed)
    assert response["X-Page-Cache"] == "miss"
    assert summaries(response) == ["Meeting of social ministers (moved)"]


def test_a_new_event_shows_at_once(cached, visitor, event):
    feed = en("events:calendar")
    visitor.get(feed)
    make_event(title="Webinar on care")
    response = visitor.get(feed)
    assert response["X-Page-Cache"] == "miss"
    assert summaries(response) == ["Meeting of social ministers", "Webinar on care"]


def test_members_neither_read_nor_fill_the_copy(cached, visitor, ana_client, event):
    feed = en("events:calendar")
    member = ana_client.get(feed)
    assert "X-Page-Cache" not in member
    assert "no-store" in member["Cache-Control"]
    assert visitor.get(feed)["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in ana_client.get(feed)


def test_an_unknown_filter_is_answered_400_and_not_stored(cached, visitor, event):
    feed = en("events:calendar")
    for _ in range(2):
        response = visitor.get(feed, {"kind": "party"})
        assert response.status_code == 400
        assert "X-Page-Cache" not in response
