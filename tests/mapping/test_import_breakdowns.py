"""The CSV importer's breakdowns and protected cells (issue 18): a breakdown's code or its
label in any of the three languages, in any case and with or without accents; a cell the
project's CSV writer protected with an apostrophe is read without it."""

from decimal import Decimal

import pytest
from django.utils import translation

from core.spreadsheet import safe_cell
from mapping.importing import parse_indicator_csv, unprotect

HEADER = "city_slug;indicator_code;year;value;source;breakdown\n"


def parse(text):
    return parse_indicator_csv(text.encode("utf-8"), allowed_city_ids=None)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("women", "women"),
        ("Mujeres", "women"),
        ("MULHERES", "women"),
        ("Women", "women"),
        ("female", "women"),
        ("varones", "men"),
        ("Homens", "men"),
        ("", "total"),
        ("TOTAL", "total"),
        ("age_0_14", "age_0_14"),
        ("0 a 14 años", "age_0_14"),
        ("0 a 14 anos", "age_0_14"),
        ("Age 0–14", "age_0_14"),
        ("65 años y más", "age_65_plus"),
        ("Age 65 and over", "age_65_plus"),
    ],
)
def test_a_breakdown_is_a_code_or_a_label_in_any_language(city_a, unemployment, written, code):
    parsed = parse(HEADER + f"quilmes-ar;sdg-8-5-2;2022;7,5;EPH;{written}\n")
    assert parsed.ok, parsed.errors
    assert parsed.rows[0].breakdown == code


def test_an_unknown_breakdown_is_refused_with_the_list(city_a, unemployment):
    with translation.override("en"):
        parsed = parse(HEADER + "quilmes-ar;sdg-8-5-2;2022;7,5;EPH;martians\n")
    [error] = parsed.errors
    assert (error.line, error.column) == (2, "breakdown")
    assert error.message.startswith("Unknown breakdown “martians”; use one of: total, women, men")


def test_two_spellings_of_one_group_are_the_same_key(city_a, unemployment):
    parsed = parse(
        HEADER + "quilmes-ar;sdg-8-5-2;2022;7,5;EPH;mujeres\n"
        "quilmes-ar;sdg-8-5-2;2022;7,6;EPH;Female\n"
    )
    assert [(e.line, e.column) for e in parsed.errors] == [(3, "")]


@pytest.mark.parametrize("text", ["-3.2", "=1+1", "+5", "@x", "plain", "", "'quoted"])
def test_unprotect_undoes_safe_cell(text):
    assert unprotect(safe_cell(text)) == text


def test_a_protected_negative_value_imports_as_a_number(city_a, db):
    from .factories import IndicatorFactory

    IndicatorFactory(slug="income-growth", kind="growth", min_value=None, max_value=None)
    line = ";".join(
        safe_cell(cell) for cell in ("quilmes-ar", "income-growth", "2022", "-3.2", "=EPH", "")
    )
    parsed = parse(HEADER + line + "\n")
    assert parsed.ok, parsed.errors
    row = parsed.rows[0]
    assert (row.value, row.source) == (Decimal("-3.2"), "=EPH")
