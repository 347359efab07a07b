"""iCalendar (RFC 5545) files of the unit's events, built with the `icalendar` library.

Times are written in the event's own zone (DTSTART;TZID=…) with the matching VTIMEZONE, so
a calendar shows them right wherever its owner lives. The UID is stable per event, so a
subscribed calendar updates an event instead of duplicating it.
"""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

PRODID = "-//Mercociudades UTDS//Events//EN"


def event_uid(event) -> str:
    return f"event-{event.pk}@utds"


def _location(event) -> str:
    parts = [event.place]
    if event.host_city:
        parts.append(f"{event.host_city.name} ({event.host_city.country.code})")
    if event.online_url:
        parts.append(event.online_url)
    return " · ".join(part for part in parts if part)


def _vevent(event, stamp: datetime.datetime) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", stamp)
    item.add("created", event.created_at.astimezone(datetime.UTC))
    item.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    item.add("dtstart", event.local_starts_at)
    item.add("dtend", event.local_ends_at)
    item.add("summary", event.title)
    if event.description:
        item.add("description", event.description)
    location = _location(event)
    if location:
        item.add("location", location)
    item.add("url", f"{settings.PORTAL_URL}{event.get_absolute_url()}")
    item.add("categories", [event.get_kind_display()])
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return item


def build_calendar(events, *, name: str) -> bytes:
    """The events as one VCALENDAR, with a VTIMEZONE for every zone they use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
