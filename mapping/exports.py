"""Open data: the indicator values and the cities' problems as CSV or JSON, streamed.

The column names are stable (the data dictionary page describes them); rows are read with a
server-side cursor in chunks, so a large export never sits in memory whole.
"""

import csv
import datetime
import json
from dataclasses import dataclass

from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from core.spreadsheet import safe_cell
from core.translation import language_suffix

from .grid import stored_profile
from .importing import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

CHUNK_SIZE = 2000
LINES_PER_PIECE = 500  # rows per piece of the streamed response


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "integer", "decimal", "boolean", "datetime"
    description: str


COMMON_HEAD = [
    Column("city_slug", "text", _("Identifier of the city in the portal's addresses.")),
    Column("city_name", "text", _("Name of the city.")),
    Column("country", "text", _("Country of the city, ISO 3166-1 alpha-2 code (AR, BR, UY…).")),
]
COMMON_TAIL = [
    Column("source", "text", _("Where the figure comes from, as given by whoever entered it.")),
    Column(
        "is_sample",
        "boolean",
        _("true for demonstration data that must not be quoted as real; otherwise false."),
    ),
    Column("updated_at", "datetime", _("Last change of the row, ISO 8601 in UTC.")),
]

INDICATOR_COLUMNS = [
    *COMMON_HEAD,
    Column("indicator_slug", "text", _("Identifier of the indicator (used by the import).")),
    Column("indicator_code", "text", _("Official code of the indicator, when it has one.")),
    Column("indicator_name", "text", _("Name of the indicator in the language of the link.")),
    Column("unit", "text", _("Unit of the value.")),
    Column("year", "integer", _("Year the value refers to.")),
    Column(
        "breakdown",
        "text",
        _(
            "Code of the breakdown: “total”, or the group the value describes (for example "
            "“women”, “age_15_24”)."
        ),
    ),
    Column("value", "decimal", _("The value, with a decimal point and no thousands separator.")),
    *COMMON_TAIL,
]

PROBLEM_COLUMNS = [
    *COMMON_HEAD,
    Column("problem_slug", "text", _("Identifier of the social problem.")),
    Column("problem_name", "text", _("Name of the problem in the language of the link.")),
    Column("category", "text", _("Category code of the problem (poverty, work, education…).")),
    Column("year", "integer", _("Year of the assessment.")),
    Column("priority", "integer", _("1 (most pressing) to 5 (least pressing), set by the city.")),
    Column("affected_population", "integer", _("People affected, when known; empty otherwise.")),
    Column("notes", "text", _("The city's notes on the problem.")),
    *COMMON_TAIL,
]


def _decimal_text(value) -> str:
    return format(value.normalize(), "f")


def _records(queryset, fields: dict[str, str], name_column: str):
    """Stream dicts {column: value} from `queryset.values_list(*fields.values())`; the name
    column falls back to Spanish when the current language has no name."""
    for row in queryset.values_list(*fields.values(), "updated_at").iterator(CHUNK_SIZE):
        record = dict(zip(fields, row, strict=False))
        record[name_column] = record[name_column] or record.pop("_name_es")
        record.pop("_name_es", None)
        record["updated_at"] = row[-1].astimezone(datetime.UTC).isoformat() if row[-1] else ""
        yield record


def indicator_records(queryset):
    """Dicts keyed by INDICATOR_COLUMNS, streamed from `queryset` (IndicatorValue)."""
    suffix = language_suffix()  # read now: the generator runs after the view returned
    fields = {
        "city_slug": "city__slug",
        "city_name": "city__name",
        "country": "city__country",
        "indicator_slug": "indicator__slug",
        "indicator_code": "indicator__code",
        "indicator_name": f"indicator__name_{suffix}",
        "_name_es": "indicator__name_es",
        "unit": "indicator__unit",
        "year": "year",
        "breakdown": "breakdown",
        "value": "value",
        "source": "source",
        "is_sample": "is_sample",
    }
    # values whose old breakdown text matched no breakdown wait for the secretariat
    ordered = queryset.filter(breakdown__isnull=False).order_by(
        "indicator__slug", "city__slug", "year", "breakdown"
    )
    return _records(ordered, fields, "indicator_name")


def problem_records(queryset):
    """Dicts keyed by PROBLEM_COLUMNS, streamed from `queryset` (CityProblem)."""
    suffix = language_suffix()
    fields = {
        "city_slug": "city__slug",
        "city_name": "city__name",
        "country": "city__country",
        "problem_slug": "problem__slug",
        "problem_name": f"problem__name_{suffix}",
        "_name_es": "problem__name_es",
        "category": "problem__category",
        "year": "year",
        "priority": "priority",
        "affected_population": "affected_population",
        "notes": "notes",
        "source": "source",
        "is_sample": "is_sample",
    }
    ordered = queryset.order_by("city__slug", "-year", "priority", "problem__slug")
    return _records(ordered, fields, "problem_name")


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "normalize"):
        return _decimal_text(value)
    return value


def _batched(lines):
    """Join the lines into pieces of LINES_PER_PIECE: one write to the socket per piece, not
    per row (the memory still holds one piece at most)."""
    piece = []
    for line in lines:
        piece.append(line)
        if len(piece) >= LINES_PER_PIECE:
            yield "".join(piece)
            piece = []
    if piece:
        yield "".join(piece)


def _csv_lines(columns, records, *, formula_safe=False):
    writer = csv.writer(_Echo())
    names = [column.name for column in columns]
    yield writer.writerow(names)
    for record in records:
        cells = [_csv_cell(record[name]) for name in names]
        yield writer.writerow([safe_cell(cell) for cell in cells] if formula_safe else cells)


def _json_value(value):
    if hasattr(value, "normalize"):
        return float(_decimal_text(value))
    return value


def _json_lines(records):
    yield "[\n"
    first = True
    for record in records:
        item = json.dumps({k: _json_value(v) for k, v in record.items()}, ensure_ascii=False)
        yield item if first else ",\n" + item
        first = False
    yield "\n]\n"


def csv_response(columns, records, filename, *, formula_safe=False) -> StreamingHttpResponse:
    """A CSV download; `formula_safe` cells that a spreadsheet would run as a formula get the
    protective apostrophe (core.spreadsheet), which the import strips again."""
    lines = _csv_lines(columns, records, formula_safe=formula_safe)
    response = StreamingHttpResponse(
        (piece.encode("utf-8") for piece in _batched(lines)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(records) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        (piece.encode("utf-8") for piece in _batched(_json_lines(records))),
        content_type="application/json; charset=utf-8",
    )


# The import format (mapping/importing.py), in its column order.
TEMPLATE_COLUMNS = [Column(name, "text", "") for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]


def profile_template_records(city, year):
    """One line per cell of the profile grid (indicator × breakdown), with the stored value
    and source, blank where the city has none yet (the import skips lines left blank)."""
    for indicator, code, value in stored_profile(city, year).rows():
        yield {
            "city_slug": city.slug,
            "indicator_code": indicator.slug,
            "year": year,
            "value": value.value if value else "",
            "source": value.source if value else "",
            "breakdown": code,
        }


def profile_template_response(city, year):
    """The template download: the city's year in the import format, formula-safe."""
    records = list(profile_template_records(city, year))
    filename = f"utds-{city.slug}-{year}.csv"
    return csv_response(TEMPLATE_COLUMNS, records, filename, formula_safe=True)
