"""Writes of the mapping app: a city's problems and indicator values, one by one or imported.

Each function is atomic, takes keyword arguments only, and checks the permission itself as a
last line of defence (views and commands ask `permissions` first to answer nicely).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .importing import ImportRow, current_values
from .models import CityProblem, IndicatorValue
from .permissions import can_edit_city_data, importable_city_ids

IMPORT_BATCH_SIZE = 2000


def _check_can_edit(by, city) -> None:
    if not can_edit_city_data(by, city):
        raise PermissionDenied


@transaction.atomic
def city_problem_save(
    *, city, problem, year, priority, source, affected_population=None, notes="", by
) -> CityProblem:
    """Add the city's problem for the year, or update it when the city already reported it.

    A coordinator's entry replaces sample data: the row stops being a sample.
    """
    _check_can_edit(by, city)
    entry, _created = CityProblem.objects.update_or_create(
        city=city,
        problem=problem,
        year=year,
        defaults={
            "priority": priority,
            "affected_population": affected_population,
            "notes": notes,
            "source": source,
            "is_sample": False,
        },
    )
    return entry


@transaction.atomic
def indicator_value_save(
    *, city, indicator, year, value, source, breakdown=IndicatorValue.TOTAL, by
) -> IndicatorValue:
    """Add the city's value for the indicator, year and breakdown, or replace the stored one."""
    _check_can_edit(by, city)
    entry, _created = IndicatorValue.objects.update_or_create(
        city=city,
        indicator=indicator,
        year=year,
        breakdown=breakdown or IndicatorValue.TOTAL,
        defaults={"value": value, "source": source, "is_sample": False},
    )
    return entry


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
                breakdown=row.breakdown,
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
