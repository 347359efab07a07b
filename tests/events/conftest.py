"""Events for the fixed cast: an upcoming event open for registration (4 seats, Montevideo
time) and a past one; helpers to build the registration form's POST data."""

import datetime
import itertools
import zoneinfo

import pytest
from django.utils import timezone

from events.models import Delegate, Event, Registration

MONTEVIDEO = zoneinfo.ZoneInfo("America/Montevideo")
_numbers = itertools.count(1)


def make_event(**values) -> Event:
    number = next(_numbers)
    starts_at = values.pop("starts_at", timezone.now() + datetime.timedelta(days=10))
    defaults = {
        "title": f"Event {number}",
        "slug": f"event-{number}",
        "kind": Event.Kind.MEETING,
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=3),
        "time_zone": "America/Montevideo",
        "registration_open": True,
    }
    defaults.update(values)
    return Event.objects.create(**defaults)


def make_summit(**values) -> Event:
    """ "Cumbre social", 10 March of next year from 18:00 to 20:00 in Montevideo: a date
    whose month has a name to translate, in a zone other than the portal's."""
    starts_at = datetime.datetime(timezone.now().year + 1, 3, 10, 18, tzinfo=MONTEVIDEO)
    values = {
        "title": "Cumbre social",
        "slug": "cumbre-social",
        "kind": Event.Kind.SUMMIT,
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=2),
        **values,
    }
    return make_event(**values)


def make_workshop(city, **values) -> Event:
    """A training in 12 days hosted by `city`, open for registration with 10 seats."""
    starts_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=12)
    values = {
        "title": "Training for new member cities",
        "slug": "training-new-members",
        "kind": Event.Kind.WORKSHOP,
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=4),
        "time_zone": "America/Argentina/Buenos_Aires",
        "host_city": city,
        "place": "Town hall",
        "capacity": 10,
        **values,
    }
    return make_event(**values)


def make_registration(event, city, *, user=None, delegates=1, **values) -> Registration:
    values.setdefault("status", Registration.Status.CONFIRMED)
    registration = Registration.objects.create(
        event=event, city=city, registered_by=user, attendees=delegates, **values
    )
    Delegate.objects.bulk_create(
        Delegate(
            registration=registration,
            name=f"Delegate {n}",
            email=f"delegate{n}@{city.slug}.example",
            consented_at=timezone.now(),
        )
        for n in range(delegates)
    )
    return registration


def registration_data(city, delegates=1, note="", *, consent=True, **extra) -> dict:
    """The POST of the registration form: `delegates` is a count or a list of dicts."""
    if isinstance(delegates, int):
        delegates = [
            {"name": f"Person {n}", "position": "Director", "email": f"person{n}@city.example"}
            for n in range(delegates)
        ]
    data = {
        "city": getattr(city, "slug", city),
        "note": note,
        "delegates-TOTAL_FORMS": str(len(delegates)),
        "delegates-INITIAL_FORMS": "0",
        "delegates-MIN_NUM_FORMS": "0",
        "delegates-MAX_NUM_FORMS": "30",
    }
    for n, delegate in enumerate(delegates):
        for key, value in delegate.items():
            data[f"delegates-{n}-{key}"] = value
        if consent:
            data[f"delegates-{n}-consent"] = "on"
    data.update(extra)
    return data


@pytest.fixture
def event(db):
    """Starts in 10 days at 18:00 Montevideo time, registration open, 4 seats."""
    day = timezone.localdate() + datetime.timedelta(days=10)
    starts_at = datetime.datetime.combine(day, datetime.time(18), tzinfo=MONTEVIDEO)
    return make_event(
        title="Meeting of social ministers",
        slug="ministers-meeting",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        capacity=4,
    )


@pytest.fixture
def past_event(db):
    return make_event(
        title="Social Summit 2024",
        slug="social-summit-past",
        kind=Event.Kind.SUMMIT,
        starts_at=timezone.now() - datetime.timedelta(days=60),
        registration_open=False,
    )


def url(name, **kwargs) -> str:
    """The Spanish (unprefixed) path, whatever language a previous request activated."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("es"):
        return reverse(name, kwargs=kwargs or None)


def en(name, **kwargs) -> str:
    """The English page, for assertions on visible text."""
    return "/en" + url(name, **kwargs)
