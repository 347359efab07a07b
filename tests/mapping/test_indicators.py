"""Indicators: the list by theme and one indicator across cities and over time."""

from decimal import Decimal

import pytest
from django.urls import reverse

from mapping import comparisons
from tests.factories import CityFactory

from .factories import IndicatorFactory, IndicatorValueFactory


@pytest.fixture
def values(city_a, city_b, city_c, unemployment):
    """Quilmes 2020–2022, Porto Alegre 2022, Montevideo 2020 only."""
    for year, value in ((2020, "9.1"), (2021, "8.4"), (2022, "7.5")):
        IndicatorValueFactory(city=city_a, indicator=unemployment, year=year, value=Decimal(value))
    IndicatorValueFactory(city=city_b, indicator=unemployment, year=2022, value=Decimal("6.25"))
    IndicatorValueFactory(city=city_c, indicator=unemployment, year=2020, value=Decimal("10"))
    IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=2022, breakdown_id="women", value=Decimal("8.8")
    )


def detail(client, indicator, **params):
    return client.get(reverse("mapping:indicator", kwargs={"slug": indicator.slug}), params)


def test_list_groups_indicators_by_theme_with_coverage(visitor, values, income):
    response = visitor.get(reverse("mapping:indicators"))
    assert response.status_code == 200
    groups = dict(response.context["groups"])
    assert [i.slug for i in groups["work and employment"]] == ["sdg-8-5-2"]
    jobs = groups["work and employment"][0]
    assert (jobs.city_count, jobs.latest_year) == (3, 2022)
    html = response.content.decode()
    assert "3 cities, latest year 2022" in html
    assert "no values yet" in html  # income


def test_indicator_list_costs_one_query_whatever_the_values(
    visitor, db, django_assert_max_num_queries
):
    # Guards the N+1 of counting each indicator's cities or reading its goal.
    for n in range(5):
        indicator = IndicatorFactory()
        for year in range(2000, 2000 + n):
            IndicatorValueFactory(indicator=indicator, year=year)
    with django_assert_max_num_queries(2):
        visitor.get(reverse("mapping:indicators"))


def test_detail_compares_the_latest_year_largest_first_with_definition_and_source(
    visitor, values, unemployment
):
    response = detail(visitor, unemployment)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.year == 2022
    assert [(v.city.name, v.value) for v in overview.comparison] == [
        ("Quilmes", Decimal("7.5")),
        ("Porto Alegre", Decimal("6.25")),
    ]
    assert overview.median == Decimal("6.875")
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "About this indicator" in html and "% of labour force" in html
    assert "National statistics office" in html
    assert 'role="img"' in html and "Unemployment rate by city, 2022" in html
    assert "6.3" in html  # one decimal, from the indicator
    # Montevideo reported 2020 only: a note, not a zero
    assert overview.missing_in_year[0][0].name == "Montevideo"
    assert "Montevideo (latest value: 2020)" in html
    assert "/en/mapping/export/indicators.csv?indicator=sdg-8-5-2&amp;year=2022" in html


def test_detail_over_time_defaults_to_cities_with_most_data(visitor, values, unemployment):
    overview = detail(visitor, unemployment).context["overview"]
    assert [c.name for c in overview.selected] == ["Quilmes", "Montevideo", "Porto Alegre"]
    assert [year for year, _ in overview.over_time] == [2020, 2021, 2022]
    row_2021 = dict(overview.over_time)[2021]
    assert row_2021[0].value == Decimal("8.4") and row_2021[1] is None


def test_detail_over_time_for_chosen_cities(visitor, values, unemployment):
    response = detail(visitor, unemployment, city=["montevideo-uy", "porto-alegre-br"])
    overview = response.context["overview"]
    assert [c.name for c in overview.selected] == ["Montevideo", "Porto Alegre"]
    assert [year for year, _ in overview.over_time] == [2020, 2022]
    assert "A dash means the city reported no value" in response.content.decode()


def test_detail_chosen_year_peer_groups_and_breakdown(visitor, values, unemployment):
    assert [
        v.city.name for v in detail(visitor, unemployment, year=2020).context["overview"].comparison
    ] == ["Montevideo", "Quilmes"]
    by_band = detail(visitor, unemployment, band="metro", year=2020).context["overview"]
    assert [v.city.name for v in by_band.comparison] == ["Montevideo"]
    by_country = detail(visitor, unemployment, country="BR").context["overview"]
    assert [v.city.name for v in by_country.comparison] == ["Porto Alegre"]
    response = detail(visitor, unemployment, breakdown="women")
    assert [v.value for v in response.context["overview"].comparison] == [Decimal("8.8")]
    assert "Breakdown: Women." in response.content.decode()


def test_population_bands_put_each_city_in_one_band(db):
    from mapping.comparisons import PopulationBand, in_band

    for population, band in (
        (99_999, "small"),
        (100_000, "medium"),
        (500_000, "large"),
        (1_000_000, "metro"),
    ):
        city = CityFactory.build(population=population)
        assert [b for b in PopulationBand.values if in_band(city, b)] == [band]
    assert not any(in_band(CityFactory.build(population=None), b) for b in PopulationBand.values)


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "1789"},
        {"band": "huge"},
        {"country": "XX"},
        {"city": "nowhere"},
        {"breakdown": "<b>"},
    ],
)
def test_detail_malformed_params_are_ignored_and_flagged(visitor, values, unemployment, params):
    response = detail(visitor, unemployment, **params)
    assert response.status_code == 200
    assert "Some filters were not understood and are ignored" in response.content.decode()
    assert response.context["overview"].year == 2022


def test_detail_without_values_says_so(visitor, income):
    response = detail(visitor, income)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No city in this peer group reported a value for this year." in html
    assert "No city has reported values for this indicator yet." in html


def test_unknown_indicator_is_404(visitor, db):
    response = visitor.get(reverse("mapping:indicator", kwargs={"slug": "nothing"}))
    assert response.status_code == 404


@pytest.mark.parametrize("size", [1, 8])
def test_detail_queries_do_not_grow_with_cities_or_years(
    visitor, unemployment, size, django_assert_max_num_queries
):
    # Guards the N+1 of reading each value's city (bar chart, table, checkboxes).
    for _ in range(size):
        city = CityFactory()
        for year in range(2010, 2010 + size):
            IndicatorValueFactory(city=city, indicator=unemployment, year=year)
    with django_assert_max_num_queries(4):
        response = detail(visitor, unemployment)
    assert len(response.context["overview"].comparison) == size


def test_detail_pages_the_comparison_and_bounds_the_chart_and_the_checkboxes(visitor, unemployment):
    per_page = comparisons.COMPARED_PER_PAGE
    count = per_page + 5
    for n in range(count):
        city = CityFactory(name=f"City {n:03d}")
        IndicatorValueFactory(city=city, indicator=unemployment, year=2022, value=Decimal(n))
    late = CityFactory(name="Late city")
    IndicatorValueFactory(city=late, indicator=unemployment, year=2020, value=Decimal("1"))
    response = detail(visitor, unemployment)
    overview = response.context["overview"]
    assert len(overview.comparison) == count  # the median counts every city
    assert overview.median == Decimal(count - 1) / 2
    assert [v.value for v in overview.shown][:2] == [Decimal(count - 1), Decimal(count - 2)]
    assert len(overview.shown) == per_page
    assert len(overview.bar_chart["bars"]) == per_page  # the chart draws the table's page
    html = response.content.decode()
    assert f"Places 1 to {per_page} of {count}" in html
    assert '<nav class="pagination"' in html
    # checkboxes: the cities over time and the page's cities, not every city
    offered = {slug for slug, _name in response.context["form"].fields["city"].choices}
    assert len(offered) <= per_page + comparisons.DEFAULT_CITIES_OVER_TIME
    assert late.slug in offered or late.slug not in {v.city.slug for v in overview.shown}
    second = detail(visitor, unemployment, page=2).context["overview"]
    assert [v.value for v in second.shown] == [Decimal(n) for n in range(4, -1, -1)]


def test_detail_lists_at_most_a_few_missing_cities_by_name(visitor, unemployment):
    reporting = CityFactory(name="Reporting")
    IndicatorValueFactory(city=reporting, indicator=unemployment, year=2022)
    shown = comparisons.MISSING_SHOWN
    for n in range(shown + 4):
        city = CityFactory(name=f"Old {n:03d}")
        IndicatorValueFactory(city=city, indicator=unemployment, year=2019)
    html = detail(visitor, unemployment).content.decode()
    assert html.count("(latest value: 2019)") == shown
    assert "and 4 more cities." in html


def test_detail_still_accepts_a_chosen_city_that_is_not_on_the_page(visitor, unemployment):
    cities = [CityFactory(name=f"City {n:03d}") for n in range(comparisons.COMPARED_PER_PAGE + 2)]
    for n, city in enumerate(cities):
        IndicatorValueFactory(city=city, indicator=unemployment, year=2022, value=Decimal(n))
    response = detail(visitor, unemployment, city=[cities[0].slug])
    assert [c.name for c in response.context["overview"].selected] == ["City 000"]
    offered = {slug for slug, _name in response.context["form"].fields["city"].choices}
    assert cities[0].slug in offered  # checked box stays offered
    assert "checked" in response.content.decode()
