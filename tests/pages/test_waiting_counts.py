"""The page header shows the secretariat what waits for it: practices to review (in review,
or published ones with changes waiting) and membership applications to decide; nobody
else sees the counts, and they cost one query."""

import pytest

from tests.experiences.conftest import create_practice
from tests.factories import make_application
from utds import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(city_a):
    create_practice(city_a, "En revisión", status="in_review")
    create_practice(city_a, "Otra en revisión", status="in_review")
    create_practice(city_a, "Borrador", status="draft")
    create_practice(city_a, "Publicada")
    make_application()


def test_the_secretariat_sees_what_waits_for_it_on_every_page(sofia_client, waiting):
    for path in ("/en/", "/en/cities/", "/en/dashboard/"):
        html = sofia_client.get(path).content.decode()
        assert '<a href="/en/dashboard/#dashboard-practices">2 practices to review</a>' in html
        assert (
            '<a href="/en/admin/cities/membershipapplication/?pending=yes">'
            "1 application waiting</a>"
        ) in html


def test_the_counts_are_translated(sofia_client, waiting):
    html = sofia_client.get("/").content.decode()
    assert "2 prácticas por revisar" in html and "1 solicitud en espera" in html


def test_nobody_else_sees_the_counts(visitor, ana_client, waiting):
    for client in (visitor, ana_client):
        assert "to review</a>" not in client.get("/en/").content.decode()


def test_the_counts_are_one_query(sofia, waiting, django_assert_num_queries):
    with django_assert_num_queries(2):  # the roles of the user, then both counts at once
        assert figures.waiting_for_secretariat(sofia) == {"practices": 2, "applications": 1}


def test_nothing_waiting_reads_zero(sofia, db):
    assert figures.waiting_for_secretariat(sofia) == {"practices": 0, "applications": 0}
