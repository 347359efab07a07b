"""The synthetic events of a scale run, hosted by synthetic cities, with registrations."""

import datetime

from events.models import TIME_ZONE_CHOICES, Event, Registration

from .run import BATCH, EVENTS, REGISTRATIONS_PER_EVENT, Run, copy_links, scaled

EVENT_SLUG = "synthetic-event-"
EVENT_TOPICS = [
    "indicadores sociales locales",
    "cuidados y personas mayores",
    "primera infancia",
    "migraciones y ciudad",
    "presupuesto participativo",
    "juventudes y trabajo",
    "mapa de problemas sociales",
    "financiamiento para proyectos conjuntos",
]


def synthetic_events():
    return Event.objects.filter(slug__startswith=EVENT_SLUG)


def _event(run: Run, number: int, host_id: int) -> Event:
    rng = run.rng
    kind = rng.choice(list(Event.Kind.values))
    zone = rng.choice(TIME_ZONE_CHOICES)[0]
    starts_at = run.now + datetime.timedelta(
        days=rng.randint(-6 * 365, 365), hours=rng.randint(0, 23)
    )
    upcoming = starts_at > run.now
    topic = rng.choice(EVENT_TOPICS)
    return Event(
        title=f"[Sintético] Encuentro {number:04d}: {topic}",
        slug=f"{EVENT_SLUG}{number:04d}",
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=rng.randint(2, 30)),
        time_zone=zone,
        place="" if kind == Event.Kind.WEBINAR else "Sala municipal (sintética)",
        online_url="https://meet.example.org/synthetic" if kind == Event.Kind.WEBINAR else "",
        host_city_id=host_id,
        working_group_id=rng.choice(run.groups) if rng.random() < 0.3 else None,
        description=f"Evento sintético para pruebas de carga sobre {topic}.",
        registration_open=upcoming and rng.random() < 0.6,
        capacity=rng.choice([None, 40, 60, 100]),
        cancelled=rng.random() < 0.02,
        is_sample=True,
    )


def create_events(run: Run, synthetic: list[tuple[int, str]]) -> tuple[int, int]:
    """Events hosted by synthetic cities, each with registrations of distinct cities."""
    rng = run.rng
    hosts = [pk for pk, _ in synthetic]
    all_city_ids = hosts + [pk for pk, _, _, _ in run.real_cities]
    per_event = min(REGISTRATIONS_PER_EVENT, len(all_city_ids))
    total = scaled(EVENTS, run.scale)
    event_count = registration_count = 0
    lines_field = Event._meta.get_field("lines")
    for first in range(1, total + 1, BATCH):
        numbers = range(first, min(first + BATCH, total + 1))
        batch = [_event(run, number, rng.choice(hosts)) for number in numbers]
        created = Event.objects.bulk_create(batch)
        event_count += len(created)
        registrations, lines = [], []
        for event in created:
            for city_id in rng.sample(all_city_ids, per_event):
                registrations.append(
                    Registration(
                        event_id=event.pk,
                        city_id=city_id,
                        attendees=rng.randint(1, 3),
                        status=Registration.Status.CONFIRMED,
                    )
                )
            if run.lines:
                lines += [(event.pk, pk) for pk in rng.sample(run.lines, 1)]
        registration_count += len(Registration.objects.bulk_create(registrations, batch_size=BATCH))
        copy_links(lines_field, lines)
    return event_count, registration_count
