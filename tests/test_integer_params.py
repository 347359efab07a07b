"""Whole numbers from outside (query parameters, filters, environment variables) go through
core.numbers.parse_int: ASCII digits only. A superscript, a circled digit or another
script's digits answer like any other bad value ("abc"), never a 500, and are never read as
a number."""

import pytest
from django.urls import reverse

from core.numbers import parse_int
from tests.mapping.factories import (
    CityProblemFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SocialProblemFactory,
)
from tests.test_configuration import run_manage

# '²' and '¹²' pass str.isdigit() but int() refuses them; '①' passes isdigit() too;
# '٢٠٢٢' (Arabic-Indic) and '２０２２' (full width) are digits int() reads as 2022.
ODD_DIGITS = ["²", "①", "¹²", "٢٠٢٢", "２０２２"]


# --- the parser --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), ("7", 7), ("2022", 2022), ("007", 7), ("9" * 18, 10**18 - 1)],
)
def test_ascii_digits_are_read(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    "text",
    [*ODD_DIGITS, None, "", " 7", "7 ", "7\n", "+7", "-7", "7.0", "1_000", "0x10", "9" * 19, "abc"],
)
def test_anything_else_is_the_default(text):
    assert parse_int(text) is None
    assert parse_int(text, default=1) == 1


def test_bounds_give_the_default_outside_them():
    assert parse_int("5", min_value=1, max_value=5) == 5
    assert parse_int("0", min_value=1, default=1) == 1
    assert parse_int("6", max_value=5) is None


# --- every page that takes a whole number ------------------------------------------------


@pytest.fixture
def mapping_data(city_a):
    problem = SocialProblemFactory(slug="urban-poverty")
    indicator = IndicatorFactory(slug="unemployment")
    CityProblemFactory(city=city_a, problem=problem, year=2022)
    value = IndicatorValueFactory(city=city_a, indicator=indicator, year=2022)
    return {"indicator": indicator, "value": value}


def city_edit(world):
    return reverse("mapping:city_edit", kwargs={"slug": world["city"].slug})


def indicator(world):
    return reverse("mapping:indicator", kwargs={"slug": world["indicator"].slug})


# The public pages' whole-number parameters: URL name or path builder → parameters.
PUBLIC_PARAMETERS = {
    "experiences:list": ("page", "year_from", "year_to"),
    "funding:list": ("page",),
    "events:list": ("page", "year"),
    "cities:list": ("page",),
    "unit:library": ("page", "year"),
    "unit:news": ("page",),
    "mapping:index": ("page", "year"),
    indicator: ("page", "year"),
    **dict.fromkeys(
        (
            "mapping:export_indicators_csv",
            "mapping:export_indicators_json",
            "mapping:export_problems_csv",
            "mapping:export_problems_json",
        ),
        ("year",),
    ),
}
# (URL name or path builder, parameter, who asks)
INTEGER_PARAMETERS = [
    *((target, name, "visitor") for target, names in PUBLIC_PARAMETERS.items() for name in names),
    (city_edit, "year", "ana"),
]


def page_path(target, world):
    return target(world) if callable(target) else reverse(target)


@pytest.mark.parametrize(
    ("target", "parameter", "who"),
    INTEGER_PARAMETERS,
    ids=[f"{getattr(t, '__name__', t)}?{p}" for t, p, _w in INTEGER_PARAMETERS],
)
def test_odd_digits_answer_like_any_bad_value(
    target, parameter, who, visitor, ana_client, city_a, mapping_data
):
    client = ana_client if who == "ana" else visitor
    path = "/en" + page_path(target, {"city": city_a, **mapping_data}).removeprefix("/en")
    usual = client.get(path, {parameter: "abc"}).status_code
    assert usual < 500
    for text in ODD_DIGITS:
        response = client.get(path, {parameter: text})
        assert response.status_code == usual, f"{parameter}={text}: {response.status_code}"


def test_other_scripts_digits_are_no_year(visitor, db):
    """`?year=٢٠٢٢` is refused beside the field like `?year=abc`, not read as 2022."""
    for text in ("abc", "٢٠٢٢", "²"):
        response = visitor.get("/en/events/", {"year": text})
        assert response.status_code == 200
        assert response.context["filter"].errors.get("year"), text


def test_odd_digits_in_an_export_year_are_a_400(visitor, db):
    response = visitor.get("/en/mapping/export/indicators.csv", {"year": "٢٠٢٢"})
    assert response.status_code == 400
    assert b"year" in response.content


def test_a_year_with_odd_digits_opens_the_latest_year(ana_client, city_a, mapping_data):
    path = reverse("mapping:city_edit", kwargs={"slug": city_a.slug})
    latest = reverse("mapping:profile", kwargs={"slug": city_a.slug, "year": 2022})
    assert ana_client.get(path, {"year": "٢٠٢٠"})["Location"] == latest
    assert ana_client.get(path, {"year": "2020"})["Location"] == latest.replace("2022", "2020")


# --- integer environment variables -------------------------------------------------------


@pytest.mark.parametrize("text", ["¹²", "①", "٢٠", "-5", "12 seconds"])
def test_a_count_setting_with_odd_digits_stops_with_one_sentence(text):
    result = run_manage("check", env_overrides={"DEBUG": "1", "SESSION_IDLE_SECONDS": text})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SESSION_IDLE_SECONDS must be a whole number, such as 1800."
    ]
