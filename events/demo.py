"""Sample events for `seed_demo` (after cities): past and upcoming, with registrations.

The events are invented examples, titled "[Ejemplo] …" and marked `is_sample`. Idempotent:
events are matched by slug and created once (their dates are set, relative to the day of
the first seed, only then); registrations are matched by (event, city).
"""

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cities.models import City, WorkingGroup

from .models import Delegate, Event, Registration

DEMO_COORDINATORS = {
    "quilmes-ar": "ana@quilmes.example",
    "porto-alegre-br": "bruno@portoalegre.example",
}

# slug, title, kind, days from today, local start hour, hours, zone, host slug, group slug,
# place, online, capacity, registration open, description, registered cities
EVENTS = [
    (
        "ejemplo-cumbre-social",
        "[Ejemplo] Cumbre Social de Mercociudades",
        Event.Kind.SUMMIT,
        -150,
        9,
        32,
        "America/Montevideo",
        "montevideo-uy",
        "",
        "Intendencia de Montevideo, Av. 18 de Julio 1360",
        "",
        None,
        False,
        "Encuentro anual de la Unidad Temática de Desarrollo Social con las autoridades "
        "sociales de las ciudades miembro.\n\nBalance del plan de trabajo y elección de la "
        "coordinación del próximo período.",
        ["quilmes-ar", "porto-alegre-br", "villa-carlos-paz-ar"],
    ),
    (
        "ejemplo-reunion-derechos-humanos",
        "[Ejemplo] Reunión conjunta con el grupo de Derechos Humanos",
        Event.Kind.MEETING,
        -400,
        14,
        3,
        "America/Sao_Paulo",
        "porto-alegre-br",
        "human-rights",
        "Paço Municipal, Praça Montevidéu 10",
        "",
        None,
        False,
        "Reunión de trabajo sobre políticas de cuidado y derechos de las personas mayores.",
        ["porto-alegre-br", "montevideo-uy"],
    ),
    (
        "ejemplo-taller-nuevos-miembros",
        "[Ejemplo] Taller para ciudades que se incorporan a la Unidad",
        Event.Kind.WORKSHOP,
        21,
        10,
        6,
        "America/Argentina/Buenos_Aires",
        "quilmes-ar",
        "",
        "Centro Cultural Municipal, Quilmes",
        "",
        12,
        True,
        "Cómo participa una ciudad en la Unidad: el plan de trabajo, el mapeo de problemas "
        "sociales y cómo sistematizar una buena práctica.",
        ["porto-alegre-br"],
    ),
    (
        "ejemplo-webinar-indicadores",
        "[Ejemplo] Webinar: indicadores sociales locales",
        Event.Kind.WEBINAR,
        45,
        16,
        2,
        "America/Montevideo",
        "villa-carlos-paz-ar",
        "",
        "",
        "https://meet.example.org/utds-indicadores",
        None,
        True,
        "Cómo cargar y comparar los indicadores de la ciudad en el portal.",
        [],
    ),
]


def _start(days: int, hour: int, zone: str) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    local = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(datetime.UTC)


@transaction.atomic
def seed() -> int:
    """Create the sample events once; returns how many events were created."""
    cities = {city.slug: city for city in City.objects.all()}
    groups = {group.slug: group for group in WorkingGroup.objects.all()}
    users = {user.email: user for user in User.objects.filter(email__in=DEMO_COORDINATORS.values())}
    created_count = 0
    for (
        slug,
        title,
        kind,
        days,
        hour,
        hours,
        zone,
        host,
        group,
        place,
        online,
        capacity,
        registration_open,
        description,
        registered,
    ) in EVENTS:
        starts_at = _start(days, hour, zone)
        event, created = Event.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "kind": kind,
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(hours=hours),
                "time_zone": zone,
                "host_city": cities.get(host),
                "working_group": groups.get(group),
                "place": place,
                "online_url": online,
                "capacity": capacity,
                "registration_open": registration_open,
                "description": description,
                "is_sample": True,
            },
        )
        created_count += created
        for number, city_slug in enumerate(registered, start=1):
            city = cities.get(city_slug)
            if city is None:
                continue
            registration, new = Registration.objects.get_or_create(
                event=event,
                city=city,
                defaults={
                    "registered_by": users.get(DEMO_COORDINATORS.get(city_slug, "")),
                    "attendees": 2,
                    "status": Registration.Status.CONFIRMED,
                },
            )
            if new:
                Delegate.objects.bulk_create(
                    Delegate(
                        registration=registration,
                        name=f"Delegada de ejemplo {number}.{n}",
                        position="Secretaría de Desarrollo Social",
                        email=f"delegada{n}@{city_slug}.example",
                        consented_at=timezone.now(),
                    )
                    for n in (1, 2)
                )
    return created_count
