"""Reads of the mapping app: the city social profile (for the portal's city page), the joint
map, one problem across cities, and the data-entry lists. The indicator pages read
`comparisons.py`.

Every function runs a fixed number of queries whatever the number of cities, years or values;
the rest is arithmetic in Python on rows already loaded.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Aggregate, Count, FloatField
from django.utils.translation import gettext
from django_countries import countries

from cities.models import City
from cities.queries import fold
from utds import charts

from .models import CityProblem, Indicator, IndicatorValue, SocialProblem
from .permissions import importable_city_ids

TOP_PROBLEMS_ON_MAP = 3


class Median(Aggregate):
    """PostgreSQL's continuous median of a numeric column (a double precision)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _decimal(number) -> Decimal | None:
    return None if number is None else Decimal(str(round(number, 6)))


# --- City social profile (for the city page) ----------------------------------------------


@dataclass(frozen=True)
class SocialProfile:
    """A city's problems for the latest year it reported, most pressing first."""

    city: City
    year: int | None
    problems: list[CityProblem]


def social_profile(city) -> SocialProfile:
    """The city's problems of its latest reported year, ranked by priority (one query)."""
    problems = sorted(
        CityProblem.objects.latest_year_of_city(city).select_related("problem"),
        key=lambda item: (item.priority, fold(item.problem.name)),
    )
    return SocialProfile(city=city, year=problems[0].year if problems else None, problems=problems)


@dataclass(frozen=True)
class Trend:
    """Direction of the latest change and whether that direction is good for the indicator."""

    direction: str  # "up", "down" or "flat"
    change: Decimal
    is_good: bool | None  # None when flat


def trend_of(previous: Decimal | None, latest: Decimal, *, decimals: int, higher_is_better):
    """Up, down or flat (a change smaller than the shown precision counts as flat)."""
    if previous is None:
        return None
    change = latest - previous
    if abs(change) < Decimal(10) ** -decimals / 2:
        return Trend("flat", change, None)
    direction = "up" if change > 0 else "down"
    return Trend(direction, change, (direction == "up") == higher_is_better)


@dataclass
class IndicatorSeries:
    """One indicator's "total" values in a city, over the years."""

    indicator: Indicator
    values: list[IndicatorValue]
    network_median: Decimal | None = None
    network_count: int = 0
    chart: dict = field(default_factory=dict)

    @property
    def latest(self) -> IndicatorValue:
        return self.values[-1]

    @property
    def previous(self) -> IndicatorValue | None:
        return self.values[-2] if len(self.values) > 1 else None

    @property
    def years(self) -> list[int]:
        return [value.year for value in self.values]

    @property
    def trend(self) -> Trend | None:
        previous = self.previous
        return trend_of(
            previous.value if previous else None,
            self.latest.value,
            decimals=self.indicator.decimals,
            higher_is_better=self.indicator.higher_is_better,
        )


def indicator_series(city) -> list[IndicatorSeries]:
    """Per indicator the city reports: its series, latest value, trend, the network median for
    the latest year and a ready-to-draw chart. Two queries whatever the number of values."""
    by_indicator: dict[int, IndicatorSeries] = {}
    values = (
        IndicatorValue.objects.for_city(city)
        .totals()
        .select_related("indicator__goal")
        .order_by("indicator_id", "year")
    )
    for value in values:
        series = by_indicator.get(value.indicator_id)
        if series is None:
            series = by_indicator[value.indicator_id] = IndicatorSeries(value.indicator, [])
        series.values.append(value)
    if not by_indicator:
        return []
    medians = {
        (row["indicator_id"], row["year"]): row
        for row in IndicatorValue.objects.totals()
        .filter(
            indicator_id__in=by_indicator.keys(),
            year__in={series.latest.year for series in by_indicator.values()},
        )
        .order_by()
        .values("indicator_id", "year")
        .annotate(median=Median("value"), count=Count("id"))
    }
    result = sorted(
        by_indicator.values(),
        key=lambda s: (s.indicator.category or "~", fold(s.indicator.name)),
    )
    for series in result:
        row = medians.get((series.indicator.pk, series.latest.year), {})
        series.network_median = _decimal(row.get("median"))
        series.network_count = row.get("count", 0)
        series.chart = charts.line_chart(
            [{"label": city.name, "points": [(v.year, v.value) for v in series.values]}],
            chart_id=f"profile-{series.indicator.slug}",
            title=gettext("%(indicator)s in %(city)s, %(first)s–%(last)s")
            % {
                "indicator": series.indicator.name,
                "city": city.name,
                "first": series.years[0],
                "last": series.years[-1],
            },
            description=gettext("Unit: %(unit)s.") % {"unit": series.indicator.unit},
            decimals=series.indicator.decimals,
            width=480,
            height=200,
        )
    return result


# --- The joint map: problems × cities ------------------------------------------------------


def problem_years() -> list[int]:
    """Years with reported problems, most recent first (one query)."""
    return list(CityProblem.objects.order_by("-year").values_list("year", flat=True).distinct())


def problem_countries() -> list[tuple[str, str]]:
    """(code, localised name) of the countries whose cities reported problems (one query)."""
    codes = CityProblem.objects.order_by().values_list("city__country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: fold(c[1]))


@dataclass
class MatrixRow:
    problem: SocialProblem
    cells: list[CityProblem | None]

    @property
    def city_count(self) -> int:
        return sum(1 for cell in self.cells if cell is not None)


@dataclass
class ProblemMatrix:
    year: int | None
    cities: list[City]
    rows: list[MatrixRow]
    markers: list[dict]


def problem_matrix(*, year, country=None, category=None) -> ProblemMatrix:
    """Rows = problems, columns = cities, cell = the city's problem for `year` (one query).

    Rows come most shared first, then by average priority; columns by country then name.
    """
    entries = CityProblem.objects.filter(year=year).select_related("city", "problem")
    if country:
        entries = entries.filter(city__country=country)
    if category:
        entries = entries.filter(problem__category=category)
    entries = list(entries.order_by())
    cities = sorted({e.city for e in entries}, key=lambda c: (c.country.code, fold(c.name)))
    problems = {e.problem_id: e.problem for e in entries}
    column = {city.pk: index for index, city in enumerate(cities)}
    rows = {pk: MatrixRow(problem, [None] * len(cities)) for pk, problem in problems.items()}
    for entry in entries:
        rows[entry.problem_id].cells[column[entry.city_id]] = entry

    def rank(row):
        priorities = [cell.priority for cell in row.cells if cell]
        return (-len(priorities), sum(priorities) / len(priorities), fold(row.problem.name))

    return ProblemMatrix(
        year=year,
        cities=cities,
        rows=sorted(rows.values(), key=rank),
        markers=_markers(cities, entries),
    )


def _markers(cities, entries) -> list[dict]:
    """Data for the map's markers: each city with coordinates and its top problems."""
    by_city = defaultdict(list)
    for entry in entries:
        by_city[entry.city_id].append(entry)
    markers = []
    for city in cities:
        if not city.has_coordinates:
            continue
        top = sorted(by_city[city.pk], key=lambda e: (e.priority, fold(e.problem.name)))
        markers.append(
            {
                "name": city.name,
                "url": city.get_absolute_url(),
                "lat": float(city.latitude),
                "lon": float(city.longitude),
                "problems": [
                    {
                        "name": e.problem.name,
                        "priority": e.priority,
                        "url": e.problem.get_absolute_url(),
                    }
                    for e in top[:TOP_PROBLEMS_ON_MAP]
                ],
            }
        )
    return markers


@dataclass
class ProblemAcrossCities:
    problem: SocialProblem
    years: list[int]
    rows: list[tuple[City, list[CityProblem | None]]]
    indicators: list[Indicator]


def problem_across_cities(problem) -> ProblemAcrossCities:
    """One problem: a city × year table of priorities and affected population (two queries)."""
    entries = list(CityProblem.objects.filter(problem=problem).select_related("city").order_by())
    years = sorted({entry.year for entry in entries})
    cells = {(entry.city_id, entry.year): entry for entry in entries}
    cities = sorted({entry.city for entry in entries}, key=lambda c: fold(c.name))
    return ProblemAcrossCities(
        problem=problem,
        years=years,
        rows=[(city, [cells.get((city.pk, year)) for year in years]) for city in cities],
        indicators=list(problem.indicators.order_by("slug")),
    )


# --- Data entry and import ---------------------------------------------------------------------


def importable_cities(user) -> list[City] | None:
    """The cities a user may import values for, by name; None means every city."""
    allowed = importable_city_ids(user)
    if allowed is None:
        return None
    return sorted(City.objects.filter(pk__in=allowed), key=lambda c: fold(c.name))


def city_problem_to_edit(city, pk) -> CityProblem | None:
    """The city's problem entry with this id, to fill the form; None when absent or foreign."""
    if not str(pk or "").isdigit():
        return None
    return CityProblem.objects.filter(city=city, pk=int(pk)).first()


def indicator_value_to_edit(city, pk) -> IndicatorValue | None:
    """The city's indicator value with this id, to fill the form; None when absent or foreign."""
    if not str(pk or "").isdigit():
        return None
    return IndicatorValue.objects.filter(city=city, pk=int(pk)).first()


def city_data(city) -> dict:
    """Everything the city's data-entry page lists (two queries)."""
    problems = CityProblem.objects.for_city(city).select_related("problem")
    values = IndicatorValue.objects.for_city(city).select_related("indicator")
    return {
        "problems": list(problems.order_by("-year", "priority", "problem__slug")),
        "values": list(values.order_by("indicator__slug", "-year", "breakdown")),
    }


# --- Dashboards ------------------------------------------------------------------------------


def profile_current_expressions(since) -> dict:
    """Per-city annotations for the dashboards: `problems_current` and `indicators_current`
    are true when the city's problems or indicator values were updated since `since`."""
    from django.db.models import Exists, OuterRef

    return {
        "problems_current": Exists(
            CityProblem.objects.filter(city=OuterRef("pk"), updated_at__gte=since)
        ),
        "indicators_current": Exists(
            IndicatorValue.objects.filter(city=OuterRef("pk"), updated_at__gte=since)
        ),
    }


def last_profile_update_expression():
    """Per city (as an annotation on cities): the latest change to its problems or values."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Greatest

    def latest(model):
        return Subquery(
            model.objects.filter(city=OuterRef("pk"))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )

    # GREATEST ignores NULLs in PostgreSQL: one missing side does not hide the other.
    return Greatest(latest(CityProblem), latest(IndicatorValue))


def profile_city_count_by_year_and_country(years) -> dict[tuple[int, str], int]:
    """(year, country code) → cities with problems or indicator values for that year.
    Two queries, each at most one row per city and year."""
    years = list(years)
    pairs = set()
    for model in (CityProblem, IndicatorValue):
        pairs.update(
            model.objects.filter(year__in=years)
            .order_by()
            .values_list("year", "city_id", "city__country")
            .distinct()
        )
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for year, _city, country in pairs:
        counts[(year, country)] += 1
    return dict(counts)


# --- The unit's plan review ------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileUpdate:
    """A city that changed its social profile in a year, and how many rows it changed."""

    city: City
    rows: int


def profile_updates_in_year(year: int) -> list[ProfileUpdate]:
    """The cities whose social profile was created or updated in `year` (portal time zone):
    CityProblem or IndicatorValue rows whose `updated_at` (set on creation and on every
    change) falls in that year, by city name. One query whatever the number of rows.

    Only the latest change of a row is kept, so a row entered one year and corrected the
    next counts for the later year."""
    columns = ("city_id", "city__name", "city__slug")
    problems = (
        CityProblem.objects.filter(updated_at__year=year)
        .order_by()
        .values_list(*columns)
        .annotate(n=Count("id"))
    )
    values = (
        IndicatorValue.objects.filter(updated_at__year=year)
        .order_by()
        .values_list(*columns)
        .annotate(n=Count("id"))
    )
    cities: dict[int, City] = {}
    rows: dict[int, int] = defaultdict(int)
    for city_id, name, slug, count in problems.union(values, all=True):
        cities.setdefault(city_id, City(pk=city_id, name=name, slug=slug))
        rows[city_id] += count
    ordered = sorted(cities.values(), key=lambda city: (fold(city.name), city.pk))
    return [ProfileUpdate(city=city, rows=rows[city.pk]) for city in ordered]
