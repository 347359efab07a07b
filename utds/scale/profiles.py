"""The social profiles of the synthetic cities: city problems and indicator values."""

from decimal import Decimal

from django.db.models import Max, Min

from mapping.models import CityProblem, IndicatorValue

from .run import PROBLEMS_PER_CITY, SOURCE, VALUES_PER_CITY, Run, copy_rows

PROBLEM_YEARS = range(2015, 2025)
VALUE_YEARS = range(2010, 2025)
SEXES = ("women", "men")


def _value_ranges() -> dict[int, tuple[float, float]]:
    """Each indicator's range in the real data, so synthetic values look plausible."""
    rows = (
        IndicatorValue.objects.filter(is_sample=False)
        .order_by()
        .values("indicator_id")
        .annotate(low=Min("value"), high=Max("value"))
    )
    return {row["indicator_id"]: (float(row["low"]), float(row["high"])) for row in rows}


def create_profiles(run: Run, synthetic: list[tuple[int, str]]) -> tuple[int, int]:
    """City problems and indicator values of the synthetic cities, streamed by COPY."""
    rng, now = run.rng, run.now
    problem_keys = [(p, y) for p in run.problems for y in PROBLEM_YEARS]
    totals = [(i, d, y, "total") for i, d in run.indicators for y in VALUE_YEARS]
    splits = [(i, d, y, sex) for i, d in run.indicators for y in VALUE_YEARS for sex in SEXES]
    n_totals = min(len(totals), VALUES_PER_CITY * 11 // 15)
    n_splits = min(len(splits), VALUES_PER_CITY - n_totals)
    ranges = _value_ranges()

    def problems():
        for city_id, _ in synthetic:
            for problem_id, year in rng.sample(
                problem_keys, min(PROBLEMS_PER_CITY, len(problem_keys))
            ):
                yield (
                    city_id,
                    problem_id,
                    year,
                    rng.randint(1, 5),
                    rng.randint(100, 200_000),
                    "",
                    SOURCE,
                    True,
                    now,
                )

    def values():
        for city_id, _ in synthetic:
            keys = rng.sample(totals, n_totals) + rng.sample(splits, n_splits)
            for indicator_id, decimals, year, breakdown in keys:
                low, high = ranges.get(indicator_id, (0.0, 100.0))
                value = round(low + (high - low) * rng.random(), min(decimals, 6))
                yield (city_id, indicator_id, year, breakdown, Decimal(str(value)))

    problem_columns = [
        "city_id",
        "problem_id",
        "year",
        "priority",
        "affected_population",
        "notes",
        "source",
        "is_sample",
        "updated_at",
    ]
    value_columns = ["city_id", "indicator_id", "year", "breakdown_id", "value"]
    value_columns += ["unmapped_breakdown", "source", "is_sample", "updated_at"]
    problem_count = copy_rows(CityProblem, problem_columns, problems())
    value_count = copy_rows(
        IndicatorValue, value_columns, ((*row, "", SOURCE, True, now) for row in values())
    )
    return problem_count, value_count
