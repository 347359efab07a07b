"""Writes of the mapping app: a city's problems and indicator values, from the profile grid or
imported, and their removal.

Each function is atomic, takes keyword arguments only, and checks the permission itself as a
last line of defence (views and commands ask `permissions` first to answer nicely).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .importing import ImportRow, current_values
from .models import CityProblem, Indicator, IndicatorValue, SocialProblem
from .permissions import can_edit_city_data, importable_city_ids

IMPORT_BATCH_SIZE = 2000


def _check_can_edit(by, city) -> None:
    if not can_edit_city_data(by, city):
        raise PermissionDenied


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    changed: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.changed + self.unchanged


@transaction.atomic
def indicator_values_import(*, rows: list[ImportRow], by) -> ImportOutcome:
    """Store checked rows (from `importing.parse_indicator_csv`) in one transaction.

    Each row creates its value or replaces the stored one (same city, indicator, year and
    breakdown), in batched upserts so ten thousand rows take a handful of queries. `by` is the
    importing user, or None for the command line acting as the secretariat. Raises
    PermissionDenied, writing nothing, when a row names a city `by` may not import for.
    """
    if by is not None:
        allowed = importable_city_ids(by)
        if allowed is not None and any(row.city_id not in allowed for row in rows):
            raise PermissionDenied
    existing = current_values(rows)
    now = timezone.now()
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                city_id=row.city_id,
                indicator_id=row.indicator_id,
                year=row.year,
                breakdown_id=row.breakdown,
                value=row.value,
                source=row.source,
                is_sample=False,
                updated_at=now,
            )
            for row in rows
        ],
        batch_size=IMPORT_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["city", "indicator", "year", "breakdown"],
        update_fields=["value", "source", "is_sample", "updated_at"],
    )
    created = sum(1 for row in rows if row.key not in existing)
    unchanged = sum(1 for row in rows if existing.get(row.key) == row.value)
    return ImportOutcome(
        created=created, changed=len(rows) - created - unchanged, unchanged=unchanged
    )


# --- The year's profile in one sitting (the grid page) -----------------------------------


@dataclass(frozen=True)
class ValueEntry:
    """A value to store; `version` is the stored row's version the page was filled from
    ("" when the page showed no value)."""

    indicator: Indicator
    breakdown: str  # the Breakdown's code
    value: Decimal
    source: str
    version: str


@dataclass(frozen=True)
class ProblemEntry:
    """A problem of the year to store; `version` as in ValueEntry."""

    problem: SocialProblem
    priority: int
    affected_population: int | None
    notes: str
    source: str
    version: str


class StaleProfileError(Exception):
    """Rows changed, added or removed by someone else since the page was loaded; nothing was
    written. `stale` lists (key, current row or None when it was removed), the key being
    ("value", indicator id, breakdown) or ("problem", problem id)."""

    def __init__(self, stale):
        super().__init__(stale)
        self.stale = stale


def _version(row) -> str:
    return row.updated_at.isoformat() if row is not None else ""


def _stored_profile(city, year, *, lock=False):
    values, problems = IndicatorValue.objects.all(), CityProblem.objects.all()
    if lock:
        values, problems = values.select_for_update(), problems.select_for_update()
    return (
        {
            (v.indicator_id, v.breakdown_id): v
            for v in values.filter(city=city, year=year, breakdown__isnull=False)
        },
        {p.problem_id: p for p in problems.filter(city=city, year=year)},
    )


def _stale(values, problems, stored_values, stored_problems) -> list:
    return [
        (("value", entry.indicator.pk, entry.breakdown), row)
        for entry in values
        if _version(row := stored_values.get((entry.indicator.pk, entry.breakdown)))
        != entry.version
    ] + [
        (("problem", entry.problem.pk), row)
        for entry in problems
        if _version(row := stored_problems.get(entry.problem.pk)) != entry.version
    ]


def city_profile_check(*, city, year: int, values: list[ValueEntry], problems: list[ProblemEntry]):
    """Raise StaleProfileError when rows the entries would change were changed by someone
    else since the page was loaded (two queries, nothing locked): asked before showing the
    "old → new" confirmation, so that it never shows figures that are no longer stored."""
    stale = _stale(values, problems, *_stored_profile(city, year))
    if stale:
        raise StaleProfileError(stale)


@dataclass(frozen=True)
class ProfileOutcome:
    values: int
    problems: int

    @property
    def total(self) -> int:
        return self.values + self.problems


@transaction.atomic
def city_profile_save(
    *, city, year: int, values: list[ValueEntry], problems: list[ProblemEntry], by
) -> ProfileOutcome:
    """Store the year's changed values and problems of the city, all or nothing.

    The stored rows are locked and compared with the versions the page was filled from: if
    any changed since, StaleProfileError names them and nothing is written (never a silent
    overwrite). Each value is checked against its indicator's range (ValidationError). A
    stored row changed here stops being sample data. Rows are saved one by one so that the
    history records who changed what.
    """
    _check_can_edit(by, city)
    stored_values, stored_problems = _stored_profile(city, year, lock=True)
    stale = _stale(values, problems, stored_values, stored_problems)
    if stale:
        raise StaleProfileError(stale)
    for entry in values:
        entry.indicator.check_value(entry.value)
        row = stored_values.get((entry.indicator.pk, entry.breakdown)) or IndicatorValue(
            city=city, indicator=entry.indicator, year=year, breakdown_id=entry.breakdown
        )
        row.value, row.source, row.is_sample = entry.value, entry.source, False
        row._history_user = by  # the history names who saved it (simple_history)
        row.save()
    for entry in problems:
        row = stored_problems.get(entry.problem.pk) or CityProblem(
            city=city, problem=entry.problem, year=year
        )
        row.priority, row.affected_population = entry.priority, entry.affected_population
        row.notes, row.source, row.is_sample = entry.notes, entry.source, False
        row.full_clean(exclude=["city", "problem"], validate_unique=False)
        row._history_user = by
        row.save()
    return ProfileOutcome(values=len(values), problems=len(problems))


@transaction.atomic
def indicator_value_remove(*, value: IndicatorValue, by) -> None:
    """Delete a wrong value of a city; its history keeps who removed it, when, and what it
    was, so that the secretariat can restore it in the admin."""
    _check_can_edit(by, value.city)
    value._history_user = by  # the history names who removed it (simple_history)
    value.delete()


@transaction.atomic
def city_problem_remove(*, problem: CityProblem, by) -> None:
    """Delete a problem entry of a city; kept in its history like a removed value."""
    _check_can_edit(by, problem.city)
    problem._history_user = by
    problem.delete()
