"""Query budgets of the city pages: the same small number of queries for 5 or 50 cities.

Each budget guards an N+1: the directory's role per city (a subquery, not a query per row),
the profile's working groups, roles and focal points (one query each, not one per row), and
the exports' working groups per city (one prefetch).
"""

import pytest

from cities.models import UnitRole, WorkingGroup
from tests.factories import CityFactory, FocalPointFactory

BUDGET = 12


@pytest.fixture(params=[5, 50], ids=["5-rows", "50-rows"])
def network(request, city_a):
    """`n` cities besides Quilmes; Quilmes has `n` focal points, roles and working groups."""
    n = request.param
    cities = CityFactory.create_batch(n)
    for index, city in enumerate(cities):
        FocalPointFactory(city=city, is_primary=True)
        role = UnitRole.Role.COORDINATOR if index % 2 else UnitRole.Role.SUB_COORDINATOR
        UnitRole.objects.create(city=city, role=role, from_year=2000 + index % 20)
    FocalPointFactory.create_batch(n, city=city_a)
    for year in range(1996, 1996 + n):
        UnitRole.objects.create(city=city_a, role=UnitRole.Role.COORDINATOR, from_year=year)
    for index in range(n):
        group = WorkingGroup.objects.create(
            slug=f"group-{index}", name_es=f"G{index}", name_pt_br=f"G{index}", name_en=f"G{index}"
        )
        group.cities.add(city_a, *cities[:10])
    return n


@pytest.fixture(params=["visitor", "ana_client"])
def client(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(
    "path",
    [
        "/en/cities/",
        "/en/cities/?sort=country&role=member&working_group=group-1&q=ciudad",
        "/en/cities/?page=2&sort=population",
    ],
)
def test_directory_query_count_does_not_grow_with_cities(client, network, path, get_within_queries):
    get_within_queries(client, path, most=BUDGET)


def test_profile_query_count_does_not_grow_with_contacts_roles_or_groups(
    client, network, get_within_queries
):
    response = get_within_queries(client, "/en/cities/quilmes-ar/", most=BUDGET)
    assert f"{1995 + network}" in response.content.decode()


@pytest.mark.parametrize("path", ["/en/cities/export.csv", "/en/cities/export.json"])
def test_exports_query_count_does_not_grow_with_cities(client, network, path, get_within_queries):
    get_within_queries(client, path, most=BUDGET)


def test_edit_form_query_count_does_not_grow_with_contacts(ana_client, network, get_within_queries):
    get_within_queries(ana_client, "/en/cities/quilmes-ar/edit/", most=BUDGET)
