"""Every list of the open API: its public rows, its filters, and never private data."""

import json

import pytest

from tests.api.conftest import LISTS, api_get

pytestmark = pytest.mark.django_db

# Text of the private rows of the `world` fixture: none may appear in any answer.
PRIVATE = [
    "en-revision",
    "mesas-de-ninez-en-borrador",
    "Borrador de noticia",
    "Secreto",
    "laura@quilmes.example",
    "focal@quilmes.example",
    "Laura Gómez",
    "Cambio en borrador",
    "Transferencia de un borrador",
    "recorded_by",
    "@",
]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_answers_with_rows_and_no_private_data(client, world, name):
    response = api_get(client, name)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["results"], f"{name} has no rows"
    text = json.dumps(body, ensure_ascii=False)
    for private in PRIVATE:
        if private == "@":  # no e-mail address at all (delegates, focal points, contacts)
            assert "@" not in text.replace("https://", "").replace("http://", "")
        else:
            assert private not in text, f"{private!r} leaked from {name}"


def test_practices_are_the_published_ones_with_their_vocabularies(client, world):
    body = api_get(client, "practices").json()
    assert [row["slug"] for row in body["results"]] == [world["practice"].slug]
    row = body["results"][0]
    assert [t["slug"] for t in row["themes"]] == ["children-adolescents"]
    assert row["goals"][0]["code"] == "SDG 1"
    assert row["crc_articles"][0]["number"] == 12
    assert row["social_problems"][0]["slug"] == "child-labour"
    assert row["lines"][0]["slug"] == "2024-ninez"
    assert [city["slug"] for city in row["partner_cities"]] == [world["partner"].slug]


def test_practices_filters_of_the_page(client, world, make_practice, themes):
    other = make_practice(title="Migrantes en la ciudad", themes=[themes["migration"]])
    body = api_get(client, "practices?theme=migration").json()
    assert [row["slug"] for row in body["results"]] == [other.slug]
    body = api_get(client, "practices?q=MIGRANTES").json()
    assert [row["slug"] for row in body["results"]] == [other.slug]
    body = api_get(client, "practices?crc=12").json()
    assert [row["slug"] for row in body["results"]] == [world["practice"].slug]


def test_transfers_are_the_published_ones_of_published_practices(client, world, city_a, city_b):
    body = api_get(client, "transfers?lang=en").json()
    (row,) = body["results"]
    transfer = world["transfer"]
    assert row == {
        "id": transfer.pk,
        "practice": {
            "slug": world["practice"].slug,
            "title": world["practice"].title,
            "url": f"http://testserver/en/practices/{world['practice'].slug}/",
            "city": {"slug": city_a.slug, "name": city_a.name, "country": "AR"},
        },
        "city": {"slug": city_b.slug, "name": city_b.name, "country": "BR"},
        "kind": "adapted",
        "started_on": "2024-03-01",
        "changes": "Otro horario.",
        "results": "Más familias atendidas.",
        "published_at": row["published_at"],
        "url": f"http://testserver/en/peers/transfers/{transfer.pk}/",
    }
    # the filters: by the city that took it, the practice and the practice's city
    for query in (f"city={city_b.slug}", f"practice={world['practice'].slug}"):
        assert len(api_get(client, f"transfers?{query}").json()["results"]) == 1, query
    assert api_get(client, f"transfers?from_city={city_a.slug}").json()["results"]
    assert api_get(client, f"transfers?city={city_a.slug}").json()["results"] == []
    # a draft practice is no filter value
    response = api_get(client, f"transfers?practice={world['draft'].slug}")
    assert response.status_code == 400


def test_news_leaves_out_drafts(client, world):
    body = api_get(client, "news").json()
    assert [row["slug"] for row in body["results"]] == ["nueva-ciudad"]


def test_events_carry_no_registration(client, world):
    row = api_get(client, "events").json()["results"][0]
    assert row["slug"] == "cumbre-social"
    assert "registrations" not in row and "delegates" not in row


def test_open_funding_calls(client, world):
    body = api_get(client, "funding-calls?status=open").json()
    assert [row["slug"] for row in body["results"]] == ["ciudades-inclusivas"]
    assert body["results"][0]["status"] == "open"
    assert api_get(client, "funding-calls?status=closed").json()["results"] == []


def test_plans_carry_their_lines_in_the_language_asked(client, world):
    row = api_get(client, "plans?lang=pt-br").json()["results"][0]
    assert row["lines"] == [
        {"slug": "2024-ninez", "number": 1, "title": "Infância", "description": ""}
    ]


def test_indicator_values_filter_by_city(client, world, city_a, city_b):
    assert len(api_get(client, f"indicator-values?city={city_a.slug}").json()["results"]) == 1
    assert api_get(client, f"indicator-values?city={city_b.slug}").json()["results"] == []
