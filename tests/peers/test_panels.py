"""The suggestions panel on the city profile and on the coordinator's dashboard, within
their query budgets."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import CityFactory


def en(url_of):
    with translation.override("en"):
        return url_of()


def test_city_profile_shows_practices_of_comparable_cities_with_the_reason(
    visitor, network, city_a
):
    html = visitor.get(en(city_a.get_absolute_url)).content.decode()
    panel = html[html.index("Practices of other cities for these problems") :]
    assert (
        panel.index("Mesa de niñez") < html.index("Primeira infância") < html.index("Rosario crece")
    )
    assert "São Carlos, a city of similar size, also ranks child poverty first." in panel
    assert "Techo" in panel and "Plan CAIF" not in panel  # the fourth is cut


def test_dashboard_shows_the_panel_for_each_of_her_cities(ana_client, network):
    html = ana_client.get(en(lambda: reverse("dashboard"))).content.decode()
    assert "What other cities do about the problems of Quilmes" in html
    assert network.practices["la-plata"].get_absolute_url() in html


def test_profile_without_urgent_problems_has_no_panel(visitor, network):
    html = visitor.get(en(network.cities["montevideo"].get_absolute_url)).content.decode()
    assert "Practices of other cities for these problems" not in html


def test_city_profile_panel_query_count_does_not_grow_with_the_network(
    visitor, network, city_a, make_practice
):
    # guards N+1s over the suggested practices (their cities) and the transfers listed
    url = en(city_a.get_absolute_url)
    with CaptureQueriesContext(connection) as small:
        visitor.get(url)
    for n in range(12):
        city = CityFactory(slug=f"extra-{n}", name=f"Extra {n}")
        make_practice(
            title=f"Extra {n}", city=city, social_problems=[network.problems["child-poverty"]]
        )
    with CaptureQueriesContext(connection) as large:
        visitor.get(url)
    assert len(large) == len(small)
