"""The member cities list: the directory's rows and filters, never a contact."""

import pytest

from tests.api.conftest import api_get

pytestmark = pytest.mark.django_db


def test_cities_lists_the_directory_by_name(client, city_a, city_b, city_c):
    response = api_get(client, "cities")
    assert response.status_code == 200
    body = response.json()
    names = [row["name"] for row in body["results"]]
    assert names == sorted(names)
    assert {row["slug"] for row in body["results"]} == {city_a.slug, city_b.slug, city_c.slug}
    assert body["language"] == "es"
    assert body["next"] is None


def test_cities_filter_by_country(client, city_a, city_b):
    body = api_get(client, f"cities?country={city_b.country.code}").json()
    assert [row["slug"] for row in body["results"]] == [city_b.slug]


def test_cities_search_ignores_accents(client, city_a, city_b):
    # Porto Alegre typed with an accent the name does not have, and in capitals
    body = api_get(client, "cities?q=PÓRTO").json()
    assert [row["slug"] for row in body["results"]] == [city_b.slug]
