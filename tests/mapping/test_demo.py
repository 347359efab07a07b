"""Sample content for the demo: labelled, idempotent, never over real figures."""

from decimal import Decimal

import pytest

from mapping import demo
from mapping.models import CityProblem, Indicator, IndicatorValue, SocialProblem
from tests.factories import CityFactory

DEMO_CITIES = {
    "quilmes-ar": "AR",
    "montevideo-uy": "UY",
    "porto-alegre-br": "BR",
    "villa-carlos-paz-ar": "AR",
    "rosario-ar": "AR",
    "sao-paulo-br": "BR",
}


@pytest.fixture
def demo_cities(db):
    demo.seed()
    return {slug: CityFactory(slug=slug, country=country) for slug, country in DEMO_CITIES.items()}


def test_vocabulary_seed_sets_themes_and_problem_indicators(demo_cities):
    assert Indicator.objects.get(slug="sdg-8-5-2").category == "work"
    assert Indicator.objects.filter(category="").count() == 0
    poverty = SocialProblem.objects.get(slug="urban-poverty")
    assert "sdg-1-2-1" in set(poverty.indicators.values_list("slug", flat=True))


def test_samples_cover_six_cities_for_two_years_labelled_as_samples(demo_cities):
    counts = demo.seed_samples()
    assert counts["problems"] > 0 and counts["values"] > 0
    entries = CityProblem.objects.all()
    assert {e.city.slug for e in entries} == set(DEMO_CITIES)
    assert set(entries.values_list("year", flat=True)) == {2022, 2024}
    assert all(e.is_sample and e.source == "Sample data (demo)" for e in entries)
    values = IndicatorValue.objects.all()
    assert all(v.is_sample for v in values)
    assert {v.city.country.code for v in values} == {"AR", "UY"}
    assert values.filter(breakdown="women").exists()


def test_seeding_samples_twice_changes_nothing(demo_cities):
    demo.seed_samples()
    before = (
        sorted(CityProblem.objects.values_list("city_id", "problem_id", "year", "priority")),
        sorted(IndicatorValue.objects.values_list("city_id", "indicator_id", "year", "value")),
    )
    demo.seed_samples()
    after = (
        sorted(CityProblem.objects.values_list("city_id", "problem_id", "year", "priority")),
        sorted(IndicatorValue.objects.values_list("city_id", "indicator_id", "year", "value")),
    )
    assert before == after


def test_samples_never_replace_real_rows(demo_cities):
    quilmes = demo_cities["quilmes-ar"]
    unemployment = Indicator.objects.get(slug="sdg-8-5-2")
    real_value = IndicatorValue.objects.create(
        city=quilmes, indicator=unemployment, year=2020, value=Decimal("12.3"), source="EPH"
    )
    real_problem = CityProblem.objects.create(
        city=quilmes,
        problem=SocialProblem.objects.get(slug="urban-poverty"),
        year=2024,
        priority=3,
        source="Municipal observatory",
    )
    demo.seed_samples()
    real_value.refresh_from_db()
    real_problem.refresh_from_db()
    assert (real_value.value, real_value.is_sample) == (Decimal("12.3"), False)
    assert (real_problem.priority, real_problem.is_sample) == (3, False)


def test_demo_values_use_the_breakdown_list_and_keep_their_indicators_ranges(demo_cities):
    demo.seed_samples()
    demo.seed_values()
    values = IndicatorValue.objects.select_related("indicator")
    assert set(values.values_list("breakdown", flat=True)) == {"total", "women", "men"}
    for value in values:
        value.indicator.check_value(value.value)  # raises when out of range
    unemployment = Indicator.objects.with_breakdowns().get(slug="sdg-8-5-2")
    assert unemployment.grid_breakdowns()[:3] == ["total", "women", "men"]
    assert (unemployment.kind, unemployment.max_value) == ("percentage", 100)


def test_a_new_seed_keeps_the_ranges_the_secretariat_edited(demo_cities):
    Indicator.objects.filter(slug="sdg-8-5-2").update(max_value=50)
    demo.seed()
    assert Indicator.objects.get(slug="sdg-8-5-2").max_value == 50
