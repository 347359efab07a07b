"""What the portal pages read about events (the city profile, the home page, dashboards)."""

from dataclasses import dataclass, field
from itertools import groupby

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Q, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import City

from .models import Event, Registration


@dataclass
class YearOfEvents:
    year: int
    events: list = field(default_factory=list)


def attended_by_city(city) -> list[YearOfEvents]:
    """The events the city attended (confirmed, ended, not cancelled), latest year first,
    each year's events latest first. One query."""
    events = list(
        Event.objects.filter(registrations__in=Registration.objects.attended().filter(city=city))
        .with_card_data()
        .order_by("-starts_at", "pk")
    )
    return [
        YearOfEvents(year, list(items)) for year, items in groupby(events, key=lambda e: e.year)
    ]


def upcoming_events(limit: int = 3):
    """The next events that are not cancelled (those under way included), soonest first,
    each with `upcoming_total`: how many there are in all (for the home page). One query."""
    return list(
        Event.objects.upcoming()
        .filter(cancelled=False)
        .with_card_data()
        .annotate(upcoming_total=Window(Count("pk")))
        .order_by("starts_at", "pk")[:limit]
    )


def upcoming_trainings(limit: int = 5):
    """The next workshops and webinars that are not cancelled, soonest first (for the page
    that welcomes new member cities). One query."""
    return list(
        Event.objects.upcoming()
        .filter(cancelled=False, kind__in=[Event.Kind.WORKSHOP, Event.Kind.WEBINAR])
        .with_card_data()
        .order_by("starts_at", "pk")[:limit]
    )


def participating_cities(event) -> list[City]:
    """The cities that attended the event (Registration.objects.attended), by name; none
    before it has ended."""
    attended = Registration.objects.attended().filter(event=event)
    return list(City.objects.filter(event_registrations__in=attended).order_by("sort_name", "pk"))


def group_by_period(events, now=None) -> list[tuple[str, int | None, list]]:
    """A page of events (ordered upcoming first) split into ("upcoming", None, [...]) and
    ("past", year, [...]) groups for the list page."""
    now = now or timezone.now()
    groups = []
    for key, items in groupby(
        events, key=lambda e: ("upcoming", None) if e.ends_at >= now else ("past", e.year)
    ):
        groups.append((key[0], key[1], list(items)))
    return groups


def map_data(event) -> dict | None:
    """The marker of the host city for the tile-free map, or None without coordinates."""
    city = event.host_city
    if city is None or not city.has_coordinates:
        return None
    return {
        "markers": [
            {
                "lat": float(city.latitude),
                "lon": float(city.longitude),
                "name": city.name,
                "url": city.get_absolute_url(),
            }
        ],
        "labels": {"zoomIn": _("Zoom in"), "zoomOut": _("Zoom out")},
    }


def search_events(text: str, limit: int = 10):
    """Events whose title, place, description or host city contain every word of `text`,
    accents and case ignored; upcoming first, then the most recent. One query."""
    words = [word for word in text.split() if word][:8]
    if not words:
        return Event.objects.none()
    queryset = Event.objects.with_card_data()
    for word in words:
        queryset = queryset.filter(
            Q(title__unaccent__icontains=word)
            | Q(place__unaccent__icontains=word)
            | Q(description__unaccent__icontains=word)
            | Q(host_city__name__unaccent__icontains=word)
        )
    return queryset.order_by("-starts_at", "pk")[:limit]


# --- Dashboards ------------------------------------------------------------------------------


def open_for_registration_with_cities(city_ids, limit: int = 5):
    """The next events open for registration, soonest first, each with `registered` (the
    names of the cities among `city_ids` with a registration, waiting ones included). Two
    queries."""
    events = list(
        Event.objects.upcoming()
        .filter(cancelled=False, registration_open=True)
        .with_card_data()
        .order_by("starts_at", "pk")[:limit]
    )
    names: dict[int, list[str]] = {event.pk: [] for event in events}
    if events and city_ids:
        rows = (
            Registration.objects.filter(event__in=events, city_id__in=city_ids)
            .order_by("city__sort_name")
            .values_list("event_id", "city__name")
        )
        for event_id, name in rows:
            names[event_id].append(name)
    for event in events:
        event.registered = names[event.pk]
    return events


# --- The unit's plan review ------------------------------------------------------------------


def held_by_line_in_year(line_ids, year: int, now=None) -> dict[int, list[Event]]:
    """line id → the events that name that line of work, were held (Event.objects.held:
    ended, not cancelled) and ended in `year` (portal time zone), by date; each has
    `participating`: the cities that attended (Registration.objects.attended), by name
    (unsaved City rows carrying name and slug, enough for a link). One query whatever the
    number of lines, events or registrations."""

    now = now or timezone.now()
    line_ids = list(line_ids)
    result: dict[int, list[Event]] = {pk: [] for pk in line_ids}
    if not line_ids:
        return result
    confirmed = Q(event__registrations__attended=True) | Q(
        event__registrations__attended__isnull=True,
        event__registrations__status=Registration.Status.CONFIRMED,
    )
    # (event, city) is unique, so the two arrays need no DISTINCT and share one order.
    order = ("event__registrations__city__sort_name", "event__registrations__city__slug")
    links = (
        Event.lines.through.objects.filter(
            lineofwork_id__in=line_ids,
            event__in=Event.objects.held(now),
            event__ends_at__year=year,
        )
        .select_related("event")
        .annotate(
            city_names=ArrayAgg(
                "event__registrations__city__name", filter=confirmed, order_by=order
            ),
            city_slugs=ArrayAgg(
                "event__registrations__city__slug", filter=confirmed, order_by=order
            ),
        )
        .order_by("event__starts_at", "event_id")
    )
    for link in links:
        event = link.event
        names, slugs = link.city_names or [], link.city_slugs or []
        event.participating = [
            City(name=name, slug=slug) for name, slug in zip(names, slugs, strict=True)
        ]
        result[link.lineofwork_id].append(event)
    return result


def public_events():
    """The unit's events with their host city, working group and lines of work (never
    their registrations or delegates), for the open API."""
    return Event.objects.visible_to(None).with_card_data().prefetch_related("lines")


def events_of_group(group) -> list[Event]:
    """The events of a working group (cancelled ones carry their banner): upcoming soonest
    first, then past ones latest first. One query."""
    return list(Event.objects.filter(working_group=group).with_card_data().upcoming_first())
