"""One permission matrix over every mapping route, generated from mapping/urls.py so that a
new view cannot be forgotten: public routes are read-only, the others follow the rules."""

import pytest
from django.test import Client
from django.urls import reverse

from mapping import permissions
from mapping.urls import urlpatterns
from tests.factories import UserFactory

from .factories import CityProblemFactory, IndicatorValueFactory

# Routes that change data → the city (or None) whose rules apply.
WRITE_ROUTES = {
    "import",
    "city_edit",
    "profile",
    "profile_template",
    "value_remove",
    "problem_remove",
}
PUBLIC_ROUTES = {
    "index",
    "problem",
    "indicators",
    "indicator",
    "export",
    "export_indicators_csv",
    "export_indicators_json",
    "export_problems_csv",
    "export_problems_json",
}


def url_for(name, city, poverty, unemployment):
    kwargs = {
        "problem": {"slug": poverty.slug},
        "indicator": {"slug": unemployment.slug},
        "city_edit": {"slug": city.slug},
        "profile": {"slug": city.slug, "year": 2022},
        "profile_template": {"slug": city.slug, "year": 2022},
    }.get(name, {})
    if name == "value_remove":
        value = IndicatorValueFactory(city=city, indicator=unemployment)
        kwargs = {"slug": city.slug, "pk": value.pk}
    if name == "problem_remove":
        entry = CityProblemFactory(city=city, problem=poverty)
        kwargs = {"slug": city.slug, "pk": entry.pk}
    return reverse(f"mapping:{name}", kwargs=kwargs)


def test_every_route_is_classified():
    assert {pattern.name for pattern in urlpatterns} == WRITE_ROUTES | PUBLIC_ROUTES


@pytest.fixture
def clients(visitor, ana_client, bruno_client, sofia_client, db):
    nobody = Client()
    nobody.force_login(UserFactory(email="nobody@example.org"))
    return {
        "anonymous": visitor,
        "user without city": nobody,
        "outsider": bruno_client,  # coordinates city B, acts on city A
        "owner": ana_client,
        "secretariat": sofia_client,
    }


# Expected GET status on city A's write routes.
WRITE_MATRIX = {
    ("import", "anonymous"): 302,
    ("import", "user without city"): 403,
    ("import", "outsider"): 200,  # may open the page; rows for city A are refused line by line
    ("import", "owner"): 200,
    ("import", "secretariat"): 200,
    ("city_edit", "anonymous"): 302,
    ("city_edit", "user without city"): 403,
    ("city_edit", "outsider"): 403,
    ("city_edit", "owner"): 302,  # to the profile page of the latest year
    ("city_edit", "secretariat"): 302,
    **{
        (name, who): status
        for name in ("profile", "profile_template", "value_remove", "problem_remove")
        for who, status in (
            ("anonymous", 302),
            ("user without city", 403),
            ("outsider", 403),
            ("owner", 200),
            ("secretariat", 200),
        )
    },
}


@pytest.mark.parametrize(("name", "who"), sorted(WRITE_MATRIX))
def test_write_routes_follow_the_rules(clients, city_a, poverty, unemployment, name, who):
    url = url_for(name, city_a, poverty, unemployment)
    response = clients[who].get(url)
    assert response.status_code == WRITE_MATRIX[(name, who)]
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(PUBLIC_ROUTES))
def test_public_routes_answer_everyone_and_refuse_writes(
    visitor, city_a, poverty, unemployment, name
):
    url = url_for(name, city_a, poverty, unemployment)
    assert visitor.get(url).status_code == 200
    assert visitor.post(url, {}).status_code == 405


def test_edit_rules(ana, bruno, sofia, city_a, city_b):
    assert permissions.can_edit_city_data(ana, city_a)
    assert not permissions.can_edit_city_data(ana, city_b)
    assert not permissions.can_edit_city_data(bruno, city_a)
    assert permissions.can_edit_city_data(sofia, city_b)
    assert permissions.importable_city_ids(ana) == frozenset({city_a.pk})
    assert permissions.importable_city_ids(sofia) is None


def test_inactive_coordinator_may_not_edit(ana, city_a):
    ana.is_active = False
    assert not permissions.can_edit_city_data(ana, city_a)
    assert not permissions.can_import(ana)
