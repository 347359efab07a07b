"""The city directory /cities/: filters, sort, pagination, map data, and bad query strings."""

import json
import re

import pytest

from cities.models import City, FocalPoint, UnitRole, WorkingGroup
from tests.factories import CityFactory, FocalPointFactory

URL = "/en/cities/"


def _names(response):
    """City names of the table on the page, in order."""
    return [city.name for city in response.context["page_obj"]]


def _map_names(response):
    html = response.content.decode()
    match = re.search(r'<script id="city-map-data" type="application/json">(.*?)</script>', html)
    return [marker["name"] for marker in json.loads(match.group(1))["markers"]]


@pytest.fixture
def roles(city_a, city_b):
    # 2012: Porto Alegre coordinated; since 2023, a period still running: Quilmes.
    UnitRole.objects.create(
        city=city_b, role=UnitRole.Role.COORDINATOR, from_year=2012, to_year=2012
    )
    UnitRole.objects.create(city=city_a, role=UnitRole.Role.COORDINATOR, from_year=2023)


@pytest.fixture
def migrations_group(city_b):
    group = WorkingGroup.objects.create(
        slug="migrations", name_es="Migraciones", name_pt_br="Migrações", name_en="Migrations"
    )
    group.cities.add(city_b)
    return group


def test_directory_lists_every_city_with_country_province_and_current_role(
    visitor, city_a, city_b, roles
):
    response = visitor.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert _names(response) == ["Porto Alegre", "Quilmes"]
    assert "Argentina" in html and "Brazil" in html
    assert "Rio Grande do Sul" in html
    rows = {city.name: city.current_role for city in response.context["page_obj"]}
    # Porto Alegre coordinated in 2012 only: today it is a plain member.
    assert rows == {"Quilmes": "coordinator", "Porto Alegre": None}
    assert re.search(r"Quilmes</a>.*?Coordinator", html, re.S)


def test_result_count_is_a_translated_plural(visitor, city_a, city_b):
    assert "2 cities" in visitor.get(URL).content.decode()
    assert "1 city<" in visitor.get(URL + "?country=AR").content.decode()


@pytest.mark.parametrize(("path", "lang"), [("/cities/", "es"), ("/pt-br/cities/", "pt-br")])
def test_directory_answers_in_every_language_with_localised_countries(visitor, city_b, path, lang):
    response = visitor.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert "Brasil" in html


def test_country_filter_offers_only_countries_that_have_cities(visitor, city_a, city_b):
    choices = dict(visitor.get(URL).context["filter"].form.fields["country"].choices)
    assert set(choices) == {"", "AR", "BR"}
    assert choices["BR"] == "Brazil"


def test_filter_by_country(visitor, city_a, city_b):
    assert _names(visitor.get(URL + "?country=BR")) == ["Porto Alegre"]


def test_filter_by_status(visitor, city_a, city_b):
    CityFactory(name="Former Town", slug="former-town", status=City.Status.FORMER)
    assert _names(visitor.get(URL + "?status=former")) == ["Former Town"]
    assert "Former Town" not in _names(visitor.get(URL + "?status=member"))


def test_filter_by_working_group_slug(visitor, city_a, city_b, migrations_group):
    assert _names(visitor.get(URL + "?working_group=migrations")) == ["Porto Alegre"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", ["Quilmes"]),
        ("sub_coordinator", ["Zárate"]),
        ("member", ["Porto Alegre"]),
    ],
)
def test_filter_by_current_role(visitor, city_a, city_b, roles, role, expected):
    zarate = CityFactory(name="Zárate", slug="zarate-ar")
    UnitRole.objects.create(city=zarate, role=UnitRole.Role.SUB_COORDINATOR, from_year=2023)
    assert _names(visitor.get(URL + f"?role={role}")) == expected


@pytest.mark.parametrize("query", ["CÓRDOBA", "cordoba", "órd", "Cord"])
def test_name_search_ignores_case_and_accents(visitor, city_a, query):
    CityFactory(name="Córdoba", slug="cordoba-ar")
    assert _names(visitor.get(URL, {"q": query})) == ["Córdoba"]


def test_name_search_finds_accented_names_from_plain_letters(visitor, db):
    CityFactory(name="São Paulo", slug="sao-paulo-br", country="BR")
    assert _names(visitor.get(URL, {"q": "sao paulo"})) == ["São Paulo"]
    assert _names(visitor.get(URL, {"q": "SÃO"})) == ["São Paulo"]


def test_filters_combine_and_stay_in_the_form(visitor, city_a, city_b, roles):
    CityFactory(name="Rosario", slug="rosario-ar", country="AR")
    response = visitor.get(URL + "?country=AR&role=member&q=ros")
    assert _names(response) == ["Rosario"]
    html = response.content.decode()
    assert 'value="ros"' in html
    assert '<option value="AR" selected>' in html
    assert '<option value="member" selected>' in html


def test_clear_filters_link_shows_only_when_filtering(visitor, city_a):
    assert "Clear filters" not in visitor.get(URL).content.decode()
    assert "Clear filters" not in visitor.get(URL + "?sort=population").content.decode()
    html = visitor.get(URL + "?country=AR").content.decode()
    assert f'<a href="{URL}">Clear filters</a>' in html


def test_no_result_says_so(visitor, city_a):
    html = visitor.get(URL + "?q=atlantis").content.decode()
    assert "0 cities" in html
    assert "No city matches these filters." in html


def test_default_sort_is_by_name_ignoring_accents(visitor, db):
    for name in ["Zárate", "Ávila", "Canelones", "Córdoba"]:
        CityFactory(name=name)
    assert _names(visitor.get(URL)) == ["Ávila", "Canelones", "Córdoba", "Zárate"]


def test_sort_by_population_puts_largest_first_and_unknown_last(visitor, city_a, city_b):
    CityFactory(name="Unknown Size", slug="unknown-size", population=None)
    assert _names(visitor.get(URL + "?sort=population")) == [
        "Porto Alegre",
        "Quilmes",
        "Unknown Size",
    ]


def test_sort_by_country_follows_the_country_names_in_the_page_language(visitor, city_c):
    CityFactory(name="Lima", slug="lima-pe", country="PE")
    CityFactory(name="Asunción", slug="asuncion-py", country="PY")
    # Paraguay sorts before Peru although its code (PY) sorts after PE.
    assert _names(visitor.get(URL + "?sort=country")) == ["Asunción", "Lima", "Montevideo"]


def test_unknown_sort_is_ignored(visitor, city_a, city_b):
    response = visitor.get(URL + "?sort=evil")
    assert response.status_code == 200
    assert _names(response) == ["Porto Alegre", "Quilmes"]
    assert "sort" not in response.context["filter"].form.errors


def test_bad_query_string_answers_200_and_flags_bad_filters_beside_their_field(
    visitor, city_a, city_b
):
    response = visitor.get(
        URL + "?country=ZZ&page=abc&sort=evil&status=nope&working_group=nowhere&role=king"
    )
    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert set(errors) == {"country", "status", "working_group", "role"}
    # The bad filters are left out: every city is listed.
    assert _names(response) == ["Porto Alegre", "Quilmes"]
    assert 'id="id_country_error"' in response.content.decode()


@pytest.mark.parametrize("query", ["q=%00", "q=" + "x" * 500, "country=%00", "page=-1", "page=1e9"])
def test_hostile_values_never_cause_a_server_error(visitor, city_a, query):
    assert visitor.get(f"{URL}?{query}").status_code == 200


def test_other_methods_than_get_are_refused(visitor, db):
    assert visitor.head(URL).status_code == 200
    assert visitor.post(URL).status_code == 405


@pytest.fixture
def thirty_cities(db):
    return CityFactory.create_batch(30, country="UY")


def test_pages_hold_24_cities_and_bad_page_numbers_fall_back(visitor, thirty_cities):
    first = visitor.get(URL)
    assert len(first.context["page_obj"]) == 24
    assert visitor.get(URL + "?page=abc").context["page_obj"].number == 1
    last = visitor.get(URL + "?page=999")
    assert last.status_code == 200
    assert last.context["page_obj"].number == 2
    assert len(last.context["page_obj"]) == 6


def test_pagination_links_keep_the_filters(visitor, thirty_cities):
    html = visitor.get(URL + "?country=UY&sort=population").content.decode()
    assert 'href="?country=UY&amp;sort=population&amp;page=2"' in html
    assert 'aria-label="Pages"' in html


def test_map_has_a_marker_for_every_filtered_city_not_only_the_page(visitor, thirty_cities):
    CityFactory(name="Quilmes", slug="quilmes-ar", country="AR")
    response = visitor.get(URL + "?country=UY")
    names = _map_names(response)
    assert len(names) == 30
    assert "Quilmes" not in names


def test_map_leaves_out_cities_without_coordinates_and_says_so(visitor, city_a):
    CityFactory(name="Piamonte", slug="piamonte-ar", latitude=None, longitude=None)
    response = visitor.get(URL)
    assert _map_names(response) == ["Quilmes"]
    assert "1 city has no coordinates and is not on the map." in response.content.decode()


def test_map_is_self_hosted_and_labelled_and_hidden_until_the_script_runs(visitor, city_a):
    html = visitor.get(URL).content.decode()
    assert (
        'id="city-map" class="city-map" role="region" aria-label="Map of the cities found"' in html
    )
    assert "hidden></div>" in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    # nothing loaded from another host (the page's own canonical and hreflang links aside)
    addresses = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert [url for url in addresses if not url.startswith("http://testserver/")] == []


def test_table_is_accessible_with_one_h1_caption_and_labelled_filters(visitor, city_a):
    html = visitor.get(URL).content.decode()
    assert html.count("<h1") == 1
    assert '<caption id="city-table-caption">' in html
    assert 'role="region" aria-labelledby="city-table-caption" tabindex="0"' in html
    assert '<th scope="row">' in html
    assert "<legend>Filter the cities</legend>" in html
    assert '<label for="id_country">' in html


@pytest.mark.parametrize("client_name", ["visitor", "ana_client", "sofia_client"])
def test_directory_never_shows_contacts(request, city_a, client_name):
    FocalPointFactory(city=city_a, email="secret@quilmes.example", phone="+54 11 5555 0000")
    client = request.getfixturevalue(client_name)
    html = client.get(URL).content.decode()
    assert "secret@quilmes.example" not in html
    assert "5555" not in html
    assert FocalPoint.objects.count() == 1
