"""The home page: what the unit is, live figures, practices, events, funding, map."""

import pytest

from experiences.models import Practice
from tests.events.conftest import make_summit
from tests.experiences.conftest import make_practice, themes  # noqa: F401
from tests.factories import CityFactory, make_funding_call


@pytest.fixture
def home_data(make_practice, city_a, city_b, themes):  # noqa: F811
    make_practice(title="Mesas barriales de niñez", featured=True, themes=[themes["gender"]])
    make_practice(title="Borrador secreto", status=Practice.Status.DRAFT)
    make_funding_call(
        "Convocatoria abierta",
        slug="abierta",
        summary="Texto",
        opened_days_ago=1,
        closes_in_days=9,
        link="https://example.org/",
    )


def test_visitor_sees_figures_practices_funding_and_map(visitor, home_data):
    response = visitor.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    figures = response.context["figures"]
    assert figures["cities"] == 2 and figures["countries"] == 2
    assert figures["practices"] == 1
    assert "Mesas barriales de niñez" in html and "Borrador secreto" not in html
    assert "Convocatoria abierta" in html
    assert html.count("<h1") == 1
    markers = response.context["map_data"]
    assert {m["name"] for m in markers["markers"]} == {"Quilmes", "Porto Alegre"}
    assert 'id="city-map-data"' in html and "/en/feeds/" in html


def test_home_without_events_hides_the_events_block(visitor, db):
    response = visitor.get("/en/")
    assert response.status_code == 200
    assert 'id="home-events"' not in response.content.decode()


def test_home_shows_the_upcoming_events(visitor, db):
    make_summit()
    html = visitor.get("/en/").content.decode()
    assert 'id="home-events"' in html and "Cumbre social" in html


def test_drafts_never_count_or_show_for_coordinators_either(ana_client, home_data):
    response = ana_client.get("/en/")
    assert response.context["figures"]["practices"] == 1
    assert "Borrador secreto" not in response.content.decode()


@pytest.mark.parametrize("client_name", ["visitor", "ana_client", "sofia_client"])
@pytest.mark.parametrize("language", ["", "/pt-br", "/en"])
def test_home_answers_in_every_language_for_everyone(request, client_name, language, home_data):
    client = request.getfixturevalue(client_name)
    assert client.get(f"{language}/").status_code == 200


def test_home_refuses_post(visitor, db):
    assert visitor.post("/en/").status_code == 405


@pytest.mark.parametrize("size", [1, 30])
def test_home_query_budget(request, ana_client, size, django_assert_max_num_queries):
    practice_factory = request.getfixturevalue("make_practice")
    vocabulary = request.getfixturevalue("themes")
    # guards the themes and city of each practice card and the map's cities (N+1 each)
    for n in range(size):
        city = CityFactory(slug=f"home-city-{n}", latitude="-30.0", longitude="-55.0")
        practice_factory(city=city, featured=n % 2 == 0, themes=list(vocabulary.values()))
    with django_assert_max_num_queries(10):
        assert ana_client.get("/en/").status_code == 200
