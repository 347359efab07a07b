"""Reading and checking a CSV file of indicator values, for the import page and the
`import_indicators` command. Nothing here writes: `services.indicator_values_import` does.

The file: UTF-8 (with or without BOM), comma- or semicolon-separated (told apart by the
header line), a header `city_slug,indicator_code,year,value,source` and an optional
`breakdown` column: a breakdown's code or its label in Spanish, Portuguese or English, in
any case, with or without accents. Values take a decimal point or a decimal comma and must
lie in the indicator's range. A cell the project's CSV writer protected with an apostrophe
("'-3.2", "'=1+1") is read without it. Any error in any line stops the whole import; every
error found is reported with its line and column.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import City
from core.spreadsheet import FORMULA_STARTS

from .models import Breakdown, Indicator, IndicatorValue, breakdown_key, breakdown_spellings

MAX_BYTES = 5 * 1024 * 1024
REQUIRED_COLUMNS = ("city_slug", "indicator_code", "year", "value", "source")
OPTIONAL_COLUMNS = ("breakdown",)
FIRST_YEAR = 1990
VALUE_PLACES = Decimal("0.000001")  # IndicatorValue.value keeps six decimals
MAX_INTEGER_DIGITS = 10  # and at most ten digits before the point
SOURCE_MAX = IndicatorValue._meta.get_field("source").max_length


@dataclass(frozen=True)
class LineError:
    line: int | None  # None: the file as a whole
    column: str
    message: str


@dataclass(frozen=True)
class ImportRow:
    line: int
    city_id: int
    indicator_id: int
    year: int
    breakdown: str
    value: Decimal
    source: str

    @property
    def key(self) -> tuple[int, int, int, str]:
        return (self.city_id, self.indicator_id, self.year, self.breakdown)

    def as_list(self) -> list:
        """A JSON-safe form, for keeping the checked rows between preview and confirmation."""
        return [
            self.line,
            self.city_id,
            self.indicator_id,
            self.year,
            self.breakdown,
            str(self.value),
            self.source,
        ]

    @classmethod
    def from_list(cls, item) -> "ImportRow":
        line, city_id, indicator_id, year, breakdown, value, source = item
        return cls(
            int(line), int(city_id), int(indicator_id), int(year), breakdown, Decimal(value), source
        )


@dataclass
class ParsedFile:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    digest: str = ""
    cities: dict[int, City] = field(default_factory=dict)
    indicators: dict[int, Indicator] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def last_year() -> int:
    return timezone.localdate().year + 1


def too_big_message(size: int) -> str:
    return _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
        "size": f"{size / 1024 / 1024:.1f}",
        "limit": MAX_BYTES // 1024 // 1024,
    }


def parse_decimal(text: str) -> Decimal | None:
    """A number written with a decimal point or a decimal comma ("1.234,5", "1,234.5",
    "12,5", "-3"); None when it is not a finite number. A lone comma is a decimal comma."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." in text:
        # the separator that comes last is the decimal one; the other groups thousands
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            return None
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def decode(data: bytes) -> tuple[str | None, list[LineError]]:
    """The text of the upload, or the file-level errors (empty, binary, not UTF-8, too big)."""
    if len(data) > MAX_BYTES:
        return None, [LineError(None, "", too_big_message(len(data)))]
    if b"\x00" in data:
        return None, [LineError(None, "", _("This is not a text file (it contains binary data)."))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = _("This line is not UTF-8 text; save the file as “CSV UTF-8” and try again.")
        return None, [LineError(line, "", message)]
    if not text.strip():
        return None, [LineError(None, "", _("The file is empty."))]
    return text, []


def sniff_delimiter(text: str) -> str:
    """Semicolon or comma, told apart by the header line (where no decimal commas occur)."""
    header = text.lstrip().splitlines()[0] if text.strip() else ""
    return ";" if header.count(";") > header.count(",") else ","


def unprotect(text: str) -> str:
    """A cell as written before `core.spreadsheet.safe_cell` put an apostrophe in front of
    it to keep a spreadsheet from running it as a formula."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class _Lookups:
    """Cities, indicators and breakdowns named in the file, loaded in four queries."""

    def __init__(self, records, positions):
        breakdowns = list(Breakdown.objects.all())
        self.breakdown_codes = [b.code for b in breakdowns]
        self.breakdown_by_spelling = breakdown_spellings(breakdowns)
        slugs = {record[positions["city_slug"]].strip().lower() for _, record in records}
        self.cities = {c.slug: c for c in City.objects.filter(slug__in=slugs)}
        indicators = list(Indicator.objects.order_by("pk"))
        self.indicator_by_slug = {i.slug.lower(): i for i in indicators}
        by_code: dict[str, list[Indicator]] = {}
        for indicator in indicators:
            if indicator.code:
                by_code.setdefault(indicator.code.strip().upper(), []).append(indicator)
        self.indicator_by_code = {code: items[0] for code, items in by_code.items()}
        self.ambiguous_codes = {code for code, items in by_code.items() if len(items) > 1}

    def indicator(self, text: str):
        key = text.strip()
        found = self.indicator_by_slug.get(key.lower())
        if found is None and key.upper() not in self.ambiguous_codes:
            found = self.indicator_by_code.get(key.upper())
        return found


def parse_indicator_csv(data: bytes, *, allowed_city_ids: frozenset[int] | None) -> ParsedFile:
    """Check every line of the upload. `allowed_city_ids` comes from
    `permissions.importable_city_ids` (None: any city). At most four queries."""
    parsed = ParsedFile(digest=hashlib.sha256(data).hexdigest())
    text, parsed.errors = decode(data)
    if text is None:
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        header = [name.strip().lower() for name in next(reader)]
        records = [(reader.line_num, record) for record in reader]
    except csv.Error as error:
        parsed.errors.append(LineError(reader.line_num, "", _("Unreadable CSV: %s") % error))
        return parsed
    positions = _check_header(header, parsed.errors)
    if parsed.errors:
        return parsed
    records = [(line, record) for line, record in records if not _is_blank(record, positions)]
    if not records:
        parsed.errors.append(LineError(None, "", _("The file has a header but no values.")))
        return parsed
    records = _check_widths(records, len(header), parsed.errors)
    lookups = _Lookups(records, positions)
    seen: dict[tuple, int] = {}
    for line, record in records:
        row = _check_record(line, record, positions, lookups, allowed_city_ids, parsed)
        if row is None:
            continue
        if row.key in seen:
            message = _(
                "This value repeats line %(line)s (same city, indicator, year and breakdown)."
            )
            parsed.errors.append(LineError(line, "", message % {"line": seen[row.key]}))
            continue
        seen[row.key] = line
        parsed.rows.append(row)
    return parsed


def _is_blank(record, positions) -> bool:
    """A line with no cell filled, or a line of the downloaded profile template
    (exports.profile_template_response) left without value and source: no value to import."""
    if not any(cell.strip() for cell in record):
        return True
    cells = [
        record[positions[n]].strip() for n in ("value", "source") if positions[n] < len(record)
    ]
    return len(cells) == 2 and not any(cells)


def _check_header(header, errors) -> dict[str, int]:
    for name in REQUIRED_COLUMNS:
        if name not in header:
            errors.append(LineError(1, name, _("Missing column “%(column)s”.") % {"column": name}))
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    for name in header:
        if name not in known:
            message = _("Unknown column “%(column)s”; the columns are: %(columns)s.") % {
                "column": name,
                "columns": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
            }
            errors.append(LineError(1, name, message))
    if len(set(header)) != len(header):
        errors.append(LineError(1, "", _("A column name appears twice in the header.")))
    return {name: header.index(name) for name in header}


def _check_widths(records, width, errors):
    good = []
    for line, record in records:
        if len(record) == width:
            good.append((line, record))
            continue
        message = _(
            "This line has %(found)s fields but the header has %(expected)s. If values use a "
            "decimal comma, separate the columns with semicolons or put the value in quotes."
        ) % {"found": len(record), "expected": width}
        errors.append(LineError(line, "", message))
    return good


def _check_record(line, record, positions, lookups, allowed_city_ids, parsed):
    errors = parsed.errors
    before = len(errors)

    def cell(name):
        return unprotect(record[positions[name]].strip()) if name in positions else ""

    city = lookups.cities.get(cell("city_slug").lower())
    if city is None:
        message = _("Unknown city “%(slug)s”.") % {"slug": cell("city_slug")}
        errors.append(LineError(line, "city_slug", message))
    elif allowed_city_ids is not None and city.pk not in allowed_city_ids:
        message = _("You do not coordinate %(city)s: you may not import its values.")
        errors.append(LineError(line, "city_slug", message % {"city": city.name}))
    indicator = lookups.indicator(cell("indicator_code"))
    if indicator is None:
        message = _("Unknown indicator “%(code)s”; use the slug shown on the indicator's page.")
        errors.append(LineError(line, "indicator_code", message % {"code": cell("indicator_code")}))
    year = None
    try:
        year = int(cell("year"))
    except ValueError:
        message = _("“%(value)s” is not a year.") % {"value": cell("year")}
        errors.append(LineError(line, "year", message))
    else:
        if not FIRST_YEAR <= year <= last_year():
            message = _("The year must be between %(first)s and %(last)s.")
            errors.append(
                LineError(line, "year", message % {"first": FIRST_YEAR, "last": last_year()})
            )
    value = parse_decimal(cell("value"))
    if value is None:
        message = _("“%(value)s” is not a number.") % {"value": cell("value")}
        errors.append(LineError(line, "value", message))
    elif abs(value) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        errors.append(LineError(line, "value", _("This number is too large.")))
    else:
        value = value.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)
        if indicator is not None:
            try:
                indicator.check_value(value)
            except ValidationError as error:
                errors.extend(LineError(line, "value", message) for message in error.messages)
    source = cell("source")
    if not source:
        errors.append(LineError(line, "source", _("Say where the value comes from.")))
    elif len(source) > SOURCE_MAX:
        message = _("At most %(max)s characters.") % {"max": SOURCE_MAX}
        errors.append(LineError(line, "source", message))
    breakdown = lookups.breakdown_by_spelling.get(breakdown_key(cell("breakdown")))
    if breakdown is None:
        message = _("Unknown breakdown “%(text)s”; use one of: %(codes)s.") % {
            "text": cell("breakdown"),
            "codes": ", ".join(lookups.breakdown_codes),
        }
        errors.append(LineError(line, "breakdown", message))
    if len(errors) > before:
        return None
    parsed.cities[city.pk] = city
    parsed.indicators[indicator.pk] = indicator
    return ImportRow(line, city.pk, indicator.pk, year, breakdown, value, source)


@dataclass(frozen=True)
class PreviewLine:
    row: ImportRow
    city: City
    indicator: Indicator
    old_value: Decimal | None

    @property
    def status(self) -> str:
        if self.old_value is None:
            return "new"
        return "unchanged" if self.old_value == self.row.value else "changed"


@dataclass
class Preview:
    lines: list[PreviewLine]

    def count(self, status) -> int:
        return sum(1 for line in self.lines if line.status == status)

    @property
    def created(self) -> int:
        return self.count("new")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def changes(self) -> list[PreviewLine]:
        return [line for line in self.lines if line.status != "unchanged"]


def preview(parsed: ParsedFile) -> Preview:
    """What the import will create and change: each row beside the value it replaces (one
    query, bounded by the cities, indicators and years of the file)."""
    existing = current_values(parsed.rows)
    return Preview(
        [
            PreviewLine(
                row,
                parsed.cities[row.city_id],
                parsed.indicators[row.indicator_id],
                existing.get(row.key),
            )
            for row in parsed.rows
        ]
    )


def current_values(rows) -> dict[tuple, Decimal]:
    """The stored values for the keys of `rows` (one query)."""
    if not rows:
        return {}
    keys = {row.key for row in rows}
    candidates = IndicatorValue.objects.filter(
        city_id__in={row.city_id for row in rows},
        indicator_id__in={row.indicator_id for row in rows},
        year__in={row.year for row in rows},
    ).order_by()
    return {
        key: value
        for *key_parts, value in candidates.values_list(
            "city_id", "indicator_id", "year", "breakdown_id", "value"
        )
        if (key := tuple(key_parts)) in keys
    }


# --- Between the preview and the confirmation -------------------------------------------------
# The checked rows wait in the user's server-side session, under the digest of the file they
# came from. The confirmation form carries only that digest: the rows never travel through the
# browser, so nothing the client sends back is trusted. One pending import per session.

SESSION_KEY = "mapping_pending_import"


def remember(session, parsed: ParsedFile) -> None:
    session[SESSION_KEY] = {
        "digest": parsed.digest,
        "rows": [row.as_list() for row in parsed.rows],
    }


def recall(session, digest: str) -> list[ImportRow] | None:
    """The rows checked for the file with this digest, or None when that preview is gone."""
    pending = session.get(SESSION_KEY)
    if not pending or pending.get("digest") != digest:
        return None
    try:
        return [ImportRow.from_list(item) for item in pending["rows"]]
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None


def forget(session) -> None:
    session.pop(SESSION_KEY, None)
