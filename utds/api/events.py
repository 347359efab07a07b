"""The open API's list of the unit's public events (never registrations or delegates)."""

from typing import Literal

from ninja import Field, Router

from events import queries as event_queries
from events.filters import EventFilter

from . import schemas as s
from .listing import ListParams, absolute_url, city_ref, line_ref, list_operation, term_ref

router = Router(tags=["events"])


class EventParams(ListParams):
    kind: Literal["summit", "meeting", "workshop", "webinar", "assembly"] | None = None
    group: str | None = Field(None, description="Slug of a working group.")
    country: str | None = Field(None, description="ISO code of the host city's country.")
    year: int | None = Field(None, ge=1995, le=2100)


@list_operation(
    router,
    "/events",
    s.EventOut,
    "The unit's events",
    EventParams,
    lambda: event_queries.public_events(),
    ("-starts_at", "-pk"),
    EventFilter,
)
def _event(request, event) -> dict:
    """Latest first, with the filters of the events page (never registrations or
    delegates)."""
    host, group = event.host_city, event.working_group
    return {
        "slug": event.slug,
        "title": event.title,
        "kind": event.kind,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "place": event.place,
        "host_city": city_ref(host) if host else None,
        "working_group": term_ref(group) if group else None,
        "lines": [line_ref(line) for line in event.lines.all()],
        "description": event.description,
        "registration_open": event.registration_open,
        "cancelled": event.cancelled,
        "updated_at": event.updated_at,
        "url": absolute_url(request, event),
    }
