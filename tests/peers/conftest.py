"""A fixed network for the peers tests. The reader is city A (Quilmes, AR-B, 262 379
inhabitants; ana coordinates it), whose latest year (2023) ranks child poverty 1, housing 2
and unemployment 4 (in 2021 it ranked violence 1: an older year, never read).

The other cities, their comparability with Quilmes (README's scoring) and their practices:
- La Plata (AR-B, 800 000: the next band): +1 band, +2 country, +1 province, +2 shared
  problems (child poverty at 3, housing at 1), indicator far off (+0) = 6.
- São Carlos (BR, 254 000: the same band): +3 band, +1 shared problem (child poverty at 1) = 4.
- Rosario (AR-S, 1 300 000): +2 country, indicator within 25 % (+2) = 4.
- Montevideo (UY, 1 300 000): 0.
"""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation

from experiences.models import Practice
from peers import services
from tests.experiences.conftest import make_practice  # noqa: F401
from tests.factories import CityFactory, in_three
from tests.mapping.factories import (
    CityProblemFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SocialProblemFactory,
)


@pytest.fixture(autouse=True)
def _default_language():
    """Addresses built in a test (get_absolute_url, reverse) are in Spanish, whatever
    language an earlier test's request left active in this thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def days_ago(days: int):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def network(db, city_a, ana, make_practice):  # noqa: F811
    problems = {
        slug: SocialProblemFactory(slug=slug, **in_three("name", es, pt, en))
        for slug, es, pt, en in [
            ("child-poverty", "Pobreza infantil", "Pobreza infantil", "child poverty"),
            ("housing", "Déficit habitacional", "Déficit habitacional", "housing shortage"),
            ("unemployment", "Desempleo", "Desemprego", "unemployment"),
            ("violence", "Violencia", "Violência", "violence"),
        ]
    }
    cities = {
        "la-plata": CityFactory(
            slug="la-plata-ar",
            name="La Plata",
            country="AR",
            state_code="AR-B",
            population=800_000,
        ),
        "sao-carlos": CityFactory(
            slug="sao-carlos-br",
            name="São Carlos",
            country="BR",
            state_code="BR-SP",
            state_province="São Paulo",
            population=254_000,
        ),
        "rosario": CityFactory(
            slug="rosario-ar",
            name="Rosario",
            country="AR",
            state_code="AR-S",
            state_province="Santa Fe",
            population=1_300_000,
        ),
        "montevideo": CityFactory(
            slug="montevideo-uy",
            name="Montevideo",
            country="UY",
            state_code="UY-MO",
            state_province="Montevideo",
            population=1_300_000,
        ),
    }
    for city, slug, year, priority in [
        (city_a, "violence", 2021, 1),
        (city_a, "child-poverty", 2023, 1),
        (city_a, "housing", 2023, 2),
        (city_a, "unemployment", 2023, 4),
        (cities["la-plata"], "child-poverty", 2023, 3),
        (cities["la-plata"], "housing", 2023, 1),
        (cities["sao-carlos"], "child-poverty", 2022, 1),
    ]:
        CityProblemFactory(city=city, problem=problems[slug], year=year, priority=priority)
    poverty_rate = IndicatorFactory(slug="poverty-rate")
    for city, value in [(city_a, "10"), (cities["rosario"], "11"), (cities["la-plata"], "20")]:
        IndicatorValueFactory(city=city, indicator=poverty_rate, value=Decimal(value))

    def practice(city, title, problem, days, status=Practice.Status.PUBLISHED):
        return make_practice(
            title=title,
            city=city,
            social_problems=[problems[problem]],
            status=status,
            published_at=days_ago(days) if status == Practice.Status.PUBLISHED else None,
        )

    practices = {
        "sao-carlos": practice(cities["sao-carlos"], "Primeira infância", "child-poverty", 100),
        "la-plata": practice(cities["la-plata"], "Mesa de niñez", "child-poverty", 730),
        "montevideo": practice(cities["montevideo"], "Plan CAIF", "child-poverty", 10),
        "rosario": practice(cities["rosario"], "Rosario crece", "child-poverty", 5 * 365),
        "own": practice(city_a, "Quilmes contra la pobreza", "child-poverty", 5),
        "draft": practice(
            cities["sao-carlos"], "Rascunho", "child-poverty", 0, status=Practice.Status.DRAFT
        ),
        "la-plata-housing": practice(cities["la-plata"], "Vivienda digna", "housing", 400),
        "montevideo-housing": practice(cities["montevideo"], "Techo", "housing", 30),
        "violence": practice(cities["rosario"], "Barrios seguros", "violence", 10),
    }
    services.comparability_refresh()

    class Network:
        pass

    network = Network()
    network.problems, network.cities, network.practices = problems, cities, practices
    return network
