"""Reads of the joint map: problems × cities for a year (one page of cities, with their map
markers), and one problem across cities and years.

A fixed number of queries whatever the number of cities or problems.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django_countries import countries

from cities.models import City
from core.text import sort_key

from .models import CityProblem, Indicator, SocialProblem

TOP_PROBLEMS_ON_MAP = 3
MATRIX_CITIES_PER_PAGE = 40


def problem_years() -> list[int]:
    """Years with reported problems, most recent first (one query)."""
    return list(CityProblem.objects.order_by("-year").values_list("year", flat=True).distinct())


def problem_countries() -> list[tuple[str, str]]:
    """(code, localised name) of the countries whose cities reported problems (one query)."""
    codes = CityProblem.objects.order_by().values_list("city__country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: sort_key(c[1]))


@dataclass(frozen=True)
class Cell:
    """A city's priority for a problem in the matrix."""

    priority: int


@dataclass
class MatrixRow:
    problem: SocialProblem
    cells: list[Cell | None]  # the cities of the current page only
    city_count: int = 0  # cities reporting the problem, across every page


@dataclass
class ProblemMatrix:
    year: int | None
    cities: list[City]  # the current page of cities
    rows: list[MatrixRow]
    markers: list[dict]  # the cities of the current page
    page_obj: Page | None = None
    city_total: int = 0

    @property
    def page_range(self):
        if self.page_obj is None:
            return []
        return self.page_obj.paginator.get_elided_page_range(self.page_obj.number, on_each_side=2)


def problem_matrix(*, year, country=None, category=None, page=None) -> ProblemMatrix:
    """Rows = problems, columns = one page of `MATRIX_CITIES_PER_PAGE` cities, cell = the
    city's priority for `year`. Three queries whatever the number of cities: the (city,
    problem, priority) triples as plain tuples, the cities, the problems.

    Rows come most shared first (across every city, not only the page), then by average
    priority; columns by country then name.
    """
    entries = CityProblem.objects.filter(year=year)
    if country:
        entries = entries.filter(city__country=country)
    if category:
        entries = entries.filter(problem__category=category)
    triples = list(entries.order_by().values_list("city_id", "problem_id", "priority"))
    city_ids = {city_id for city_id, _problem, _priority in triples}
    all_cities = sorted(
        City.objects.filter(pk__in=city_ids).only(
            "name", "slug", "country", "latitude", "longitude"
        ),
        key=lambda c: (c.country.code, sort_key(c.name)),
    )
    page_obj = Paginator(all_cities, MATRIX_CITIES_PER_PAGE).get_page(page)
    cities = list(page_obj.object_list)
    column = {city.pk: index for index, city in enumerate(cities)}
    problems = {p.pk: p for p in SocialProblem.objects.filter(pk__in={t[1] for t in triples})}
    rows = {pk: MatrixRow(problem, [None] * len(cities)) for pk, problem in problems.items()}
    priorities = defaultdict(list)
    by_city = defaultdict(list)
    for city_id, problem_id, priority in triples:
        priorities[problem_id].append(priority)
        if city_id in column:
            rows[problem_id].cells[column[city_id]] = Cell(priority)
            by_city[city_id].append((priority, problems[problem_id]))
    for pk, row in rows.items():
        row.city_count = len(priorities[pk])

    def rank(row):
        shared = priorities[row.problem.pk]
        return (-len(shared), sum(shared) / len(shared), sort_key(row.problem.name))

    return ProblemMatrix(
        year=year,
        cities=cities,
        rows=sorted(rows.values(), key=rank),
        markers=_markers(cities, by_city),
        page_obj=page_obj,
        city_total=len(all_cities),
    )


def _markers(cities, by_city) -> list[dict]:
    """Data for the map's markers: each city of the page with coordinates and its top
    problems (by_city: city id → [(priority, problem)])."""
    markers = []
    for city in cities:
        if not city.has_coordinates:
            continue
        top = sorted(by_city[city.pk], key=lambda pair: (pair[0], sort_key(pair[1].name)))
        markers.append(
            {
                "name": city.name,
                "url": city.get_absolute_url(),
                "lat": float(city.latitude),
                "lon": float(city.longitude),
                "problems": [
                    {"name": problem.name, "priority": priority, "url": problem.get_absolute_url()}
                    for priority, problem in top[:TOP_PROBLEMS_ON_MAP]
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
    cities = sorted({entry.city for entry in entries}, key=lambda c: sort_key(c.name))
    return ProblemAcrossCities(
        problem=problem,
        years=years,
        rows=[(city, [cells.get((city.pk, year)) for year in years]) for city in cities],
        indicators=list(problem.indicators.order_by("slug")),
    )
