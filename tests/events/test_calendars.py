"""The iCalendar files, parsed back with `icalendar` and checked field by field."""

import datetime
import zoneinfo
from unittest import mock

import icalendar
import pytest
from django.utils import timezone

from cities.models import City, WorkingGroup
from events import calendars
from events.models import Event
from tests.events.conftest import make_event, url

pytestmark = pytest.mark.django_db


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_event_ics_is_valid_and_complete(visitor, event, city_a, settings):
    settings.PORTAL_URL = "https://utds.example.org"
    event.host_city = city_a
    event.place = "Town hall"
    event.description = "Line one\n\nLine two"
    event.save()
    calendar = parse(visitor.get(url("events:event_ics", slug=event.slug)))
    assert str(calendar["VERSION"]) == "2.0"
    assert "Mercociudades" in str(calendar["PRODID"])
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"event-{event.pk}@utds"
    assert vevent["DTSTAMP"].dt.tzinfo is not None
    start = vevent["DTSTART"]
    assert start.params["TZID"] == "America/Montevideo"
    assert start.dt == event.starts_at
    assert start.dt.hour == 18
    assert vevent["DTEND"].dt == event.ends_at
    assert str(vevent["SUMMARY"]) == "Meeting of social ministers"
    assert str(vevent["DESCRIPTION"]) == "Line one\n\nLine two"
    assert "Town hall" in str(vevent["LOCATION"]) and "Quilmes" in str(vevent["LOCATION"])
    assert str(vevent["URL"]) == f"https://utds.example.org/events/{event.slug}/"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "America/Montevideo"


def test_uid_is_stable_and_cancelled_events_say_so(visitor, event):
    first = parse(visitor.get(url("events:event_ics", slug=event.slug))).walk("VEVENT")[0]
    event.cancelled = True
    event.title = "Renamed"
    event.save()
    second = parse(visitor.get(url("events:event_ics", slug=event.slug))).walk("VEVENT")[0]
    assert str(first["UID"]) == str(second["UID"])
    assert str(second["STATUS"]) == "CANCELLED"


def test_feed_has_upcoming_and_last_years_events_only(visitor, event, past_event):
    ancient = make_event(starts_at=timezone.now() - datetime.timedelta(days=500))
    calendar = parse(visitor.get(url("events:calendar")))
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {f"event-{event.pk}@utds", f"event-{past_event.pk}@utds"}
    assert f"event-{ancient.pk}@utds" not in uids


def test_feed_mixes_zones_with_a_vtimezone_each(visitor, event):
    make_event(time_zone="America/Sao_Paulo")
    calendar = parse(visitor.get(url("events:calendar")))
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert zones == {"America/Montevideo", "America/Sao_Paulo"}
    sao_paulo = [
        e for e in calendar.walk("VEVENT") if e["DTSTART"].params["TZID"] != "America/Montevideo"
    ]
    assert sao_paulo[0]["DTSTART"].dt.tzinfo == zoneinfo.ZoneInfo("America/Sao_Paulo")


def test_feed_filters_by_group_and_kind(visitor, event, past_event):
    group = WorkingGroup.objects.create(
        slug="human-rights", name_es="DDHH", name_pt_br="DH", name_en="Human rights"
    )
    joint = make_event(working_group=group)
    by_group = parse(visitor.get(url("events:calendar"), {"group": "human-rights"}))
    assert [str(e["UID"]) for e in by_group.walk("VEVENT")] == [f"event-{joint.pk}@utds"]
    by_kind = parse(visitor.get(url("events:calendar"), {"kind": "summit"}))
    assert [str(e["UID"]) for e in by_kind.walk("VEVENT")] == [f"event-{past_event.pk}@utds"]


@pytest.mark.parametrize("query", [{"kind": "party"}, {"group": "nope"}, {"group": "a\x00"}])
def test_feed_answers_400_to_unknown_filters(visitor, query):
    response = visitor.get("/en" + url("events:calendar"), query)
    assert response.status_code == 400
    assert b"Unknown" in response.content


def test_ics_of_unknown_event_is_404(visitor):
    assert visitor.get(url("events:event_ics", slug="none")).status_code == 404


def test_vtimezone_is_built_once_per_zone_for_many_events(visitor, event, monkeypatch):
    calls = []
    real = icalendar.Timezone.from_tzid

    def counting(tzid, *args, **kwargs):
        calls.append(tzid)
        return real(tzid, *args, **kwargs)

    monkeypatch.setattr(icalendar.Timezone, "from_tzid", counting)
    calendars.vtimezone.cache_clear()
    for _ in range(8):
        make_event()
    make_event(time_zone="America/Sao_Paulo")
    for _ in range(3):
        calendar = parse(visitor.get(url("events:calendar")))
        assert len(calendar.walk("VEVENT")) == 10
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [
            "America/Montevideo",
            "America/Sao_Paulo",
        ]
    parse(visitor.get(url("events:event_ics", slug=event.slug)))
    assert sorted(calls) == ["America/Montevideo", "America/Sao_Paulo"]


def test_feed_matches_the_library_built_calendar(event, past_event, city_a, settings):
    """The spliced file is the one `icalendar` builds from whole components, byte for byte
    (the zones in name order), however often it is built."""
    settings.PORTAL_URL = "https://utds.example.org"
    event.host_city = city_a
    event.place = 'Sala; "Grande", piso 2 \\ anexo'
    event.online_url = "https://meet.example.org/" + "x" * 90
    event.description = "Ação social, cidades e cuidados — " * 6 + "\nfim"
    event.save()
    make_event(time_zone="America/Sao_Paulo", cancelled=True, title="Ñandú " * 20)
    events = list(Event.objects.for_calendar().order_by("starts_at", "pk"))
    stamp = timezone.now().replace(microsecond=0)
    reference = icalendar.Calendar()
    for key, value in [
        ("prodid", calendars.PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("x-wr-calname", "UTDS events"),
    ]:
        reference.add(key, value)
    for zone in ["America/Montevideo", "America/Sao_Paulo"]:
        reference.add_component(icalendar.Timezone.from_tzid(zone))
    for item in events:
        vevent = calendars.vevent_without_stamp(item)
        vevent.add("dtstamp", stamp.astimezone(datetime.UTC))
        reference.add_component(vevent)
    with mock.patch("django.utils.timezone.now", return_value=stamp):
        first = calendars.build_calendar(events, name="UTDS events")
        second = calendars.build_calendar(events, name="UTDS events")
    assert first == second == reference.to_ical()


def test_a_renamed_host_city_shows_in_the_feed(visitor, event, city_a):
    event.host_city = city_a
    event.save()
    before = parse(visitor.get(url("events:calendar"))).walk("VEVENT")[0]
    assert "Quilmes (AR)" in str(before["LOCATION"])
    City.objects.filter(pk=city_a.pk).update(name="Quilmes Oeste")
    after = parse(visitor.get(url("events:calendar"))).walk("VEVENT")[0]
    assert "Quilmes Oeste (AR)" in str(after["LOCATION"])
