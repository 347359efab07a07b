"""Every events URL that changes data, generated from the URL conf: anonymous users are
sent to log in, GET answers 405, and an outsider cannot act for another city."""

import pytest
from django.urls import URLPattern

from events.models import Registration
from tests.events.conftest import make_registration, registration_data, url
from utds.urls import events_patterns  # the events app's URLs and the participation page

pytestmark = pytest.mark.django_db

READ_ONLY = {
    "list",
    "calendar",
    "participation",
    "detail",
    "event_ics",
    "registrations",
    "registrations_csv",
    "document",
}
WRITES = sorted(
    p.name for p in events_patterns if isinstance(p, URLPattern) and p.name not in READ_ONLY
)


# The writes that show a page on GET (the change form, the withdrawal's confirmation).
WITH_PAGE = {"change", "withdraw"}


def test_every_url_is_classified():
    names = {p.name for p in events_patterns}
    assert names == READ_ONLY | set(WRITES)
    assert WRITES == ["change", "register", "withdraw"]


@pytest.mark.parametrize("name", WRITES)
def test_writes_refuse_anonymous_and_outsiders(name, visitor, bruno_client, ana, event, city_a):
    make_registration(event, city_a, user=ana)
    path = url(f"events:{name}", slug=event.slug)
    if name in WITH_PAGE:
        assert bruno_client.get(f"{path}?city={city_a.slug}").status_code == 403
        response = visitor.get(f"{path}?city={city_a.slug}")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert bruno_client.get(path).status_code == 405
    response = visitor.post(path, registration_data(city_a, version=1))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert bruno_client.post(path, registration_data(city_a, 3, version=1)).status_code == 403
    registration = Registration.objects.get(city=city_a)
    assert (registration.attendees, registration.version) == (1, 1)


@pytest.mark.parametrize("name", WRITES)
def test_writes_work_for_the_owner_and_the_secretariat(
    name, ana_client, sofia_client, ana, event, city_a
):
    for client in (ana_client, sofia_client):
        if name != "register":
            make_registration(event, city_a, user=ana)
        path = url(f"events:{name}", slug=event.slug)
        if name in WITH_PAGE:
            assert client.get(f"{path}?city={city_a.slug}").status_code == 200
        response = client.post(path, registration_data(city_a, version=1))
        assert response.status_code == 302
        Registration.objects.all().delete()
