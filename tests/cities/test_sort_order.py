"""One order for every list of cities: core.text.sort_key, kept in City.sort_name (Spanish
rules: case and accents ignored, "ñ" after "n")."""

import csv
import importlib
import io

import pytest
from django.apps import apps as django_apps

from cities.models import City
from core.text import sort_key
from tests.factories import CityFactory

# Shuffled on purpose; the expected order by Spanish rules.
NAMES = ["Ñuñoa", "Oruro", "bogotá", "Nueva Helvecia", "Ávila", "Niterói", "Aracaju"]
EXPECTED = ["Aracaju", "Ávila", "bogotá", "Niterói", "Nueva Helvecia", "Ñuñoa", "Oruro"]


# --- The key --------------------------------------------------------------------------------


def test_enye_sorts_after_every_n_word_and_before_o():
    assert sorted(["Oruro", "Ñuñoa", "Nuevo", "Nz"], key=sort_key) == [
        "Nuevo",
        "Nz",
        "Ñuñoa",
        "Oruro",
    ]
    assert sort_key("Año") > sort_key("Anz")


def test_accents_are_ignored():
    assert sorted(["Bogotá", "Ávila"], key=sort_key) == ["Ávila", "Bogotá"]
    assert sort_key("Ávila") == sort_key("Avila")
    assert sort_key("São Paulo") == sort_key("Sao Paulo")
    assert sort_key("Maceió") < sort_key("Maceiz")


def test_case_and_spaces_are_ignored():
    assert sort_key("LA PAZ") == sort_key("la paz") == sort_key("  La   Paz ")
    assert sorted(["bogotá", "Asunción", "Córdoba"], key=sort_key) == [
        "Asunción",
        "bogotá",
        "Córdoba",
    ]


def test_upper_case_enye_and_decomposed_input_give_the_same_key():
    decomposed = "N\u0303un\u0303oa"  # "Ñuñoa" typed with combining tildes
    assert sort_key("ÑUÑOA") == sort_key("ñuñoa") == sort_key(decomposed)


# --- The column -----------------------------------------------------------------------------


@pytest.fixture
def named_cities(db):
    return [CityFactory(name=name, slug=f"s-{index}") for index, name in enumerate(NAMES)]


def test_sort_name_follows_the_name_on_save(named_cities):
    city = City.objects.get(name="Ñuñoa")
    assert city.sort_name == "n~un~oa"
    city.name = "Ávila del Sur"
    city.save(update_fields=["name"])
    city.refresh_from_db()
    assert city.sort_name == "avila del sur"


def test_the_database_sorts_by_the_key_as_python_does(named_cities):
    assert [city.name for city in City.objects.all()] == EXPECTED
    assert sorted(NAMES, key=sort_key) == EXPECTED


def test_directory_lists_cities_in_spanish_order(named_cities, visitor):
    response = visitor.get("/en/cities/?per_page=100")
    assert [city.name for city in response.context["page_obj"]] == EXPECTED


def test_csv_lists_cities_in_spanish_order(named_cities, visitor):
    response = visitor.get("/en/cities/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name"] for row in rows] == EXPECTED


def test_city_select_of_a_form_follows_the_same_order(named_cities, sofia_client):
    form = sofia_client.get("/en/practices/new/").context["form"]
    names = [city.name for city in form.fields["city"].queryset]
    assert names == EXPECTED


def test_the_data_migration_fills_the_key_of_existing_cities(named_cities):
    migration = importlib.import_module("cities.migrations.0002_sort_name_application_kind")
    City.objects.update(sort_name="")  # as the rows were before the column existed
    migration.fill_sort_names(django_apps, schema_editor=None)
    assert dict(City.objects.values_list("name", "sort_name"))["Ñuñoa"] == "n~un~oa"
    assert [city.name for city in City.objects.all()] == EXPECTED
