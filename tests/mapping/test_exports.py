"""Open data: streamed CSV/JSON exports, their filters and the data dictionary."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from mapping import exports

from .factories import CityProblemFactory, IndicatorValueFactory


@pytest.fixture
def data(city_a, city_b, unemployment, income, poverty):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2022, value=Decimal("7.5"))
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2021, value=Decimal("100"))
    IndicatorValueFactory(
        city=city_b, indicator=income, year=2010, value=Decimal("1758.27"), is_sample=True
    )
    CityProblemFactory(
        city=city_a,
        problem=poverty,
        year=2023,
        priority=1,
        affected_population=None,
        notes="Línea 1, “comillas”",
    )
    CityProblemFactory(city=city_b, problem=poverty, year=2022, priority=4)


def body_of(response) -> bytes:
    # The whole database streams; one indicator or one city is sent whole (cacheable).
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)
    return response.content


def rows_of(response):
    return list(csv.DictReader(io.StringIO(body_of(response).decode("utf-8"))))


def json_of(response):
    return json.loads(body_of(response))


def test_the_whole_export_streams_and_a_bounded_one_is_sent_whole(visitor, data):
    url = reverse("mapping:export_indicators_csv")
    assert isinstance(visitor.get(url), StreamingHttpResponse)
    bounded = visitor.get(url, {"indicator": "sdg-8-5-2"})
    assert not isinstance(bounded, StreamingHttpResponse)
    assert bounded["Content-Disposition"] == 'attachment; filename="utds-indicators.csv"'
    assert bounded.content.startswith(b"city_slug") or b"city_slug" in bounded.content[:200]


def test_indicator_csv_has_stable_columns_and_plain_decimals(visitor, data):
    response = visitor.get(reverse("mapping:export_indicators_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert list(rows[0]) == [column.name for column in exports.INDICATOR_COLUMNS]
    by_key = {(r["city_slug"], r["year"]): r for r in rows}
    assert by_key[("quilmes-ar", "2022")]["value"] == "7.5"
    assert by_key[("quilmes-ar", "2021")]["value"] == "100"
    assert by_key[("porto-alegre-br", "2010")]["value"] == "1758.27"
    assert by_key[("porto-alegre-br", "2010")]["is_sample"] == "true"
    assert by_key[("quilmes-ar", "2022")]["indicator_name"] == "Unemployment rate"
    assert by_key[("quilmes-ar", "2022")]["breakdown"] == "total"
    assert by_key[("quilmes-ar", "2022")]["updated_at"].endswith("+00:00")


def test_indicator_exports_filter_by_city_country_indicator_and_year(visitor, data):
    url = reverse("mapping:export_indicators_csv")
    assert {r["city_slug"] for r in rows_of(visitor.get(url, {"city": "porto-alegre-br"}))} == {
        "porto-alegre-br"
    }
    assert {r["country"] for r in rows_of(visitor.get(url, {"country": "ar"}))} == {"AR"}
    assert len(rows_of(visitor.get(url, {"indicator": "sdg-8-5-2", "year": 2021}))) == 1


def test_indicator_json_is_a_list_of_objects_with_numbers(visitor, data):
    response = visitor.get(reverse("mapping:export_indicators_json"), {"year": 2022})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    (item,) = json_of(response)
    assert item["value"] == 7.5 and item["is_sample"] is False and item["year"] == 2022
    assert set(item) == {column.name for column in exports.INDICATOR_COLUMNS}


def test_problem_exports_in_csv_and_json(visitor, data):
    rows = rows_of(visitor.get(reverse("mapping:export_problems_csv"), {"country": "AR"}))
    assert list(rows[0]) == [column.name for column in exports.PROBLEM_COLUMNS]
    (row,) = rows
    assert (row["problem_slug"], row["priority"], row["affected_population"]) == (
        "urban-poverty",
        "1",
        "",
    )
    assert row["notes"] == "Línea 1, “comillas”"
    items = json_of(visitor.get(reverse("mapping:export_problems_json"), {"year": 2022}))
    assert [(i["city_slug"], i["priority"]) for i in items] == [("porto-alegre-br", 4)]
    assert items[0]["affected_population"] == 1000


def test_empty_export_is_a_header_or_an_empty_list(visitor, db):
    rows = b"".join(visitor.get(reverse("mapping:export_problems_csv")).streaming_content)
    assert rows.decode().strip() == ",".join(c.name for c in exports.PROBLEM_COLUMNS)
    assert json_of(visitor.get(reverse("mapping:export_indicators_json"))) == []


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("mapping:export_indicators_csv", {"year": "abc"}),
        ("mapping:export_indicators_json", {"year": "1e400"}),
        ("mapping:export_problems_csv", {"category": "nope"}),
        ("mapping:export_problems_json", {"city": "a\x00b"}),
    ],
)
def test_malformed_filters_answer_400_naming_the_filter(visitor, data, name, params):
    response = visitor.get(reverse(name), params)
    assert response.status_code == 400
    assert next(iter(params)) in response.content.decode()


def test_export_reads_rows_in_chunks_with_a_fixed_number_of_queries(
    visitor, data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = visitor.get(reverse("mapping:export_indicators_csv"))
        rows_of(response)


def test_data_dictionary_describes_every_column(visitor, db):
    response = visitor.get(reverse("mapping:export"))
    assert response.status_code == 200
    html = response.content.decode()
    for column in [*exports.INDICATOR_COLUMNS, *exports.PROBLEM_COLUMNS]:
        assert f"<code>{column.name}</code>" in html
    assert "decimal point" in html and "UTF-8" in html
    assert "<code>country</code>" in html  # filters listed too


def test_names_follow_the_language_of_the_link(visitor, data):
    from django.utils import translation

    with translation.override("es"):
        url = reverse("mapping:export_indicators_csv")
    assert url == "/mapping/export/indicators.csv"
    names = {r["indicator_slug"]: r["indicator_name"] for r in rows_of(visitor.get(url))}
    assert names["sdg-8-5-2"] == "Tasa de desempleo"


def test_csv_is_streamed_in_pieces_of_many_rows(visitor, city_a, unemployment):
    # One write per piece of LINES_PER_PIECE rows, not one per row; memory holds one piece.
    breakdowns = ("total", "women", "men", "age_0_14", "age_15_24")
    for n in range(exports.LINES_PER_PIECE + 10):
        IndicatorValueFactory(
            city=city_a,
            indicator=unemployment,
            year=1990 + n // len(breakdowns),
            breakdown_id=breakdowns[n % len(breakdowns)],
        )
    response = visitor.get(reverse("mapping:export_indicators_csv"))
    pieces = list(response.streaming_content)
    assert len(pieces) == 2
    text = b"".join(pieces).decode("utf-8")
    assert len(list(csv.DictReader(io.StringIO(text)))) == exports.LINES_PER_PIECE + 10


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_a_bounded_export_is_kept_by_the_page_cache_and_the_whole_one_is_not(
    visitor, data, backend, django_assert_num_queries
):
    from django.core.cache import cache
    from django.test import override_settings

    from core import cache as page_cache
    from tests.test_cache import BACKENDS

    url = reverse("mapping:export_indicators_csv")
    with override_settings(CACHES={"default": BACKENDS[backend]}, CACHE_PAGES_SECONDS=300):
        cache.delete(page_cache.GENERATION_KEY)
        first = visitor.get(url, {"indicator": "sdg-8-5-2"})
        assert first["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            second = visitor.get(url, {"indicator": "sdg-8-5-2"})
        assert second["X-Page-Cache"] == "hit"
        assert second.content == first.content
        whole = visitor.get(url)
        assert whole.streaming
        assert whole.get("X-Page-Cache") != "hit"
