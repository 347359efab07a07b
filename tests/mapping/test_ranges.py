"""Each indicator's kind and range (issue 18): the reference units give the kind and range,
a value outside the range is refused with the range named, in the form, the model's clean()
and the CSV importer."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mapping.importing import parse_indicator_csv
from mapping.models import Indicator, IndicatorKind, IndicatorValue, kind_and_range_for_unit

from .factories import IndicatorFactory, IndicatorValueFactory

K = IndicatorKind


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("% of population", (K.PERCENTAGE, Decimal(0), Decimal(100), False)),
        ("% (and number) of children aged 5-17", (K.PERCENTAGE, Decimal(0), Decimal(100), False)),
        ("% annual growth (per capita)", (K.GROWTH, None, None, False)),
        ("deaths per 1,000 live births", (K.RATE, Decimal(0), None, False)),
        ("victims per 100,000 population", (K.RATE, Decimal(0), None, False)),
        ("index 0-100 (0 = perfect equality)", (K.INDEX, Decimal(0), Decimal(100), False)),
        ("index 0-1", (K.INDEX, Decimal(0), Decimal(1), False)),
        ("BRL per month, constant Aug 2010 prices", (K.AMOUNT, Decimal(0), None, False)),
        ("number of persons", (K.COUNT, Decimal(0), None, True)),
    ],
)
def test_the_reference_unit_gives_the_kind_and_range(unit, expected):
    assert kind_and_range_for_unit(unit) == expected


def indicator_for(unit, **extra):
    kind, low, high, whole = kind_and_range_for_unit(unit)
    return IndicatorFactory(
        unit=unit, kind=kind, min_value=low, max_value=high, whole_number=whole, **extra
    )


@pytest.mark.django_db
def test_negative_growth_is_accepted():
    indicator_for("% annual growth (per capita)").check_value(Decimal("-3.2"))


@pytest.mark.django_db
def test_141_percent_is_refused_with_the_range_named():
    percentage = indicator_for("% of population")
    percentage.check_value(Decimal("100"))
    percentage.check_value(Decimal("0"))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        percentage.check_value(Decimal("141"))
    assert refused.value.messages == [
        "141 is outside the range of this indicator: 0 to 100 (percentage)."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "141 está fuera del rango de este indicador: de 0 a 100 (porcentaje)."),
        ("pt-br", "141 está fora do intervalo deste indicador: de 0 a 100 (percentual)."),
    ],
)
def test_the_refusal_is_in_the_users_language(language, message):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        indicator_for("% of population").check_value(Decimal("141"))
    assert refused.value.messages == [message]


@pytest.mark.django_db
def test_gini_on_both_scales():
    world_bank = indicator_for("index 0-100 (0 = perfect equality)", slug="wb-si-pov-gini")
    atlas = indicator_for("index 0-1", slug="br-atlas-gini")
    world_bank.check_value(Decimal("45.3"))
    atlas.check_value(Decimal("0.62"))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        atlas.check_value(Decimal("45.3"))
    assert "0 to 1 (index)" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        world_bank.check_value(Decimal("-1"))


@pytest.mark.django_db
def test_counts_are_whole_numbers_not_below_zero():
    count = indicator_for("number of persons")
    count.check_value(Decimal("1200"))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        count.check_value(Decimal("12.5"))
    assert refused.value.messages == ["12.5 is not a whole number; this indicator counts (count)."]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        count.check_value(Decimal("-1"))
    assert "0 or more" in refused.value.messages[0]


@pytest.mark.django_db
def test_rates_are_not_negative():
    with pytest.raises(ValidationError):
        indicator_for("deaths per 1,000 live births").check_value(Decimal("-0.1"))


@pytest.mark.django_db
def test_value_clean_refuses_out_of_range(city_a):
    value = IndicatorValueFactory.build(
        city=city_a, indicator=indicator_for("% of population"), value=Decimal("141")
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        value.full_clean()
    assert "0 to 100" in refused.value.message_dict["value"][0]


@pytest.mark.django_db
def test_a_minimum_above_the_maximum_is_refused():
    indicator = IndicatorFactory.build(slug="x", min_value=Decimal(5), max_value=Decimal(1))
    with pytest.raises(ValidationError) as refused:
        indicator.clean()
    assert "max_value" in refused.value.message_dict


@pytest.mark.django_db
def test_the_importer_refuses_out_of_range_per_row(city_a):
    indicator_for("% of population", slug="poverty-rate")
    indicator_for("% annual growth", slug="income-growth")
    text = (
        "city_slug,indicator_code,year,value,source\n"
        "quilmes-ar,poverty-rate,2022,141,EPH\n"
        "quilmes-ar,poverty-rate,2023,41,EPH\n"
        "quilmes-ar,income-growth,2022,-3.2,EPH\n"
    )
    with translation.override("en"):
        parsed = parse_indicator_csv(text.encode(), allowed_city_ids=None)
    assert [(e.line, e.column, e.message) for e in parsed.errors] == [
        (2, "value", "141 is outside the range of this indicator: 0 to 100 (percentage).")
    ]
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_the_secretariat_edits_the_range_in_the_admin(sofia_client):
    indicator = indicator_for("% of population", slug="poverty-rate")
    url = f"/en/admin/mapping/indicator/{indicator.pk}/change/"
    response = sofia_client.get(url)
    assert response.status_code == 200
    for field in ("kind", "min_value", "max_value", "whole_number"):
        assert f'name="{field}"' in response.content.decode()
    assert Indicator.objects.filter(kind=K.PERCENTAGE).count() == 1


@pytest.mark.django_db
def test_the_seeded_indicators_take_their_range_from_the_reference_units():
    from mapping.demo import seed_indicators

    seed_indicators()
    ranges = {
        i.slug: (i.kind, i.min_value, i.max_value)
        for i in Indicator.objects.filter(
            slug__in=["wb-si-pov-gini", "br-atlas-gini", "sdg-10-1-1", "sdg-3-1-1", "sdg-1-2-1"]
        )
    }
    assert ranges == {
        "wb-si-pov-gini": (K.INDEX, 0, 100),
        "br-atlas-gini": (K.INDEX, 0, 1),
        "sdg-10-1-1": (K.GROWTH, None, None),
        "sdg-3-1-1": (K.RATE, 0, None),
        "sdg-1-2-1": (K.PERCENTAGE, 0, 100),
    }


@pytest.mark.django_db
def test_the_api_lists_each_indicators_kind_range_and_breakdowns(visitor):
    from mapping.models import Breakdown

    gini = indicator_for("index 0-1", slug="br-atlas-gini")
    gini.breakdowns.set(Breakdown.objects.filter(code__in=["men", "women"]))
    [row] = visitor.get("/api/v1/indicators").json()["results"]
    assert (row["kind"], row["min_value"], row["max_value"], row["whole_number"]) == (
        "index",
        0,
        1,
        False,
    )
    assert row["breakdowns"] == ["total", "women", "men"]
