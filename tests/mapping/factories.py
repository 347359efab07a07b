"""Deterministic factories for the mapping tests."""

from decimal import Decimal

import factory

from mapping.models import (
    CityProblem,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    SocialProblem,
)
from tests.factories import CityFactory


class SocialProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialProblem
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"problem-{n}")
    category = SocialProblem.Category.POVERTY
    name_es = factory.Sequence(lambda n: f"Problema {n}")
    name_pt_br = factory.Sequence(lambda n: f"Problema {n} (pt)")
    name_en = factory.Sequence(lambda n: f"Problem {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"indicator-{n}")
    code = ""
    name_es = factory.Sequence(lambda n: f"Indicador {n}")
    name_pt_br = factory.Sequence(lambda n: f"Indicador {n} (pt)")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "% of population"
    category = SocialProblem.Category.POVERTY
    decimals = 1


# The named indicators of the mapping tests (tests/mapping/conftest.py), by slug.
INDICATORS = {
    # SDG 8.5.2: lower is better; one decimal; an official code.
    "sdg-8-5-2": {
        "code": "8.5.2",
        "name_es": "Tasa de desempleo",
        "name_pt_br": "Taxa de desemprego",
        "name_en": "Unemployment rate",
        "unit": "% of labour force",
        "kind": IndicatorKind.PERCENTAGE,
        "min_value": Decimal(0),
        "max_value": Decimal(100),
        "category": SocialProblem.Category.WORK,
        "decimals": 1,
        "higher_is_better": False,
    },
    # Brazil's income per capita: higher is better; two decimals.
    "br-atlas-rdpc": {
        "code": "RDPC",
        "name_es": "Renta per cápita",
        "name_pt_br": "Renda per capita",
        "name_en": "Income per capita",
        "unit": "BRL per month",
        "kind": IndicatorKind.AMOUNT,
        "min_value": Decimal(0),
        "category": SocialProblem.Category.POVERTY,
        "decimals": 2,
        "higher_is_better": True,
    },
}


def named_indicator(slug) -> Indicator:
    return IndicatorFactory(slug=slug, **INDICATORS[slug])


class CityProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityProblem

    city = factory.SubFactory(CityFactory)
    problem = factory.SubFactory(SocialProblemFactory)
    year = 2022
    priority = 1
    affected_population = 1000
    source = "Municipal survey"


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    city = factory.SubFactory(CityFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    year = 2022
    value = Decimal("10.0")
    source = "National statistics office"
