"""CSV import of indicator values: the parser (mapping/importing.py), the preview/confirm page,
the service and the `import_indicators` command. Any bad line stops everything."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from mapping import importing, services
from mapping.importing import MAX_BYTES, parse_indicator_csv
from mapping.models import IndicatorValue

from .factories import IndicatorFactory, IndicatorValueFactory

HEADER = "city_slug,indicator_code,year,value,source\n"
NEXT_YEAR = datetime.date.today().year + 1


def parse(text, allowed=None):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return parse_indicator_csv(data, allowed_city_ids=allowed)


def errors_of(parsed):
    return [(e.line, e.column) for e in parsed.errors]


# --- The parser ---------------------------------------------------------------------------


def test_a_good_file_gives_one_row_per_line(city_a, city_b, unemployment, income):
    parsed = parse(
        HEADER + "quilmes-ar,sdg-8-5-2,2022,7.5,EPH\n"
        "porto-alegre-br,br-atlas-rdpc,2010,1758.27,Atlas\n"
    )
    assert parsed.ok, parsed.errors
    first, second = parsed.rows
    assert (first.line, first.city_id, first.year, first.value, first.breakdown) == (
        2,
        city_a.pk,
        2022,
        Decimal("7.5"),
        "total",
    )
    assert second.indicator_id == income.pk and second.value == Decimal("1758.27")


def test_bom_semicolons_and_decimal_commas_are_accepted(city_a, unemployment, income):
    text = "city_slug;indicator_code;year;value;source;breakdown\r\n"
    text += "quilmes-ar;sdg-8-5-2;2022;7,5;EPH;\r\n"
    text += "quilmes-ar;br-atlas-rdpc;2022;1.234,5;EPH;Female\r\n"
    parsed = parse("\ufeff" + text)
    assert parsed.ok, parsed.errors
    assert [(r.value, r.breakdown) for r in parsed.rows] == [
        (Decimal("7.5"), "total"),
        (Decimal("1234.5"), "women"),
    ]


def test_indicator_code_matches_the_official_code_when_unique(city_a, unemployment):
    parsed = parse(HEADER + "quilmes-ar,8.5.2,2022,7.5,EPH\n")
    assert parsed.ok and parsed.rows[0].indicator_id == unemployment.pk


def test_a_code_shared_by_two_indicators_is_not_a_match(city_a, unemployment):
    IndicatorFactory(slug="other-unemployment", code="8.5.2")
    parsed = parse(HEADER + "quilmes-ar,8.5.2,2022,7.5,EPH\n")
    assert errors_of(parsed) == [(2, "indicator_code")]


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("atlantis-xx,sdg-8-5-2,2022,7.5,EPH", "city_slug", "Unknown city “atlantis-xx”."),
        ("quilmes-ar,no-such-thing,2022,7.5,EPH", "indicator_code", "Unknown indicator"),
        ("quilmes-ar,sdg-8-5-2,2022,seven,EPH", "value", "“seven” is not a number."),
        ("quilmes-ar,sdg-8-5-2,2022,NaN,EPH", "value", "is not a number"),
        ("quilmes-ar,sdg-8-5-2,2022,1e12,EPH", "value", "too large"),
        ("quilmes-ar,sdg-8-5-2,1989,7.5,EPH", "year", "between 1990 and"),
        (f"quilmes-ar,sdg-8-5-2,{NEXT_YEAR + 1},7.5,EPH", "year", "between 1990 and"),
        ("quilmes-ar,sdg-8-5-2,2022.5,7.5,EPH", "year", "is not a year"),
        ("quilmes-ar,sdg-8-5-2,2022,7.5,", "source", "Say where the value comes from."),
    ],
)
def test_each_bad_cell_is_reported_with_its_line_and_column(
    city_a, unemployment, line, column, message
):
    parsed = parse(HEADER + "quilmes-ar,sdg-8-5-2,2021,7.5,EPH\n" + line + "\n")
    assert not parsed.ok
    assert errors_of(parsed) == [(3, column)]
    assert message in parsed.errors[0].message


def test_next_year_is_still_accepted(city_a, unemployment):
    assert parse(HEADER + f"quilmes-ar,sdg-8-5-2,{NEXT_YEAR},7.5,EPH\n").ok


def test_a_duplicated_key_inside_the_file_is_an_error_on_the_second_line(city_a, unemployment):
    parsed = parse(
        HEADER + "quilmes-ar,sdg-8-5-2,2022,7.5,EPH\n"
        "quilmes-ar,sdg-8-5-2,2021,7.0,EPH\n"
        "QUILMES-AR,8.5.2,2022,7.9,EPH\n"
    )
    assert errors_of(parsed) == [(4, "")]
    assert "repeats line 2" in parsed.errors[0].message


def test_missing_and_unknown_columns_are_header_errors(db):
    parsed = parse("city_slug,indicator,year,value,source\nquilmes-ar,x,2022,1,EPH\n")
    assert sorted(errors_of(parsed)) == [(1, "indicator"), (1, "indicator_code")]
    assert "Missing column “indicator_code”." in [e.message for e in parsed.errors]


def test_a_line_with_too_many_fields_explains_decimal_commas(city_a, unemployment):
    parsed = parse(HEADER + "quilmes-ar,sdg-8-5-2,2022,7,5,EPH\n")
    assert errors_of(parsed) == [(2, "")]
    assert "decimal comma" in parsed.errors[0].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n\n", "The file is empty."),
        (HEADER.encode(), "The file has a header but no values."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (HEADER.encode() + "quilmes-ar,sdg-8-5-2,2022,7.5,Año\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_files_that_are_not_csv_text_are_refused_whole(db, data, message):
    parsed = parse(data)
    assert not parsed.ok and not parsed.rows
    assert message in parsed.errors[0].message


def test_the_line_of_a_latin1_byte_is_reported(db):
    data = HEADER.encode() + "quilmes-ar,sdg-8-5-2,2022,7.5,Año\n".encode("latin-1")
    assert parse(data).errors[0].line == 2


def test_a_file_over_five_megabytes_says_so(db):
    parsed = parse(HEADER.encode() + b"x" * MAX_BYTES)
    assert "the limit is 5 MB" in parsed.errors[0].message


def test_rows_for_a_city_the_coordinator_does_not_coordinate_are_errors(
    city_a, city_b, unemployment
):
    parsed = parse(
        HEADER + "quilmes-ar,sdg-8-5-2,2022,7.5,EPH\nporto-alegre-br,sdg-8-5-2,2022,6,IBGE\n",
        allowed=frozenset({city_a.pk}),
    )
    assert errors_of(parsed) == [(3, "city_slug")]
    assert "You do not coordinate Porto Alegre" in parsed.errors[0].message


def test_parsing_costs_a_fixed_number_of_queries(
    city_a, city_b, unemployment, income, django_assert_max_num_queries
):
    lines = [
        f"{city},{indicator},{year},{year / 100},src"
        for city in ("quilmes-ar", "porto-alegre-br")
        for indicator in ("sdg-8-5-2", "br-atlas-rdpc")
        for year in range(1990, 2020)
    ]
    # cities, indicators, breakdowns, stored values
    with django_assert_max_num_queries(4):
        parsed = parse(HEADER + "\n".join(lines))
        importing.preview(parsed)
    assert parsed.ok and len(parsed.rows) == 120


# --- The service ---------------------------------------------------------------------------


def test_import_creates_and_replaces_values_in_one_go(city_a, unemployment, sofia):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2021, value=Decimal("9"))
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2020, value=Decimal("8"))
    parsed = parse(
        HEADER + "quilmes-ar,sdg-8-5-2,2022,7.5,EPH\n"
        "quilmes-ar,sdg-8-5-2,2021,8.5,EPH new\n"
        "quilmes-ar,sdg-8-5-2,2020,8,National statistics office\n"
    )
    outcome = services.indicator_values_import(rows=parsed.rows, by=sofia)
    assert (outcome.created, outcome.changed, outcome.unchanged) == (1, 1, 1)
    stored = dict(IndicatorValue.objects.filter(city=city_a).values_list("year", "value"))
    assert stored == {2020: Decimal("8"), 2021: Decimal("8.5"), 2022: Decimal("7.5")}
    assert IndicatorValue.objects.get(year=2021).source == "EPH new"


def test_service_refuses_rows_of_another_city_and_writes_nothing(city_a, city_b, unemployment, ana):
    parsed = parse(
        HEADER + "quilmes-ar,sdg-8-5-2,2022,7.5,EPH\nporto-alegre-br,sdg-8-5-2,2022,6,IBGE\n"
    )
    with pytest.raises(PermissionDenied):
        services.indicator_values_import(rows=parsed.rows, by=ana)
    assert IndicatorValue.objects.count() == 0


def test_ten_thousand_rows_import_in_a_handful_of_queries(
    city_a, sofia, django_assert_max_num_queries
):
    # 100 indicators × 25 years × 4 breakdowns: guards against one query per row.
    indicators = [IndicatorFactory(slug=f"ind-{n}") for n in range(100)]
    lines = [
        f"quilmes-ar,{indicator.slug},{year},{year % 17}.25,Survey,{breakdown}"
        for indicator in indicators
        for year in range(2000, 2025)
        for breakdown in ("total", "female", "male", "age 0-14")
    ]
    parsed = parse("city_slug,indicator_code,year,value,source,breakdown\n" + "\n".join(lines))
    assert parsed.ok, parsed.errors[:3]
    assert len(parsed.rows) == 10_000
    with django_assert_max_num_queries(12):
        outcome = services.indicator_values_import(rows=parsed.rows, by=sofia)
    assert outcome.created == 10_000 == IndicatorValue.objects.count()
