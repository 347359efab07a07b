"""Reads of the mapping app: the city social profile (for the portal's city page), the
data-entry lists, dashboards and the plan review. The indicator pages read `comparisons.py`,
the joint map and the problem pages `matrix.py`.

Every function runs a fixed number of queries whatever the number of cities, years or values;
the rest is arithmetic in Python on rows already loaded.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Aggregate,
    Case,
    Count,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Subquery,
    When,
)
from django.utils.translation import gettext

from cities.models import City
from cities.queries import rebuild, rows_of
from core import charts
from core.text import sort_key

from .importing import FIRST_YEAR, last_year
from .models import CityProblem, DevelopmentGoal, Indicator, IndicatorValue, SocialProblem
from .permissions import importable_city_ids


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


def social_profile_rows():
    """An annotation on cities (for `cities.queries.city_profile(extra=…)`): the city's
    problems of its latest reported year with their problem, read back by
    `social_profile_from_rows`, so the city page reads them in the same query as the rest."""
    latest = (
        CityProblem.objects.filter(city=OuterRef(OuterRef("pk")))
        .order_by("-year")
        .values("year")[:1]
    )
    problems = CityProblem.objects.filter(city=OuterRef("pk"), year=Subquery(latest)).order_by()
    own = [field.attname for field in CityProblem._meta.concrete_fields]
    theirs = [f"problem__{field.attname}" for field in SocialProblem._meta.concrete_fields]
    return rows_of(problems, *own, *theirs)


def social_profile_from_rows(city, rows) -> SocialProfile:
    """The SocialProfile of `social_profile`, from the rows of `social_profile_rows`."""
    problems = []
    for row in rows or []:
        own = {k: v for k, v in row.items() if not k.startswith("problem__")}
        theirs = {k[9:]: v for k, v in row.items() if k.startswith("problem__")}
        (item,) = rebuild(CityProblem, [own])
        (item.problem,) = rebuild(SocialProblem, [theirs])
        problems.append(item)
    problems.sort(key=lambda item: (item.priority, sort_key(item.problem.name)))
    return SocialProfile(city=city, year=problems[0].year if problems else None, problems=problems)


def social_profile(city) -> SocialProfile:
    """The city's problems of its latest reported year, ranked by priority (one query)."""
    problems = sorted(
        CityProblem.objects.latest_year_of_city(city).select_related("problem"),
        key=lambda item: (item.priority, sort_key(item.problem.name)),
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
    def one_source(self) -> bool:
        """Whether every year has the same source (then the table names it once)."""
        return len({(value.source, value.is_sample) for value in self.values}) == 1

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
    the latest year and a sparkline. One query whatever the number of values."""
    by_indicator: dict[int, IndicatorSeries] = {}
    peers = IndicatorValue.objects.totals().filter(
        indicator_id=OuterRef("indicator_id"), year=OuterRef("year")
    )
    is_latest = ~Exists(
        IndicatorValue.objects.totals().filter(
            city_id=OuterRef("city_id"),
            indicator_id=OuterRef("indicator_id"),
            year__gt=OuterRef("year"),
        )
    )

    def of_latest(expression, output_field):
        """The network figure, computed for the city's latest year of each indicator only
        (PostgreSQL evaluates a CASE branch's subquery only when it is taken)."""
        figure = Subquery(
            peers.order_by().values("indicator_id").annotate(x=expression).values("x"),
            output_field=output_field,
        )
        return Case(When(is_latest, then=figure), default=None, output_field=output_field)

    values = (
        IndicatorValue.objects.for_city(city)
        .totals()
        .select_related("indicator__goal")
        .annotate(
            peer_median=of_latest(Median("value"), FloatField()),
            peer_count=of_latest(Count("id"), IntegerField()),
        )
        .order_by("indicator_id", "year")
    )
    medians = {}
    for value in values:
        series = by_indicator.get(value.indicator_id)
        if series is None:
            series = by_indicator[value.indicator_id] = IndicatorSeries(value.indicator, [])
        series.values.append(value)
        if value.peer_count is not None:
            medians[(value.indicator_id, value.year)] = {
                "median": value.peer_median,
                "count": value.peer_count,
            }
    if not by_indicator:
        return []
    result = sorted(
        by_indicator.values(),
        key=lambda s: (s.indicator.category or "~", sort_key(s.indicator.name)),
    )
    for series in result:
        row = medians.get((series.indicator.pk, series.latest.year), {})
        series.network_median = _decimal(row.get("median"))
        series.network_count = row.get("count", 0)
        if len(series.values) < 2:
            continue  # one year: the figure says it all, no chart
        series.chart = charts.sparkline(
            [(v.year, v.value) for v in series.values],
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
        )
    return result


# --- Data entry and import ---------------------------------------------------------------------


def importable_cities(user) -> list[City] | None:
    """The cities a user may import values for, by name; None means every city."""
    allowed = importable_city_ids(user)
    if allowed is None:
        return None
    return sorted(City.objects.filter(pk__in=allowed), key=lambda c: sort_key(c.name))


def reported_years(city) -> set[int]:
    """The years of the city's problems and values (one query)."""
    years = (
        CityProblem.objects.filter(city=city)
        .order_by()
        .values_list("year", flat=True)
        .union(IndicatorValue.objects.filter(city=city).order_by().values_list("year", flat=True))
    )
    return set(years)


def latest_profile_year(city) -> int | None:
    """The latest year the city reported problems or values for (one query)."""
    return max(reported_years(city), default=None)


@dataclass(frozen=True)
class ProfileYear:
    year: int
    reported: bool


def profile_years(city) -> list[ProfileYear]:
    """Every year the portal accepts, latest first, each marked when the city reported
    something for it: the choices of the profile page's year picker (one query)."""
    reported = reported_years(city)
    return [ProfileYear(year, year in reported) for year in range(last_year(), FIRST_YEAR - 1, -1)]


# --- Dashboards ------------------------------------------------------------------------------


def profile_current_expressions(since) -> dict:
    """Per-city annotations for the dashboards: `problems_current` and `indicators_current`
    are true when the city's problems or indicator values were updated since `since`."""

    return {
        "problems_current": Exists(
            CityProblem.objects.filter(city=OuterRef("pk"), updated_at__gte=since)
        ),
        "indicators_current": Exists(
            IndicatorValue.objects.filter(city=OuterRef("pk"), updated_at__gte=since)
        ),
    }


# --- The unit's plan review ------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileUpdate:
    """A city that changed its social profile in a year, and how many rows it changed."""

    city: City
    rows: int


def public_city_problems():
    """Every city's problems with the city and the problem, for the open API."""
    return CityProblem.objects.select_related("city", "problem")


def public_indicator_values():
    """Every indicator value with its city and indicator, for the open API (values whose
    old breakdown text matched no breakdown wait for the secretariat)."""
    return IndicatorValue.objects.filter(breakdown__isnull=False).with_card_data()


def vocabularies() -> dict:
    """The mapping's shared vocabularies (goals, social problems, indicators with their
    units and definitions), as querysets carrying their joins."""
    return {
        "goals": DevelopmentGoal.objects.order_by("framework", "number"),
        "problems": SocialProblem.objects.prefetch_related("goals"),
        "indicators": Indicator.objects.select_related("goal").with_breakdowns(),
    }
