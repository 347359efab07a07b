"""The joint map (/mapping/) and one problem across cities (/mapping/problems/<slug>/)."""

import json

import pytest
from django.urls import reverse

from mapping.matrix import MATRIX_CITIES_PER_PAGE
from tests.factories import CityFactory

from .factories import CityProblemFactory, SocialProblemFactory


@pytest.fixture
def reported(city_a, city_b, city_c, poverty, violence):
    CityProblemFactory(city=city_a, problem=poverty, year=2023, priority=1)
    CityProblemFactory(city=city_a, problem=violence, year=2023, priority=3)
    CityProblemFactory(city=city_b, problem=violence, year=2023, priority=2)
    CityProblemFactory(city=city_c, problem=poverty, year=2023, priority=5)
    CityProblemFactory(city=city_a, problem=poverty, year=2021, priority=2)


def test_matrix_shows_latest_year_with_numbers_and_a_text_legend(visitor, reported):
    response = visitor.get(reverse("mapping:index"))
    assert response.status_code == 200
    matrix = response.context["matrix"]
    assert matrix.year == 2023
    assert [c.name for c in matrix.cities] == ["Quilmes", "Porto Alegre", "Montevideo"]
    rows = {row.problem.slug: [c and c.priority for c in row.cells] for row in matrix.rows}
    assert rows == {"urban-poverty": [1, None, 5], "gender-violence": [3, 2, None]}
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "Priority of each problem in each city, 2023" in html
    assert '<td class="heat heat-1">1</td>' in html
    assert "most pressing" in html and "least pressing" in html and "not reported" in html


def test_matrix_filters_by_year_country_and_category(visitor, reported):
    url = reverse("mapping:index")
    by_year = visitor.get(url, {"year": 2021}).context["matrix"]
    assert [c.name for c in by_year.cities] == ["Quilmes"]
    by_country = visitor.get(url, {"country": "AR"}).context["matrix"]
    assert [c.name for c in by_country.cities] == ["Quilmes"]
    by_category = visitor.get(url, {"category": "violence"}).context["matrix"]
    assert [row.problem.slug for row in by_category.rows] == ["gender-violence"]
    assert [c.name for c in by_category.cities] == ["Quilmes", "Porto Alegre"]


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "1800"},
        {"year": "99999999999999999999"},
        {"country": "ZZ"},
        {"category": "<script>"},
        {"country": "AR\x00"},
    ],
)
def test_malformed_filters_are_ignored_and_flagged(visitor, reported, params):
    response = visitor.get(reverse("mapping:index"), params)
    assert response.status_code == 200
    assert "Some filters were not understood and are ignored" in response.content.decode()
    assert response.context["matrix"].year == 2023


def test_map_data_is_embedded_for_the_script_and_the_page_works_without_it(visitor, reported):
    response = visitor.get(reverse("mapping:index"))
    html = response.content.decode()
    start = html.index('<script id="mapping-map-data" type="application/json">')
    data = json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])
    quilmes = next(m for m in data if m["name"] == "Quilmes")
    assert [p["name"] for p in quilmes["problems"]] == ["Urban poverty", "Gender-based violence"]
    assert quilmes["lat"] == pytest.approx(-34.72065)
    assert "data-mapping-map hidden" in html  # shown by the script only
    assert "vendor/leaflet/leaflet.js" in html
    assert "http://" not in html.split("<body>")[1].split("<footer")[0].replace('href="http://', "")


def test_export_links_carry_the_page_filters(visitor, reported):
    html = visitor.get(reverse("mapping:index"), {"country": "AR", "year": 2023}).content.decode()
    assert "/en/mapping/export/problems.csv?year=2023&amp;country=AR" in html


def test_an_empty_map_says_so(visitor, db):
    response = visitor.get(reverse("mapping:index"))
    assert response.status_code == 200
    assert "No city has reported its social problems yet." in response.content.decode()


@pytest.mark.parametrize("size", [1, 8])
def test_matrix_queries_do_not_grow_with_cities_or_problems(
    db, visitor, size, django_assert_max_num_queries
):
    # Guards the N+1 of reading each cell's city and problem, and each marker's problems.
    problems = [SocialProblemFactory() for _ in range(size)]
    for _ in range(size):
        city = CityFactory()
        for year in (2021, 2022):
            for index, problem in enumerate(problems):
                CityProblemFactory(city=city, problem=problem, year=year, priority=index % 5 + 1)
    with django_assert_max_num_queries(6):
        response = visitor.get(reverse("mapping:index"))
    assert len(response.context["matrix"].cities) == size


# --- One problem across cities -------------------------------------------------------------


def test_problem_page_shows_city_by_year_table(visitor, reported, poverty):
    response = visitor.get(reverse("mapping:problem", kwargs={"slug": poverty.slug}))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.years == [2021, 2023]
    assert [(city.name, [c and c.priority for c in cells]) for city, cells in overview.rows] == [
        ("Montevideo", [None, 5]),
        ("Quilmes", [2, 1]),
    ]
    html = response.content.decode()
    assert "<h1>Urban poverty</h1>" in html
    assert "1,000 affected" in html
    assert "/en/mapping/export/problems.csv?problem=urban-poverty" in html


def test_unknown_problem_is_404(visitor, db):
    assert visitor.get(reverse("mapping:problem", kwargs={"slug": "nothing"})).status_code == 404


@pytest.mark.parametrize("size", [1, 8])
def test_problem_page_queries_do_not_grow(visitor, poverty, size, django_assert_max_num_queries):
    # Guards the N+1 of reading each entry's city.
    for _ in range(size):
        city = CityFactory()
        for year in range(2015, 2015 + size):
            CityProblemFactory(city=city, problem=poverty, year=year)
    with django_assert_max_num_queries(5):
        response = visitor.get(reverse("mapping:problem", kwargs={"slug": poverty.slug}))
    assert len(response.context["overview"].rows) == size


# --- Many cities: the matrix pages its columns ------------------------------------------------


def test_matrix_pages_its_cities_and_keeps_counts_and_map_to_the_page(visitor, poverty, violence):
    per_page = MATRIX_CITIES_PER_PAGE
    cities = [CityFactory(name=f"City {n:03d}", country="AR") for n in range(per_page + 3)]
    for city in cities:
        CityProblemFactory(city=city, problem=poverty, year=2023, priority=2)
    CityProblemFactory(city=cities[-1], problem=violence, year=2023, priority=1)
    url = reverse("mapping:index")
    first = visitor.get(url)
    matrix = first.context["matrix"]
    assert len(matrix.cities) == per_page and matrix.city_total == per_page + 3
    assert len(matrix.markers) == per_page  # the map shows the page's cities only
    rows = {row.problem.slug: row for row in matrix.rows}
    assert rows["urban-poverty"].city_count == per_page + 3  # counts every page
    assert rows["gender-violence"].city_count == 1
    assert set(rows["gender-violence"].cells) == {None}  # its city is on page 2
    html = first.content.decode()
    assert f"Cities 1 to {per_page} of {per_page + 3}" in html
    assert '<nav class="pagination"' in html and "?page=2" in html
    second = visitor.get(url, {"page": 2}).context["matrix"]
    assert [c.name for c in second.cities] == [c.name for c in cities[per_page:]]
    assert second.rows[0].cells[-1].priority in (1, 2)
    assert visitor.get(url, {"page": "x"}).context["matrix"].page_obj.number == 1  # ignored


def test_matrix_page_weight_stays_bounded_with_many_cities(visitor, poverty, violence):
    for n in range(MATRIX_CITIES_PER_PAGE * 3):
        city = CityFactory(name=f"City {n:03d}")
        CityProblemFactory(city=city, problem=poverty, year=2023)
        CityProblemFactory(city=city, problem=violence, year=2023)
    html = visitor.get(reverse("mapping:index")).content.decode()
    assert html.count('class="matrix-city"') == MATRIX_CITIES_PER_PAGE
    assert html.count('"lat":') <= MATRIX_CITIES_PER_PAGE
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
