"""The city social profile that the city page renders: mapping.queries + _city_profile.html."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from mapping import queries
from tests.factories import CityFactory

from .factories import CityProblemFactory, IndicatorValueFactory, SocialProblemFactory


def test_social_profile_lists_the_latest_year_most_pressing_first(city_a, poverty, violence):
    CityProblemFactory(city=city_a, problem=poverty, year=2020, priority=1)
    CityProblemFactory(city=city_a, problem=poverty, year=2023, priority=2)
    CityProblemFactory(
        city=city_a, problem=violence, year=2023, priority=1, affected_population=None
    )
    profile = queries.social_profile(city_a)
    assert profile.year == 2023
    assert [(p.problem.slug, p.priority) for p in profile.problems] == [
        ("gender-violence", 1),
        ("urban-poverty", 2),
    ]


def test_social_profile_of_a_city_without_problems_is_empty(city_a):
    profile = queries.social_profile(city_a)
    assert profile.year is None and profile.problems == []


def test_indicator_series_gives_series_latest_trend_and_network_median(
    city_a, city_b, city_c, unemployment, income
):
    for year, value in ((2018, "9.0"), (2020, "11.5"), (2022, "8.0")):
        IndicatorValueFactory(city=city_a, indicator=unemployment, year=year, value=Decimal(value))
    IndicatorValueFactory(city=city_b, indicator=unemployment, year=2022, value=Decimal("6.0"))
    IndicatorValueFactory(city=city_c, indicator=unemployment, year=2022, value=Decimal("12.0"))
    # a broken-down value is not part of the series
    IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=2022, breakdown_id="women", value=Decimal("99")
    )
    IndicatorValueFactory(city=city_a, indicator=income, year=2010, value=Decimal("500"))
    IndicatorValueFactory(city=city_a, indicator=income, year=2015, value=Decimal("600"))

    series = {s.indicator.slug: s for s in queries.indicator_series(city_a)}

    jobs = series["sdg-8-5-2"]
    assert jobs.years == [2018, 2020, 2022]
    assert jobs.latest.value == Decimal("8.0")
    assert jobs.trend.direction == "down" and jobs.trend.is_good is True  # lower is better
    assert jobs.network_median == Decimal("8.0") and jobs.network_count == 3
    # a sparkline (the profile lists every indicator; the full chart is on its own page)
    assert jobs.chart["compact"] is True
    assert jobs.chart["series"][0]["label"] == "Unemployment rate in Quilmes, 2018–2022"
    assert "L" in jobs.chart["series"][0]["path"]  # the line joins the three years
    assert [p["year"] for p in jobs.chart["series"][0]["points"]] == [2022]  # marker: latest

    money = series["br-atlas-rdpc"]
    assert money.trend.direction == "up" and money.trend.is_good is True
    assert money.network_median == Decimal("600")


def test_a_change_below_the_shown_precision_is_flat(city_a, unemployment):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2020, value=Decimal("8.01"))
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2021, value=Decimal("8.03"))
    (series,) = queries.indicator_series(city_a)
    assert series.trend.direction == "flat" and series.trend.is_good is None


def test_a_single_year_has_no_trend_and_no_chart(city_a, unemployment):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2020)
    (series,) = queries.indicator_series(city_a)
    assert series.trend is None
    assert series.chart == {}


def _fill(city, problems, indicators, years):
    for year in years:
        for index, problem in enumerate(problems):
            CityProblemFactory(city=city, problem=problem, year=year, priority=index % 5 + 1)
        for indicator in indicators:
            IndicatorValueFactory(city=city, indicator=indicator, year=year)


@pytest.mark.parametrize("size", [1, 6])
def test_profile_queries_do_not_grow_with_years_values_or_cities(
    city_a, unemployment, income, size, django_assert_max_num_queries
):
    # Guards the N+1 of reading each value's indicator, or one median query per indicator.
    problems = [SocialProblemFactory() for _ in range(size)]
    _fill(city_a, problems, [unemployment, income], range(2010, 2010 + size))
    for _ in range(size):
        _fill(CityFactory(), problems, [unemployment, income], range(2010, 2010 + size))
    with django_assert_max_num_queries(3):
        profile = queries.social_profile(city_a)
        series = queries.indicator_series(city_a)
        render_to_string(
            "mapping/_city_profile.html", {"social_profile": profile, "indicator_series": series}
        )


def test_partial_renders_tables_charts_and_practices(city_a, poverty, violence, unemployment):
    CityProblemFactory(
        city=city_a,
        problem=poverty,
        year=2023,
        priority=1,
        affected_population=12500,
        source="Observatorio social",
    )
    CityProblemFactory(city=city_a, problem=violence, year=2023, priority=2, is_sample=True)
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2021, value=Decimal("9.5"))
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2022, value=Decimal("10.25"))
    html = render_to_string(
        "mapping/_city_profile.html",
        {
            "social_profile": queries.social_profile(city_a),
            "indicator_series": queries.indicator_series(city_a),
            "practices_by_problem": {poverty.pk: [("Comedores", "/practices/comedores/")]},
        },
    )
    assert "Social problems reported by Quilmes for 2023, most pressing first" in html
    assert '<th scope="col">Affected population</th>' in html
    assert "12,500" in html and "Observatorio social" in html
    assert '<a href="/practices/comedores/">Comedores</a>' in html
    assert "none published yet" in html  # violence has no practice
    assert "sample data" in html
    assert 'role="img"' in html and "Unemployment rate by year (% of labour force)" in html
    assert "10.3" in html  # one decimal
    assert "up since 2021, a worsening" in html


def test_partial_without_practices_has_no_practices_column(city_a, poverty):
    CityProblemFactory(city=city_a, problem=poverty)
    html = render_to_string(
        "mapping/_city_profile.html",
        {"social_profile": queries.social_profile(city_a), "indicator_series": []},
    )
    assert "Practices that address it" not in html
    assert "This city has not reported indicator values yet." in html
