"""/dashboard/: a coordinator's cities and stale contacts; the secretariat's participation panel."""

import datetime

import pytest
from django.utils import timezone

from cities import services
from tests.factories import CityCoordinatorFactory, CityFactory, FocalPointFactory, UserFactory

URL = "/en/dashboard/"


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_visitor_is_sent_to_log_in(visitor, db):
    response = visitor.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_coordinator_sees_their_city_with_profile_and_edit_links(ana_client, city_b):
    response = ana_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your cities" in html
    assert 'href="/en/cities/quilmes-ar/"' in html
    assert 'href="/en/cities/quilmes-ar/edit/"' in html
    assert "Porto Alegre" not in html
    assert "Participation in the network" not in html


def test_other_coordinator_sees_only_their_own_city(bruno_client, city_a):
    html = bruno_client.get(URL).content.decode()
    assert 'href="/en/cities/porto-alegre-br/"' in html
    assert "quilmes-ar" not in html


def test_coordinator_sees_contacts_needing_confirmation(ana_client, city_a, city_b):
    FocalPointFactory(city=city_a, name="Old Contact", last_confirmed_on=days_ago(400))
    FocalPointFactory(city=city_a, name="Fresh Contact", last_confirmed_on=days_ago(5))
    FocalPointFactory(city=city_b, name="Other City Contact", last_confirmed_on=days_ago(400))
    response = ana_client.get(URL)
    assert [fp.name for fp in response.context["stale_focal_points"]] == ["Old Contact"]
    html = response.content.decode()
    assert "Contacts to confirm" in html
    assert "Old Contact" in html
    assert "Fresh Contact" not in html
    assert "Other City Contact" not in html


def test_coordinator_with_fresh_contacts_is_told_all_is_confirmed(ana_client, city_a):
    FocalPointFactory(city=city_a, last_confirmed_on=days_ago(5))
    html = ana_client.get(URL).content.decode()
    assert "All the contacts of your cities have been confirmed" in html


def test_user_without_cities_is_told_how_to_get_one(db, client, settings):
    client.force_login(UserFactory(email="new@example.org"))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You do not coordinate any city yet." in html
    assert f"mailto:{settings.CONTACT_EMAIL}" in html


def test_secretariat_sees_the_participation_panel(sofia_client, ana, city_a, city_b):
    CityFactory(name="Ex Ciudad", slug="ex-ciudad-ar", status="former")
    FocalPointFactory(city=city_b, last_confirmed_on=days_ago(400))
    services.application_submit(
        city_name="Salto",
        country="UY",
        contact_name="Lucía",
        email="lucia@salto.example",
        position="Directora",
        motivation="We want to join.",
        language="es",
    )
    response = sofia_client.get(URL)
    assert response.status_code == 200
    assert response.context["participation"] == {
        "total": 2,
        "coordinated": 1,
        "stale": 1,
        "pending_applications": 1,
    }
    html = response.content.decode()
    assert "Participation in the network" in html
    assert "1 of 2 member cities." in html
    assert 'href="/en/admin/cities/membershipapplication/?pending=yes"' in html
    assert 'href="/en/admin/cities/city/?stale=yes"' in html


@pytest.mark.parametrize("count", [1, 20])
def test_dashboard_queries_do_not_grow_with_cities(
    db, client, count, django_assert_max_num_queries
):
    # Guards the N+1 of listing cities and their stale contacts one by one.
    user = UserFactory(email="many@example.org")
    for number in range(count):
        city = CityFactory(name=f"Ciudad {number}", slug=f"ciudad-{number}-ar")
        CityCoordinatorFactory(user=user, city=city)
        FocalPointFactory(city=city, last_confirmed_on=days_ago(400))
    client.force_login(user)
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert len(response.context["cities"]) == count
    assert len(response.context["stale_focal_points"]) == count


def test_secretariat_panel_costs_a_fixed_number_of_queries(
    sofia_client, django_assert_max_num_queries
):
    for number in range(15):
        city = CityFactory(name=f"Ciudad {number}", slug=f"ciudad-{number}-ar")
        CityCoordinatorFactory(city=city)
    with django_assert_max_num_queries(7):
        assert sofia_client.get(URL).status_code == 200
