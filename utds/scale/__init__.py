"""A synthetic network at scale, for load tests: `seed_demo --scale N [--seed S]`.

On top of the real member cities and the demo vocabularies it adds, at N = 1, about
400 synthetic cities ("Synthetic city 0001", slug `synthetic-0001`, summary and population
source saying so), 20,000 practices (`[Sintético] …`, slug `synthetic-practice-00001`,
`is_sample`) with themes, goals, problems, CRC articles, partner cities and lines of the
2012 plan, 60,000 city problems and 240,000 indicator values of the synthetic cities
(`is_sample`, source "Synthetic data …"), and 1,000 events (`synthetic-event-0001`) with
10,000 registrations. Fractional N scales every count (N = 0.1 for a quick run).

Deterministic: every choice comes from `random.Random(seed)`; dates are relative to today.
Repeatable: each run first deletes the synthetic rows of the previous run (matched by their
slug prefixes and by their cities), then generates afresh, so nothing is duplicated and a
new N replaces the old size. Real cities and the demo samples are never touched, apart
from being chosen as partners, hosts or registered cities of synthetic rows.

Rows go in with bulk_create (cities, practices, events, registrations) and COPY (the many
m2m links, problems and values) in bounded batches; the practices' search vectors are
filled by one UPDATE at the end, and the tables are analysed for the planner.
"""

from django.db import connection, transaction

from cities.models import City
from events.models import Event, Registration
from experiences.models import Practice, PracticeAttachment
from mapping.models import CityProblem, IndicatorValue

from .cities import create_cities, synthetic_cities
from .events import EVENT_SLUG, create_events, synthetic_events
from .practices import create_practices, refresh_search, synthetic_practices
from .profiles import create_profiles
from .run import (
    CITIES,
    EVENTS,
    MAX_SCALE,
    PRACTICES,
    PROBLEMS_PER_CITY,
    REGISTRATIONS_PER_EVENT,
    VALUES_PER_CITY,
    Run,
    scaled,
)

__all__ = [
    "EVENT_SLUG",
    "MAX_SCALE",
    "delete_synthetic",
    "planned_counts",
    "seed_scale",
    "synthetic_cities",
    "synthetic_events",
    "synthetic_practices",
]


def planned_counts(scale: float) -> dict[str, int]:
    """How many rows of each kind a run at `scale` creates (given the full vocabularies)."""
    cities = scaled(CITIES, scale)
    events = scaled(EVENTS, scale)
    return {
        "cities": cities,
        "practices": scaled(PRACTICES, scale),
        "city_problems": cities * PROBLEMS_PER_CITY,
        "indicator_values": cities * VALUES_PER_CITY,
        "events": events,
        "registrations": events * REGISTRATIONS_PER_EVENT,
    }


def delete_synthetic() -> None:
    """Delete every row a previous run created (and what hangs from it)."""
    using = connection.alias
    practices = synthetic_practices().values("pk")
    # Raw deletes: the ORM would load 20,000 practices to write one history row each.
    for field in Practice._meta.many_to_many:
        through = field.remote_field.through
        through.objects.filter(**{f"{field.m2m_field_name()}__in": practices})._raw_delete(using)
    PracticeAttachment.objects.filter(practice__in=practices).delete()
    Practice.history.model.objects.filter(id__in=practices)._raw_delete(using)
    synthetic_practices()._raw_delete(using)
    synthetic_events().delete()
    cities = synthetic_cities().values("pk")
    CityProblem.objects.filter(city__in=cities).delete()
    IndicatorValue.objects.filter(city__in=cities).delete()
    synthetic_cities().delete()


ANALYZED = (City, Practice, CityProblem, IndicatorValue, Event, Registration)


def seed_scale(*, scale: float, seed: int = 1) -> dict[str, int]:
    """Replace the synthetic network with a fresh one at `scale`; returns the counts."""
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be above 0 and at most {MAX_SCALE}")
    with transaction.atomic():
        delete_synthetic()
        run = Run(scale=scale, seed=seed)
        cities = create_cities(run)
        practices = create_practices(run, cities)
        city_problems, indicator_values = create_profiles(run, cities)
        events, registrations = create_events(run, cities)
        refresh_search()
    # Settled tables, as a running portal has: visibility maps for index-only scans and
    # statistics for the planner, many-to-many link tables included. VACUUM cannot run in
    # a transaction: only when nothing outside has opened one (a test has).
    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    tables = [model._meta.db_table for model in ANALYZED] + [
        field.remote_field.through._meta.db_table
        for field in Practice._meta.many_to_many + Event._meta.many_to_many
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{verb} {connection.ops.quote_name(table)}")
    return {
        "cities": len(cities),
        "practices": practices,
        "city_problems": city_problems,
        "indicator_values": indicator_values,
        "events": events,
        "registrations": registrations,
    }
