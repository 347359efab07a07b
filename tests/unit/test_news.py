"""News: published items for everyone, drafts and scheduled ones for the secretariat only;
filters, Markdown that cannot run, the Atom feed, flat query counts."""

import datetime
import itertools
import xml.etree.ElementTree as ET  # our own feed, not untrusted input

import pytest
from django.utils import timezone

from tests.events.conftest import make_event
from tests.http import assert_lacks, assert_shows
from unit.models import LineOfWork, NewsItem, WorkPlan

NEWS = "/en/unit/news/"
FEED = "/en/unit/news/feed/"
ATOM = "{http://www.w3.org/2005/Atom}"
DAY = datetime.timedelta(days=1)
HOSTILE = (
    "Hola <script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    '[pulse aquí](javascript:alert(1)) y <a href="#" onclick="alert(2)">aquí</a>'
)
_numbers = itertools.count(1)


@pytest.fixture
def lines(db):
    plan = WorkPlan.objects.create(
        start_year=2012, end_year=2012, title_es="Plan", title_pt_br="Plano", title_en="Plan"
    )
    return {
        slug: LineOfWork.objects.create(
            plan=plan, number=number, slug=slug, title_es=title, title_en=title
        )
        for number, (slug, title) in enumerate(
            [("2012-ampliar-la-red", "Widen the network"), ("2012-ninez", "Children")], start=1
        )
    }


def make_news(*, lines=(), **values) -> NewsItem:
    number = next(_numbers)
    values.setdefault("title", f"Noticia {number}")
    values.setdefault("slug", f"noticia-{number}")
    values.setdefault("summary", f"Resumen de la noticia {number}.")
    values.setdefault("body", "Texto con **énfasis**.")
    values.setdefault("is_published", True)
    values.setdefault("published_at", timezone.now() - number * DAY)
    item = NewsItem.objects.create(**values)
    item.lines.set(lines)
    return item


@pytest.fixture
def published(lines):
    return make_news(
        title="La Unidad estrena su portal",
        slug="nuevo-portal",
        published_at=timezone.now() - DAY,
        lines=[lines["2012-ampliar-la-red"]],
    )


@pytest.fixture
def draft(db):
    return make_news(title="Borrador de noticia", slug="borrador", is_published=False)


@pytest.fixture
def scheduled(db):
    return make_news(
        title="Noticia programada", slug="programada", published_at=timezone.now() + 3 * DAY
    )


def titles(response):
    return [item.title for item in response.context["items"]]


def feed_entries(response):
    root = ET.fromstring(response.content)  # noqa: S314
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


# --- who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["visitor", "ana_client"])
def test_list_shows_published_news_only(request, client_name, published, draft, scheduled):
    response = request.getfixturevalue(client_name).get(NEWS)
    assert response.status_code == 200
    assert titles(response) == ["La Unidad estrena su portal"]
    assert b"Draft" not in response.content and b"Scheduled" not in response.content


def test_secretariat_sees_drafts_and_scheduled_items_marked(
    sofia_client, published, draft, scheduled
):
    response = sofia_client.get(NEWS)
    assert titles(response) == [scheduled.title, published.title, draft.title]  # newest first
    page = response.content.decode()
    assert page.count(">Draft<") == 1 and page.count(">Scheduled<") == 1


@pytest.mark.parametrize(
    ("client_name", "expected"),
    [("visitor", 404), ("ana_client", 404), ("bruno_client", 404), ("sofia_client", 200)],
)
@pytest.mark.parametrize("slug", ["borrador", "programada"])
def test_unpublished_items_answer_404_except_to_the_secretariat(
    request, draft, scheduled, client_name, expected, slug
):
    response = request.getfixturevalue(client_name).get(f"{NEWS}{slug}/")
    assert response.status_code == expected


def test_secretariat_is_told_an_item_is_not_public(sofia_client, draft, scheduled):
    assert b"Only the secretariat sees this item" in sofia_client.get(f"{NEWS}borrador/").content
    page = sofia_client.get(f"{NEWS}programada/").content.decode()
    assert "Scheduled" in page and "Only the secretariat sees this item until" in page


def test_missing_item_is_404(visitor, db):
    assert visitor.get(f"{NEWS}no-such-news/").status_code == 404


# --- list ------------------------------------------------------------------------------


def test_list_offers_the_feed_and_counts(visitor, published):
    page = visitor.get(NEWS).content.decode()
    assert_shows(
        page,
        '<link rel="alternate" type="application/atom+xml"',
        'href="/en/unit/news/feed/"',
        "1 news item",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("line=2012-ninez", ["Niñez en Porto Alegre"]),
        ("language=pt-br", ["Niñez en Porto Alegre"]),
        ("language=es", ["La Unidad estrena su portal"]),
        ("line=2012-ampliar-la-red&language=pt-br", []),
    ],
)
def test_filters(visitor, lines, published, query, expected):
    make_news(
        title="Niñez en Porto Alegre",
        language="pt-br",
        published_at=timezone.now() - 5 * DAY,
        lines=[lines["2012-ninez"]],
    )
    response = visitor.get(f"{NEWS}?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    "query",
    ["line=nope", "language=xx", "page=abc", "page=99999", "page=0", "line=%00&language=%00"],
)
def test_bad_filter_values_are_ignored(visitor, published, query):
    response = visitor.get(f"{NEWS}?{query}")
    assert response.status_code == 200
    assert titles(response) == ["La Unidad estrena su portal"]


def test_bad_line_is_reported(visitor, published):
    assert b"Some filters were not understood" in visitor.get(f"{NEWS}?line=nope").content


def test_news_are_paginated_newest_first(visitor, db):
    for n in range(13):
        make_news(title=f"Noticia {n:02d}", published_at=timezone.now() - (n + 1) * DAY)
    first = visitor.get(NEWS)
    assert titles(first)[:2] == ["Noticia 00", "Noticia 01"] and len(titles(first)) == 10
    assert titles(visitor.get(f"{NEWS}?page=99999")) == ["Noticia 10", "Noticia 11", "Noticia 12"]


# --- detail ----------------------------------------------------------------------------


def test_detail_renders_markdown_date_and_related_lines(visitor, published):
    response = visitor.get(f"{NEWS}nuevo-portal/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>énfasis</strong>" in page
    # A valid HTML datetime: whole seconds (the Nu HTML Checker allows at most 3 decimals).
    local = timezone.localtime(published.published_at)
    assert f'datetime="{local.strftime("%Y-%m-%dT%H:%M:%S%z")}"' in page
    assert 'href="/en/unit/plan/2012/#line-' in page and "Widen the network" in page


def test_body_in_another_language_says_so(visitor, published):
    page = visitor.get(f"{NEWS}nuevo-portal/").content.decode()
    assert 'class="prose" lang="es"' in page
    same = visitor.get("/unit/news/nuevo-portal/").content.decode()  # the Spanish page
    assert 'class="prose">' in same and 'class="prose" lang=' not in same


def test_detail_links_the_related_city_and_event(visitor, city_a, db):
    event = make_event(title="Cumbre social", slug="cumbre-social")
    make_news(slug="con-relaciones", city=city_a, event=event)
    page = visitor.get(f"{NEWS}con-relaciones/").content.decode()
    assert 'href="/en/cities/quilmes-ar/"' in page and "Quilmes" in page
    assert 'href="/en/events/cumbre-social/"' in page and "Cumbre social" in page


def test_hostile_body_is_inert_in_the_page(visitor, db):
    make_news(slug="hostil", body=HOSTILE)
    page = visitor.get(f"{NEWS}hostil/").content.decode()
    body = page[page.index('class="prose"') :]
    assert_lacks(body, "<script>alert", "onerror", "onclick", "javascript:")


# --- feed ------------------------------------------------------------------------------


def test_feed_is_atom_and_lists_published_items_only(visitor, published, draft, scheduled):
    response = visitor.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == f"{ATOM}feed"
    assert feed_entries(response) == ["La Unidad estrena su portal"]
    entry = next(root.iter(f"{ATOM}entry"))
    assert entry.find(f"{ATOM}link").get("href").endswith("/en/unit/news/nuevo-portal/")
    assert [c.get("term") for c in entry.iter(f"{ATOM}category")] == ["Widen the network"]


def test_feed_is_the_same_for_the_secretariat(sofia_client, published, draft, scheduled):
    assert feed_entries(sofia_client.get(FEED)) == ["La Unidad estrena su portal"]


def test_feed_keeps_the_latest_twenty(visitor, db):
    for n in range(23):
        make_news(title=f"Noticia {n:02d}", published_at=timezone.now() - (n + 1) * DAY)
    entries = feed_entries(visitor.get(FEED))
    assert len(entries) == 20 and entries[0] == "Noticia 00"


def test_feed_description_is_sanitised(visitor, db):
    make_news(slug="hostil", body=HOSTILE)
    response = visitor.get(FEED)
    root = ET.fromstring(response.content)  # noqa: S314
    summary = next(root.iter(f"{ATOM}entry")).find(f"{ATOM}summary").text
    assert "Hola" in summary
    assert "<script" not in summary and "onerror" not in summary and "onclick" not in summary
    assert "javascript:" not in response.content.decode()


# --- query budgets ---------------------------------------------------------------------


@pytest.fixture
def grow(lines, city_a):
    def build(count):
        event = make_event(title="Cumbre", slug="cumbre")
        for n in range(count):
            make_news(
                slug=f"grown-{n}",
                city=city_a,
                event=event,
                is_published=n % 4 != 0,
                lines=list(lines.values()),
            )

    return build


@pytest.mark.parametrize("count", [2, 30])
@pytest.mark.parametrize("client_name", ["visitor", "sofia_client"])
def test_news_list_query_count_does_not_grow(request, grow, count, client_name, get_within_queries):
    grow(count)
    client = request.getfixturevalue(client_name)
    # Guards the N+1 of cards: the lines of each item come in one prefetch.
    response = get_within_queries(client, f"{NEWS}?line=2012-ninez&language=es", most=12)
    assert response.context["items"]


@pytest.mark.parametrize("count", [1, 2])
def test_news_detail_query_count_does_not_grow(
    sofia_client, lines, city_a, count, get_within_queries
):
    plan = WorkPlan.objects.get()
    extra = [
        LineOfWork.objects.create(plan=plan, number=10 + n, slug=f"extra-{n}", title_es="Extra")
        for n in range(count * 4)
    ]
    event = make_event(title="Cumbre", slug="cumbre")
    make_news(slug="detalle", city=city_a, event=event, lines=[*lines.values(), *extra])
    # Guards the N+1 of the lines' plans (linked to their review), the city and the event.
    response = get_within_queries(sofia_client, f"{NEWS}detalle/", most=12)
    assert response.content.decode().count('href="/en/unit/plan/2012/#line-') == 2 + count * 4


@pytest.mark.parametrize("count", [2, 30])
def test_feed_query_count_does_not_grow(visitor, grow, count, get_within_queries):
    grow(count)
    # Guards the N+1 of the categories (lines) of each entry.
    response = get_within_queries(visitor, FEED, most=12)
    assert feed_entries(response)
