"""The public list /practices/: filters in the URL, full-text search, sort, pagination."""

import datetime
import re

import pytest

from experiences import queries
from experiences.models import Practice
from tests.http import assert_lacks, assert_shows


def listing(client, query):
    """The public list with this query string."""
    return client.get(f"/en/practices/?{query}")


def titles(response):
    return [practice.title for practice in response.context["page"].object_list]


@pytest.fixture
def catalogue(make_practice, themes, goal, problem, crc_article, city_b):
    """Four published practices in two cities and languages, plus a draft."""
    return {
        "ninez": make_practice(
            title="Mesas barriales de niñez",
            summary="Las niñas y los niños opinan sobre las políticas del barrio.",
            themes=[themes["children-adolescents"]],
            crc_articles=[crc_article],
            start_date=datetime.date(2012, 1, 1),
            end_date=datetime.date(2014, 12, 31),
        ),
        "migrantes": make_practice(
            title="Acolhimento de famílias migrantes",
            summary="Orientação para famílias migrantes sobre documentação e crianças na escola.",
            language="pt-br",
            city=city_b,
            themes=[themes["migration"], themes["children-adolescents"]],
            goals=[goal],
            start_date=datetime.date(2016, 1, 1),
            featured=True,
        ),
        "huertas": make_practice(
            title="Huertas comunitarias",
            summary="Alimentos sanos y trabajo para familias de barrios populares.",
            themes=[themes["gender"]],
            social_problems=[problem],
            start_date=datetime.date(2020, 1, 1),
        ),
        "draft": make_practice(
            title="Borrador secreto de niñez",
            status=Practice.Status.DRAFT,
            themes=[themes["children-adolescents"]],
        ),
    }


def test_list_shows_published_cards_with_city_country_themes_and_year(visitor, catalogue):
    response = visitor.get("/en/practices/")
    assert response.status_code == 200
    html = response.content.decode()
    assert sorted(titles(response)) == sorted(
        ["Mesas barriales de niñez", "Acolhimento de famílias migrantes", "Huertas comunitarias"]
    )
    assert "Borrador secreto" not in html
    assert_shows(
        html, "Porto Alegre, Brazil", "Quilmes, Argentina", "since 2016", "<h1>Good practices</h1>"
    )


def test_main_navigation_and_footer_link_the_list_and_the_feed(visitor, db):
    html = visitor.get("/en/").content.decode()
    assert_shows(html, 'href="/en/practices/"', 'href="/en/practices/feed/"')


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=migration", ["Acolhimento de famílias migrantes"]),
        ("goal=sdg-01", ["Acolhimento de famílias migrantes"]),
        ("problem=child-labour", ["Huertas comunitarias"]),
        ("crc=12", ["Mesas barriales de niñez"]),
        ("country=BR", ["Acolhimento de famílias migrantes"]),
        ("city=porto-alegre-br", ["Acolhimento de famílias migrantes"]),
        ("language=pt-br", ["Acolhimento de famílias migrantes"]),
        ("featured=on", ["Acolhimento de famílias migrantes"]),
        ("year_from=2015", ["Acolhimento de famílias migrantes", "Huertas comunitarias"]),
        ("year_to=2013", ["Mesas barriales de niñez"]),
        ("year_from=2013&year_to=2014", ["Mesas barriales de niñez"]),
        ("theme=children-adolescents&country=AR", ["Mesas barriales de niñez"]),
        (
            "theme=gender&theme=migration&sort=title",
            ["Acolhimento de famílias migrantes", "Huertas comunitarias"],
        ),
    ],
)
def test_filters_narrow_the_list_and_combine(visitor, catalogue, query, expected):
    response = listing(visitor, f"{query}&sort=title")
    assert response.status_code == 200
    assert titles(response) == sorted(expected, key=str.lower)


def test_a_city_filter_includes_the_practices_it_runs_as_partner(
    visitor, make_practice, city_a, city_b
):
    joint = make_practice(title="Práctica conjunta", partner_cities=[city_b])
    response = listing(visitor, "city=porto-alegre-br")
    assert titles(response) == [joint.title]


def test_theme_checkboxes_show_counts_without_their_own_filter(visitor, catalogue):
    html = listing(visitor, "theme=gender&country=AR").content.decode()
    # Counts follow the other filters (Argentina) but not the theme choice itself.
    assert_shows(html, "Children (1)", "Gender (1)", "Migration (0)")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ninez", "Mesas barriales de niñez"),  # no accent typed, Spanish stem
        ("NIÑAS", "Mesas barriales de niñez"),
        ("criancas", "Acolhimento de famílias migrantes"),  # Portuguese, no cedilla
        ("documentacao", "Acolhimento de famílias migrantes"),
        ("familia", "Acolhimento de famílias migrantes"),  # stem: família / famílias
        ('"barrios populares"', "Huertas comunitarias"),
        ("familias -migrantes", "Huertas comunitarias"),
    ],
)
def test_search_is_accent_insensitive_and_stems_spanish_and_portuguese(
    visitor, catalogue, words, expected
):
    response = visitor.get("/en/practices/", {"q": words})
    assert response.status_code == 200
    assert titles(response)[0] == expected
    assert "Borrador secreto" not in response.content.decode()


def test_search_ranks_title_matches_first_and_highlights_the_snippet(visitor, make_practice):
    make_practice(title="Deporte barrial", summary="Torneos con la participación de jóvenes.")
    make_practice(title="Participación juvenil", summary="Consejos de jóvenes en cada barrio.")
    response = visitor.get("/en/practices/", {"q": "participacion"})
    assert titles(response) == ["Participación juvenil", "Deporte barrial"]
    html = response.content.decode()
    assert "<mark>participación</mark>" in html


def test_search_snippet_escapes_user_html(visitor, make_practice):
    make_practice(
        title="Práctica",
        summary='Texto <script>alert("x")</script> con <img src=x onerror=alert(1)> hostil.',
    )
    html = visitor.get("/en/practices/", {"q": "hostil"}).content.decode()
    snippet = re.search(r'class="practice-snippet"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "<mark>" in snippet
    assert_lacks(snippet, "<script", "<img")
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet  # shown as text


@pytest.mark.parametrize(
    "words",
    [
        '"',
        '"unbalanced quote',
        "a & b | c",
        "!!! ::* & | ( ) <->",
        "niñez:*",
        "'; DROP TABLE experiences_practice; --",
        "\\",
        "x" * 1000,
        "palabra " * 300,
        "\x00niñez",
        "el la de",  # stop words only
    ],
)
def test_hostile_search_text_answers_results_or_an_empty_list(visitor, catalogue, words):
    response = visitor.get("/en/practices/", {"q": words})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "year_from=abc",
        "year_from=99999999999999",
        "year_to=-5",
        "crc=abc",
        "crc=999",
        "theme=no-such-theme",
        "goal=%00",
        "city=%00abc",
        "country=ZZ",
        "language=xx",
        "sort=price",
        "page=abc",
        "page=999",
        "featured=maybe",
        "q=%00",
    ],
)
def test_malformed_filters_are_ignored_and_flagged_never_an_error(visitor, catalogue, query):
    response = listing(visitor, query)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= 1


def test_a_flagged_filter_says_it_was_ignored(visitor, catalogue):
    html = listing(visitor, "year_from=abc").content.decode()
    assert "Some filters were not understood and were ignored" in html


def test_no_result_suggests_removing_filters(visitor, catalogue):
    html = listing(visitor, "q=zzzzzz&country=AR").content.decode()
    assert_shows(
        html, "No practice matches what you asked for.", "Remove all filters", "0 practices"
    )


def test_sorting_by_title_and_newest(visitor, make_practice):
    import datetime as dt

    from django.utils import timezone

    make_practice(title="Beta", published_at=timezone.now() - dt.timedelta(days=1))
    make_practice(title="alfa", published_at=timezone.now() - dt.timedelta(days=2))
    make_practice(title="Gamma", published_at=timezone.now())
    assert titles(listing(visitor, "sort=title")) == ["alfa", "Beta", "Gamma"]
    assert titles(visitor.get("/en/practices/")) == ["Gamma", "Beta", "alfa"]
    # Relevance without words falls back to newest.
    assert titles(listing(visitor, "sort=relevance")) == ["Gamma", "Beta", "alfa"]


def test_pagination_keeps_the_filters_in_the_links(visitor, make_practice, themes):
    for n in range(14):
        make_practice(title=f"Práctica de género {n:02d}", themes=[themes["gender"]])
    response = listing(visitor, "theme=gender&sort=title")
    assert len(response.context["page"].object_list) == 12
    html = response.content.decode()
    link = re.search(r'href="([^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "theme=gender" in link and "sort=title" in link
    second = visitor.get("/en/practices/" + link)
    assert len(second.context["page"].object_list) == 2


def test_logged_in_coordinator_sees_their_work_in_progress(ana_client, bruno_client, draft):
    assert draft.title in ana_client.get("/en/practices/").content.decode()
    assert draft.title not in bruno_client.get("/en/practices/").content.decode()


def test_search_practices_for_the_site_search(catalogue):
    found = queries.search_practices("criancas")
    assert found[0].title == "Acolhimento de famílias migrantes"
    assert all(p.status == Practice.Status.PUBLISHED for p in found)
    assert queries.search_practices("") == []
    assert queries.search_practices("x" * 5000) == []


def test_portal_queries(catalogue, city_a, city_b, make_practice):
    joint = make_practice(title="Conjunta", city=city_b, partner_cities=[city_a])
    assert set(queries.published_for_city(city_a)) == {
        catalogue["ninez"],
        catalogue["huertas"],
        joint,
    }
    assert queries.published_count_by_city() == {city_a.pk: 3, city_b.pk: 2}
    latest = queries.latest_published(2)
    assert len(latest) == 2 and latest[0] == joint
    assert list(queries.featured_published()) == [catalogue["migrantes"]]


def test_site_search_offers_similar_titles_for_a_typo(catalogue):
    # "hurtas comunitarais" matches no stem: trigram similarity on titles still finds it.
    assert [p.title for p in queries.search_practices("hurtas comunitarais")] == [
        "Huertas comunitarias"
    ]
    assert queries.search_practices("zzzzzzzz") == []


def test_secretariat_sees_the_review_queue_on_the_list(sofia_client, draft, make_practice):
    waiting = make_practice(title="Esperando revisión", status=Practice.Status.IN_REVIEW)
    html = sofia_client.get("/en/practices/").content.decode()
    assert "Practices waiting for your review" in html
    assert waiting.title in html
    assert draft.title not in html  # drafts stay with their city until submitted


def test_detail_carries_opengraph_tags(visitor, published):
    html = visitor.get(f"/en/practices/{published.slug}/").content.decode()
    assert_shows(
        html,
        f'<meta property="og:title" content="{published.title}">',
        '<meta property="og:type" content="article">',
        '<meta property="og:locale" content="es_LA">',
        f'content="http://testserver/en/practices/{published.slug}/"',
    )
