"""Reads of the indicator pages: the indicators by theme, and one indicator compared across
a peer group of cities (by size or country) for a year and over time.

A fixed number of queries whatever the number of cities, years or values; the comparison itself
is arithmetic on the rows `indicator_values` loaded.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cities.models import City
from core import charts
from core.text import sort_key
from core.translation import language_suffix

from .models import Indicator, IndicatorValue, SocialProblem

DEFAULT_CITIES_OVER_TIME = 5
COMPARED_PER_PAGE = 40  # cities per page of the comparison table and its bar chart
MISSING_SHOWN = 30  # cities listed by name as missing the chosen year


class PopulationBand(TextChoices):
    SMALL = "small", _("under 100,000 inhabitants")
    MEDIUM = "medium", _("100,000 to 500,000 inhabitants")
    LARGE = "large", _("500,000 to 1 million inhabitants")
    METRO = "metro", _("over 1 million inhabitants")


BAND_LIMITS = {
    PopulationBand.SMALL: (0, 100_000),
    PopulationBand.MEDIUM: (100_000, 500_000),
    PopulationBand.LARGE: (500_000, 1_000_000),
    PopulationBand.METRO: (1_000_000, None),
}


def in_band(city, band) -> bool:
    """Whether the city's population falls in the band; a city with no figure never does."""
    if city.population is None:
        return False
    low, high = BAND_LIMITS[band]
    return city.population >= low and (high is None or city.population < high)


def in_peer_group(city, *, band=None, country=None) -> bool:
    return (not band or in_band(city, band)) and (not country or city.country.code == country)


def _median(numbers) -> Decimal | None:
    ordered = sorted(numbers)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def indicators_by_theme() -> list[tuple[str, list[Indicator]]]:
    """Indicators grouped by theme, each with its goal, city count and latest year (one query)."""
    groups = defaultdict(list)
    for indicator in Indicator.objects.with_card_data().with_coverage():
        groups[indicator.category].append(indicator)
    labels = dict(SocialProblem.Category.choices)
    order = [code for code, _ in SocialProblem.Category.choices] + [""]
    return [
        (
            labels.get(code, gettext("Other indicators")),
            sorted(groups[code], key=lambda i: sort_key(i.name)),
        )
        for code in order
        if groups.get(code)
    ]


@dataclass(slots=True)
class ComparedValue:
    """One value of the indicator with its city: a plain row, not a model instance, so that
    thousands of them cost little to read."""

    city: City
    city_id: int
    year: int
    breakdown: str
    value: Decimal
    source: str
    is_sample: bool
    breakdown_label: str = ""  # in the page's language
    breakdown_position: int = 0


def indicator_values(indicator) -> list[ComparedValue]:
    """Every value of the indicator, every breakdown, with its city (one query, plain rows;
    each city read once)."""
    cities: dict[int, City] = {}
    result = []
    rows = (
        IndicatorValue.objects.filter(indicator=indicator, breakdown__isnull=False)
        .order_by("year", "city_id")
        .values_list(
            "city_id",
            "year",
            "breakdown",
            "value",
            "source",
            "is_sample",
            "city__name",
            "city__slug",
            "city__country",
            "city__population",
            f"breakdown__name_{language_suffix()}",
            "breakdown__position",
        )
    )
    for city_id, year, breakdown, value, source, is_sample, *city_fields, label, position in rows:
        city = cities.get(city_id)
        if city is None:
            name, slug, country, population = city_fields
            city = cities[city_id] = City(
                pk=city_id, name=name, slug=slug, country=country, population=population
            )
        result.append(
            ComparedValue(city, city_id, year, breakdown, value, source, is_sample, label, position)
        )
    return result


@dataclass
class IndicatorOverview:
    """What the indicator page shows for one breakdown, year and peer group."""

    indicator: Indicator
    breakdown: str
    year: int | None
    comparison: list[ComparedValue]  # the chosen year, largest first
    median: Decimal | None
    missing_in_year: list[tuple[City, int]]  # (city, its latest year) with no value in `year`
    selected: list[City]
    years: list[int]
    over_time: list[tuple[int, list[ComparedValue | None]]]
    no_data: list[City]  # chosen cities with no value at all in this breakdown
    bar_chart: dict
    line_chart: dict
    band: str | None = None
    country: str | None = None
    page_obj: Page | None = None  # the page of `comparison` the table and the bar chart show
    breakdown_label: str = ""  # `breakdown` in the page's language

    @property
    def missing_listed(self) -> list[tuple[City, int]]:
        return self.missing_in_year[:MISSING_SHOWN]

    @property
    def missing_more(self) -> int:
        return max(0, len(self.missing_in_year) - MISSING_SHOWN)

    @property
    def shown(self) -> list[ComparedValue]:
        return list(self.page_obj.object_list) if self.page_obj else self.comparison

    @property
    def page_range(self):
        if self.page_obj is None:
            return []
        return self.page_obj.paginator.get_elided_page_range(self.page_obj.number, on_each_side=2)

    @property
    def band_label(self) -> str:
        return PopulationBand(self.band).label if self.band else ""

    @property
    def country_name(self) -> str:
        return countries.name(self.country) if self.country else ""

    @property
    def sources(self) -> list[str]:
        """The sources of the values drawn over time."""
        return sorted({v.source for _, row in self.over_time for v in row if v is not None})


def cities_with_most_data(values, limit=DEFAULT_CITIES_OVER_TIME) -> list[City]:
    counts = defaultdict(int)
    cities = {}
    for value in values:
        counts[value.city_id] += 1
        cities[value.city_id] = value.city
    ranked = sorted(cities.values(), key=lambda c: (-counts[c.pk], sort_key(c.name)))
    return ranked[:limit]


def indicator_overview(
    indicator, values, *, breakdown, year=None, band=None, country=None, cities=None, page=None
) -> IndicatorOverview:
    """Compare the indicator across the peer group for `year`, and over time for `cities`
    (default: those with most data). `values` come from `indicator_values` (no query here).
    The table and the bar chart show one page of `COMPARED_PER_PAGE` cities (`page`), so the
    chart stays readable however many cities report; the median counts them all.
    """
    peers = _peer_values(values, breakdown=breakdown, band=band, country=country)
    if year is None and peers:
        year = max(v.year for v in peers)
    comparison = _ranked_in_year(peers, year)
    selected = _selected_cities(values, peers, cities)
    shown_years, over_time, no_data = _over_time(values, breakdown, selected)
    page_obj = Paginator(comparison, COMPARED_PER_PAGE).get_page(page)
    return IndicatorOverview(
        indicator=indicator,
        breakdown=breakdown,
        breakdown_label=next(
            (v.breakdown_label for v in values if v.breakdown == breakdown), breakdown
        ),
        year=year,
        comparison=comparison,
        median=_median([v.value for v in comparison]),
        missing_in_year=_missing_in_year(peers, comparison),
        selected=selected,
        years=shown_years,
        over_time=over_time,
        no_data=no_data,
        band=band,
        country=country,
        page_obj=page_obj,
        bar_chart=_bar_chart(indicator, year, page_obj),
        line_chart=_line_chart(indicator, selected, over_time),
    )


def _peer_values(values, *, breakdown, band, country) -> list[ComparedValue]:
    """The values in `breakdown` of the cities in the peer group (size band, country)."""
    return [
        v
        for v in values
        if v.breakdown == breakdown and in_peer_group(v.city, band=band, country=country)
    ]


def _ranked_in_year(peers, year) -> list[ComparedValue]:
    """The peers' values of `year`, largest first (ties by city name)."""
    return sorted(
        (v for v in peers if v.year == year), key=lambda v: (-v.value, sort_key(v.city.name))
    )


def _missing_in_year(peers, comparison) -> list[tuple[City, int]]:
    """Peers with no value in the compared year, each with the latest year it has one."""
    reported = {v.city_id for v in comparison}
    latest_of = {}
    for value in peers:  # by year, so the last one seen is the latest
        if value.city_id not in reported:
            latest_of[value.city_id] = (value.city, value.year)
    return sorted(latest_of.values(), key=lambda pair: sort_key(pair[0].name))


def _selected_cities(values, peers, slugs) -> list[City]:
    """The cities drawn over time: those named by `slugs`, or the peers with most data."""
    if not slugs:
        return cities_with_most_data(peers)
    by_slug = {v.city.slug: v.city for v in values}
    return sorted(
        {by_slug[slug] for slug in slugs if slug in by_slug}, key=lambda c: sort_key(c.name)
    )


def _over_time(values, breakdown, selected):
    """(years, rows of (year, value or None per selected city), selected cities with no value)."""
    cell = {(v.city_id, v.year): v for v in values if v.breakdown == breakdown}
    selected_ids = {c.pk for c in selected}
    years = sorted({y for (city_id, y) in cell if city_id in selected_ids})
    over_time = [(y, [cell.get((c.pk, y)) for c in selected]) for y in years]
    no_data = [c for c in selected if not any(cell.get((c.pk, y)) for y in years)]
    return years, over_time, no_data


def _bar_chart(indicator, year, page_obj) -> dict:
    """The compared year's page of cities as bars, largest first."""
    values_text = {"indicator": indicator.name, "unit": indicator.unit, "year": year}
    description = gettext("Unit: %(unit)s. Largest value first.") % values_text
    if page_obj.paginator.num_pages > 1:
        description += " " + gettext("Places %(first)s to %(last)s of %(count)s.") % {
            "first": page_obj.start_index(),
            "last": page_obj.end_index(),
            "count": page_obj.paginator.count,
        }
    return charts.bar_chart(
        [{"label": v.city.name, "value": v.value} for v in page_obj.object_list],
        chart_id=f"compare-{indicator.slug}",
        title=gettext("%(indicator)s by city, %(year)s") % values_text,
        description=description,
        decimals=indicator.decimals,
        width=480,
        label_width=140,
    )


def _line_chart(indicator, selected, over_time) -> dict:
    """One line per selected city across the years."""
    values_text = {"indicator": indicator.name, "unit": indicator.unit}
    return charts.line_chart(
        [
            {"label": c.name, "points": [(y, row[i] and row[i].value) for y, row in over_time]}
            for i, c in enumerate(selected)
        ],
        chart_id=f"over-time-{indicator.slug}",
        title=gettext("%(indicator)s over time") % values_text,
        description=gettext("Unit: %(unit)s.") % values_text,
        decimals=indicator.decimals,
    )


def value_countries(values) -> list[tuple[str, str]]:
    """(code, localised name) of the countries of the cities in `values` (no query)."""
    codes = {city.country.code for city in {value.city_id: value.city for value in values}.values()}
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: sort_key(c[1]))
