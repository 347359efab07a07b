"""Open data: /cities/export.csv and /cities/export.json (README, "Open data: cities")."""

import csv
import io

import pytest

from cities.models import UnitRole, WorkingGroup
from cities.views import EXPORT_COLUMNS
from tests.factories import CityFactory, FocalPointFactory

CSV_URL = "/en/cities/export.csv"
JSON_URL = "/en/cities/export.json"

COLUMNS = [
    "slug",
    "name",
    "country_code",
    "country_name",
    "state_province",
    "state_code",
    "latitude",
    "longitude",
    "population",
    "population_year",
    "population_source",
    "status",
    "membership_verified",
    "role_in_unit",
    "joined_year",
    "website",
    "working_groups",
    "url",
]


def _csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def open_data(city_a, city_b):
    UnitRole.objects.create(city=city_a, role=UnitRole.Role.COORDINATOR, from_year=2023)
    for slug, name in (("migrations", "Migrations"), ("human-rights", "Human Rights")):
        group = WorkingGroup.objects.create(slug=slug, name_es=name, name_pt_br=name, name_en=name)
        group.cities.add(city_a)
    FocalPointFactory(
        city=city_a, name="Marta Gómez", email="marta@quilmes.example", phone="+54 11 4350 1111"
    )
    return city_a, city_b


def test_column_names_are_stable():
    assert EXPORT_COLUMNS == COLUMNS


def test_csv_has_a_header_utf8_and_a_file_name(visitor, open_data):
    CityFactory(name="São Paulo", slug="sao-paulo-br", country="BR")
    response = visitor.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="utds-cities.csv"'
    body = response.content.decode("utf-8")
    assert body.splitlines()[0] == ",".join(COLUMNS)
    assert "São Paulo" in body


def test_csv_rows_hold_the_public_directory(visitor, open_data):
    rows = {row["slug"]: row for row in _csv(visitor.get(CSV_URL))}
    quilmes = rows["quilmes-ar"]
    assert quilmes["name"] == "Quilmes"
    assert quilmes["country_code"] == "AR"
    assert quilmes["country_name"] == "Argentina"
    assert quilmes["latitude"] == "-34.72065"
    assert quilmes["role_in_unit"] == "coordinator"
    assert quilmes["working_groups"] == "human-rights;migrations"
    assert quilmes["membership_verified"] == "true"
    assert quilmes["url"] == "http://testserver/en/cities/quilmes-ar/"
    porto = rows["porto-alegre-br"]
    assert (porto["role_in_unit"], porto["working_groups"]) == ("member", "")
    assert (porto["population"], porto["population_year"]) == ("1409351", "2010")
    assert porto["state_code"] == "BR-RS"


def test_json_is_a_list_of_objects_with_typed_values(visitor, open_data):
    response = visitor.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="utds-cities.json"'
    rows = {row["slug"]: row for row in response.json()}
    assert list(rows["quilmes-ar"]) == COLUMNS
    quilmes = rows["quilmes-ar"]
    assert quilmes["latitude"] == pytest.approx(-34.72065)
    assert quilmes["population"] == 262379
    assert quilmes["membership_verified"] is True
    assert quilmes["working_groups"] == ["human-rights", "migrations"]


def test_country_name_is_english_whatever_the_page_language(visitor, city_b):
    assert _csv(visitor.get("/cities/export.csv"))[0]["country_name"] == "Brazil"
    assert visitor.get("/pt-br/cities/export.json").json()[0]["country_name"] == "Brazil"


def test_nulls_are_empty_cells_in_csv_and_null_in_json(visitor, db):
    CityFactory(slug="piamonte-ar", latitude=None, longitude=None, population_year=None)
    assert _csv(visitor.get(CSV_URL))[0]["latitude"] == ""
    row = visitor.get(JSON_URL).json()[0]
    assert (row["latitude"], row["population_year"]) == (None, None)


def test_directory_filters_apply_to_the_exports(visitor, open_data):
    assert [row["slug"] for row in _csv(visitor.get(CSV_URL + "?country=BR"))] == [
        "porto-alegre-br"
    ]
    assert [row["slug"] for row in visitor.get(JSON_URL + "?role=coordinator").json()] == [
        "quilmes-ar"
    ]


def test_bad_filters_are_ignored_not_an_error(visitor, open_data):
    response = visitor.get(JSON_URL + "?country=ZZ&status=nope&sort=evil&page=abc")
    assert response.status_code == 200
    assert len(response.json()) == 2


@pytest.mark.parametrize("client_name", ["visitor", "ana_client", "sofia_client"])
@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_exports_never_hold_contacts_or_coordinators(request, open_data, client_name, url):
    client = request.getfixturevalue(client_name)
    request.getfixturevalue("ana")
    body = client.get(url).content.decode()
    for secret in ("marta@quilmes.example", "4350 1111", "Marta Gómez", "ana@quilmes.example"):
        assert secret not in body


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(visitor, db):
    CityFactory(slug="formula", name="=HYPERLINK(1)", population_source="@SUM(A1)")
    row = _csv(visitor.get(CSV_URL))[0]
    assert row["name"] == "'=HYPERLINK(1)"
    assert row["population_source"] == "'@SUM(A1)"
    assert row["longitude"].startswith("-")  # numbers are left alone
    assert visitor.get(JSON_URL).json()[0]["name"] == "=HYPERLINK(1)"
