"""A person downloads what the portal holds about them and asks to be deleted; the
secretariat completes the deletion in the admin, keeping the cities' content."""

import json

import pytest
from django.core.exceptions import ValidationError

from accounts.models import DeletionRequest, User
from accounts.services import deletion_request_complete, deletion_request_create
from cities.models import CityCoordinator, MembershipApplication
from experiences.models import Practice

DATA_URL = "/accounts/my-data.json"
DELETE_URL = "/accounts/delete/"


def _practice(city, author):
    return Practice.objects.create(
        title="Mesas barriales",
        slug="mesas-barriales",
        city=city,
        summary="s",
        start_date="2015-03-01",
        author=author,
    )


def test_download_holds_the_persons_own_data_only(ana_client, ana, bruno, city_a):
    _practice(city_a, ana)
    MembershipApplication.objects.create(
        city_name="Salto",
        country="UY",
        contact_name="Ana",
        email=ana.email,
        position="Directora",
        motivation="m",
    )
    response = ana_client.get(DATA_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="utds-my-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == ana.email
    assert [c["city__slug"] for c in data["coordinated_cities"]] == ["quilmes-ar"]
    assert [p["slug"] for p in data["practices_written"]] == ["mesas-barriales"]
    assert [a["city_name"] for a in data["membership_applications"]] == ["Salto"]
    assert bruno.email not in response.content.decode()


def test_download_needs_a_login(visitor, db):
    response = visitor.get(DATA_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_download_query_count_does_not_grow_with_data(
    ana_client, ana, city_a, django_assert_max_num_queries
):
    for n in range(5):
        Practice.objects.create(
            title=f"P{n}",
            slug=f"p{n}",
            city=city_a,
            summary="s",
            start_date="2015-03-01",
            author=ana,
        )
    # guards against one query per practice, registration or application
    with django_assert_max_num_queries(14):
        ana_client.get(DATA_URL)


def test_asking_for_deletion_is_recorded_once_and_needs_post(ana_client, ana):
    # GET shows the confirmation page only.
    assert ana_client.get(DELETE_URL).status_code == 200
    assert not DeletionRequest.objects.exists()
    assert ana_client.post(DELETE_URL).status_code == 302
    assert ana_client.post(DELETE_URL).status_code == 302
    assert DeletionRequest.objects.filter(user=ana, completed_at=None).count() == 1


def test_completing_deletes_the_account_but_keeps_the_cities_content(ana, sofia, city_a):
    practice = _practice(city_a, ana)
    request = deletion_request_create(user=ana)
    deletion_request_complete(deletion_request=request, by=sofia)
    assert not User.objects.filter(email=ana.email).exists()
    assert not CityCoordinator.objects.filter(city=city_a).exists()
    practice.refresh_from_db()
    assert practice.author is None
    request.refresh_from_db()
    assert request.completed_by == sofia
    assert request.completed_at is not None


def test_a_secretariat_member_cannot_complete_their_own_request(sofia):
    request = deletion_request_create(user=sofia)
    with pytest.raises(ValidationError):
        deletion_request_complete(deletion_request=request, by=sofia)
    assert User.objects.filter(pk=sofia.pk).exists()


def test_secretariat_completes_requests_from_the_admin(sofia_client, ana, sofia):
    request = deletion_request_create(user=ana)
    response = sofia_client.post(
        "/admin/accounts/deletionrequest/",
        {"action": "complete", "_selected_action": [request.pk]},
    )
    assert response.status_code == 302
    assert not User.objects.filter(email=ana.email).exists()


def test_profile_page_offers_the_download_and_the_deletion_request(ana_client):
    html = ana_client.get("/en/accounts/profile/").content.decode()
    assert 'href="/en/accounts/my-data.json"' in html
    assert 'href="/en/accounts/delete/"' in html
