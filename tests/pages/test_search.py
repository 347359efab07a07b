"""Site search: grouped results, accents ignored, drafts hidden, odd input never fails."""

import pytest

from experiences.models import Practice
from mapping.models import Indicator, SocialProblem
from tests.experiences.conftest import make_practice, problem, themes  # noqa: F401
from tests.factories import CityFactory, make_funding_call


@pytest.fixture
def corpus(make_practice, city_a, city_b, themes, problem):  # noqa: F811
    make_practice(
        title="Consejo de niñas y niños",
        summary="Las niñas y los niños de Quilmes opinan sobre el presupuesto participativo.",
    )
    make_practice(
        title="Borrador de niñez escondido",
        summary="Participación de niñas y niños en borrador.",
        status=Practice.Status.DRAFT,
    )
    make_practice(title="Acogida de migrantes", city=city_b, language="pt-br", summary="Migrantes")
    Indicator.objects.create(
        slug="child-poverty",
        name_es="Pobreza infantil",
        name_pt_br="Pobreza infantil",
        name_en="Child poverty",
        unit="%",
    )
    make_funding_call(
        "Participación de la niñez",
        slug="participacion-ninez",
        funder="Fondo de la Niñez",
        summary="Financia consejos de niñas y niños.",
        opened_days_ago=0,
        closes_in_days=30,
        link="https://example.org/",
    )


def _groups(response):
    return {kind: items for kind, _title, items in response.context["groups"]}


def test_accentless_portuguese_word_finds_practices_problems_and_calls(visitor, corpus):
    response = visitor.get("/pt-br/search/", {"q": "ninos"})
    assert response.status_code == 200
    groups = _groups(response)
    assert [p.title for p in groups["practices"]] == ["Consejo de niñas y niños"]
    assert [c.slug for c in groups["funding"]] == ["participacion-ninez"]
    assert b"<mark>" in response.content


def test_cities_match_name_and_state_without_accents(visitor, corpus):
    CityFactory(name="Asunción", slug="asuncion-py", country="PY", state_province="Central")
    assert [c.name for c in _groups(visitor.get("/en/search/", {"q": "asuncion"}))["cities"]] == [
        "Asunción"
    ]
    found = _groups(visitor.get("/en/search/", {"q": "grande do sul"}))["cities"]
    assert [c.name for c in found] == ["Porto Alegre"]


def test_problems_and_indicators_match_any_language(visitor, corpus):
    groups = _groups(visitor.get("/en/search/", {"q": "trabalho infantil"}))
    assert [p.slug for p in groups["problems"]] == ["child-labour"]
    groups = _groups(visitor.get("/en/search/", {"q": "pobreza"}))
    assert [i.slug for i in groups["indicators"]] == ["child-poverty"]


@pytest.mark.parametrize("client_name", ["visitor", "ana_client", "bruno_client", "sofia_client"])
def test_drafts_never_appear_in_search_results(request, client_name, corpus):
    client = request.getfixturevalue(client_name)
    response = client.get("/en/search/", {"q": "borrador niñez"})
    assert response.status_code == 200
    assert b"escondido" not in response.content


def test_results_are_grouped_with_counts_in_english(visitor, corpus):
    html = visitor.get("/en/search/", {"q": "niñez"}).content.decode()
    assert (
        "Practices (2)" in html
        and "Funding calls (1)" in html
        and "Cities" not in html.split("<main")[1]
    )
    assert 'role="search"' in html and html.count("<h1") == 1


BAD_INPUTS = [
    "",
    "   ",
    "!!!",
    ".,;:-",
    "x" * 1000,
    "niñ" * 400,
    "'",
    '"',
    '"unterminated',
    "a & b",
    "a | b",
    "!a",
    "niñ:*",
    "a:* & !b | (c",
    "-- DROP TABLE x;",
    "'; SELECT 1; --",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "%",
    "_",
    "\\",
]


@pytest.mark.parametrize("q", BAD_INPUTS)
def test_bad_input_answers_a_page_never_an_error(visitor, corpus, q):
    response = visitor.get("/en/search/", {"q": q})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def test_repeated_q_and_missing_q_are_fine(visitor, db):
    assert visitor.get("/en/search/?q=a&q=b").status_code == 200
    assert visitor.get("/en/search/").status_code == 200


def test_search_refuses_post(visitor, db):
    assert visitor.post("/en/search/", {"q": "x"}).status_code == 405


def test_header_has_a_labelled_search_box(visitor, db):
    html = visitor.get("/en/").content.decode()
    assert 'role="search"' in html and 'for="header-search-q"' in html


@pytest.mark.parametrize("size", [1, 25])
def test_search_query_budget(request, ana_client, size, django_assert_max_num_queries):
    practice_factory = request.getfixturevalue("make_practice")
    vocabulary = request.getfixturevalue("themes")
    # guards the cards' cities and themes, and one query per kind of result
    for n in range(size):
        city = CityFactory(name=f"Niñolandia {n}", slug=f"ninolandia-{n}")
        practice_factory(city=city, title=f"Niñez {n}", themes=list(vocabulary.values()))
        SocialProblem.objects.create(
            slug=f"p-{n}", category="childhood", name_es=f"Niñez {n}", name_pt_br="x", name_en="y"
        )
    with django_assert_max_num_queries(12):
        assert ana_client.get("/en/search/", {"q": "niño"}).status_code == 200
