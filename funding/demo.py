"""Three sample funding calls for the demonstration site (`seed_demo` calls `seed()`).

Marked "[Ejemplo]" and `is_sample`, with dates relative to today so there is always one
open, one upcoming and one closed call."""

import datetime

from django.utils import timezone

from experiences.models import Theme

from .models import FundingCall

SAMPLES = [
    {
        "slug": "ejemplo-ciudades-inclusivas",
        "title": "[Ejemplo] Ciudades inclusivas y cohesión social",
        "funder": "[Ejemplo] Programa de cooperación urbana",
        "summary": (
            "Financia proyectos conjuntos de al menos dos ciudades de la región para reducir "
            "la pobreza urbana y la exclusión social: centros comunitarios, programas de "
            "empleo juvenil y políticas de cuidado."
        ),
        "themes": ["urban-poverty-exclusion", "universal-programmes"],
        "countries": [],
        "amounts": (50000, 300000, "EUR"),
        "days": (-20, 40),
    },
    {
        "slug": "ejemplo-ninez-y-participacion",
        "title": "[Ejemplo] Niñez, adolescencia y participación",
        "funder": "[Ejemplo] Fondo para la infancia",
        "summary": (
            "Apoya iniciativas locales que aplican la Convención sobre los Derechos del Niño: "
            "consejos de niñas y niños, presupuestos participativos y protección de derechos."
        ),
        "themes": ["children-adolescents"],
        "countries": ["AR", "BR", "UY", "PY"],
        "amounts": (10000, 80000, "USD"),
        "days": (15, 75),
    },
    {
        "slug": "ejemplo-migraciones-y-derechos",
        "title": "[Ejemplo] Migraciones y acceso a derechos",
        "funder": "[Ejemplo] Agencia de cooperación",
        "summary": (
            "Financió la atención a personas migrantes en las ciudades de frontera: "
            "documentación, salud, educación y trabajo."
        ),
        "themes": ["migration"],
        "countries": ["AR", "BR", "CL", "BO", "PE"],
        "amounts": (None, 120000, "USD"),
        "days": (-120, -30),
    },
]


def seed() -> int:
    """Create or update the sample calls; returns how many sample calls exist."""
    today = timezone.localdate()
    for spec in SAMPLES:
        low, high, currency = spec["amounts"]
        opens, closes = (today + datetime.timedelta(days=n) for n in spec["days"])
        call, _created = FundingCall.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "funder": spec["funder"],
                "summary": spec["summary"],
                "eligible_countries": spec["countries"],
                "amount_min": low,
                "amount_max": high,
                "currency": currency,
                "opens_on": opens,
                "closes_on": closes,
                "link": "https://example.org/",
                "is_sample": True,
            },
        )
        call.themes.set(Theme.objects.filter(slug__in=spec["themes"]))
    return FundingCall.objects.filter(is_sample=True).count()
