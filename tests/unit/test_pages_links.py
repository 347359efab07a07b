"""The unit from the rest of the site: news on the home page, the nav and footer links, the
feeds page, the sitemap, and the lines of the work plan on practices, events and funding
calls (shown on their pages, chosen in their forms)."""

import datetime
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from experiences.models import Practice
from tests.events.conftest import make_event
from tests.events.test_admin import admin_data
from tests.experiences.conftest import form_data, make_practice, themes  # noqa: F401
from tests.factories import CityFactory, make_funding_call
from tests.unit.test_about import THIS_YEAR, seeded  # noqa: F401
from unit.models import Document, LineOfWork, NewsItem

DAY = datetime.timedelta(days=1)


def make_news(slug, *, days_ago=1, published=True, **values):
    return NewsItem.objects.create(
        slug=slug,
        title=values.pop("title", slug.replace("-", " ").capitalize()),
        summary=values.pop("summary", f"Summary of {slug}"),
        published_at=timezone.now() - days_ago * DAY,
        is_published=published,
        **values,
    )


@pytest.fixture
def lines(seeded):  # noqa: F811
    return list(LineOfWork.objects.filter(plan=seeded).order_by("number"))


# --- home ----------------------------------------------------------------------------------


@pytest.fixture
def news(db):
    return [
        make_news("draft-announcement", days_ago=0, published=False),
        make_news("scheduled-announcement", days_ago=-2),
        make_news("first-news", days_ago=1),
        make_news("second-news", days_ago=2),
        make_news("third-news", days_ago=3),
        make_news("fourth-news", days_ago=4),
    ]


@pytest.mark.parametrize("who", ["visitor", "ana_client", "sofia_client"])
def test_home_shows_the_latest_three_published_news(request, who, news):
    response = request.getfixturevalue(who).get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert [item.slug for item in response.context["news"]] == [
        "first-news",
        "second-news",
        "third-news",
    ]
    for slug in ("first-news", "second-news", "third-news"):
        assert f'href="/en/unit/news/{slug}/"' in html
    assert "Summary of first-news" in html
    assert "fourth-news" not in html  # only the latest three
    assert "draft-announcement" not in html  # not even for the secretariat
    assert "scheduled-announcement" not in html
    assert 'href="/en/unit/news/"' in html  # all news
    assert 'id="home-news"' in html


def test_home_without_news_hides_the_news_block(visitor, db):
    assert 'id="home-news"' not in visitor.get("/en/").content.decode()


def test_home_links_to_the_unit(visitor, db):
    html = visitor.get("/en/").content.decode()
    assert html.count('href="/en/unit/"') >= 2  # the main nav and the unit's section


@pytest.mark.parametrize("size", [1, 20])
def test_home_query_budget_with_news(
    ana_client,
    lines,
    make_practice,  # noqa: F811
    themes,  # noqa: F811
    size,
    django_assert_max_num_queries,
):
    # guards the N+1 of each news item's lines and related city or event, beside the
    # practice cards' themes and cities
    NewsItem.objects.all().delete()  # the seeded samples
    for n in range(size):
        item = make_news(f"news-{n}", days_ago=n + 1, city=CityFactory(slug=f"news-city-{n}"))
        item.lines.set(lines)
        make_practice(featured=n % 2 == 0, themes=list(themes.values()))
    with django_assert_max_num_queries(12):
        response = ana_client.get("/en/")
    assert response.status_code == 200
    assert len(response.context["news"]) == min(size, 3)


# --- nav, footer, feeds page ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "ana_client"])
def test_every_page_links_to_the_unit_and_the_news_feed(request, who, db):
    html = request.getfixturevalue(who).get("/en/privacy/").content.decode()
    nav = html.split('class="main-nav"')[1].split("</nav>")[0]
    assert '<a href="/en/unit/">The unit</a>' in nav
    footer = html.split('class="site-footer"')[1]
    assert '<a href="/en/unit/news/feed/">News (Atom feed)</a>' in footer
    assert 'href="/en/unit/new-members/"' in footer


def test_feeds_page_lists_the_news_feed(visitor, db):
    main = visitor.get("/en/feeds/").content.decode().split('id="main"')[1]
    assert '<a href="/en/unit/news/feed/">News (Atom feed)</a>' in main.split("</main>")[0]


# --- sitemap -------------------------------------------------------------------------------


def test_sitemap_lists_the_unit_pages_news_and_public_documents_only(visitor, seeded):  # noqa: F811
    make_news("borrador-de-noticia", published=False)
    Document.objects.create(
        slug="solo-para-miembros",
        title="Solo para miembros",
        year=2025,
        audience=Document.Audience.MEMBERS,
        file="unit/x.pdf",
    )
    response = visitor.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    for path in ("unit/", "unit/new-members/", "unit/library/", "unit/news/", "unit/plan/"):
        assert f"<loc>http://testserver/en/{path}</loc>" in body
        assert f"<loc>http://testserver/{path}</loc>" in body  # Spanish, no prefix
    assert "<loc>http://testserver/en/unit/news/ejemplo-nuevo-portal-de-la-unidad/</loc>" in body
    assert "/unit/library/ejemplo-guia-para-nuevas-ciudades/</loc>" in body
    assert "<loc>http://testserver/pt-br/unit/plan/2012/</loc>" in body
    # the 2012 plan covers 2012 only: no later year is reviewed against it
    assert f"<loc>http://testserver/en/unit/plan/{THIS_YEAR}/</loc>" not in body
    assert "/unit/plan/2011/" not in body  # before the plan began
    assert "borrador-de-noticia" not in body
    assert "solo-para-miembros" not in body
    assert "ejemplo-acta-de-reunion-de-coordinacion" not in body  # seeded members-only


# --- lines of the work plan on the detail pages --------------------------------------------


def _queries(client, path) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries), unescape(response.content.decode())


def _assert_lines_shown_without_n_plus_one(client, path, link, lines):
    """One line, then all eight: the same number of queries (each line's plan is joined)."""
    link(lines[:1])
    few, html = _queries(client, path)
    assert "Lines of the work plan" in html
    assert html.count('href="/en/unit/plan/2012/"') == 1
    assert lines[0].title_en in html
    link(lines)
    many, html = _queries(client, path)
    assert html.count('href="/en/unit/plan/2012/"') == 8
    assert many == few


@pytest.mark.parametrize("who", ["visitor", "ana_client"])
def test_practice_page_shows_its_lines(request, who, lines, make_practice):  # noqa: F811
    practice = make_practice(title="Mesas barriales", slug="mesas-barriales")
    path = "/en/practices/mesas-barriales/"
    client = request.getfixturevalue(who)
    assert "Lines of the work plan" not in client.get(path).content.decode()
    _assert_lines_shown_without_n_plus_one(client, path, practice.lines.set, lines)


@pytest.mark.parametrize("who", ["visitor", "sofia_client"])
def test_event_page_shows_its_lines(request, who, lines):
    event = make_event(title="Workshop", kind=Event.Kind.WORKSHOP)
    path = f"/en/events/{event.slug}/"
    client = request.getfixturevalue(who)
    assert "Lines of the work plan" not in client.get(path).content.decode()
    _assert_lines_shown_without_n_plus_one(client, path, event.lines.set, lines)


@pytest.mark.parametrize("who", ["visitor", "ana_client"])
def test_funding_call_page_shows_its_lines(request, who, lines):
    call = make_funding_call("Ciudades inclusivas", opened_days_ago=1, closes_in_days=9)
    path = "/en/funding/ciudades-inclusivas/"
    client = request.getfixturevalue(who)
    assert "Lines of the work plan" not in client.get(path).content.decode()
    _assert_lines_shown_without_n_plus_one(client, path, call.lines.set, lines)


# --- the forms offer the lines -------------------------------------------------------------


def test_coordinator_creates_a_practice_with_a_line_through_the_form(ana_client, city_a, lines):
    page = unescape(ana_client.get("/en/practices/new/").content.decode())
    assert 'name="lines"' in page and 'type="checkbox"' in page
    assert lines[4].title_en in page
    response = ana_client.post(
        "/en/practices/new/", form_data(city=city_a.pk, lines=[lines[4].pk], action="save")
    )
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert list(practice.lines.all()) == [lines[4]]
    detail = ana_client.get(response["Location"]).content.decode()
    assert 'href="/en/unit/plan/2012/"' in detail


def test_an_unknown_line_is_a_form_error_and_saves_nothing(ana_client, city_a, lines):
    response = ana_client.post(
        "/en/practices/new/", form_data(city=city_a.pk, lines=[999999], action="save")
    )
    assert response.status_code == 200
    assert "lines" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_secretariat_gives_an_event_its_lines_in_the_admin(sofia_client, lines):
    response = sofia_client.post(
        "/admin/events/event/add/", admin_data(lines=[lines[0].pk, lines[1].pk])
    )
    assert response.status_code == 302
    event = Event.objects.get(slug="assembly")
    assert set(event.lines.all()) == {lines[0], lines[1]}


def test_funding_call_admin_offers_the_lines(sofia_client, lines):
    html = sofia_client.get("/admin/funding/fundingcall/add/").content.decode()
    assert 'name="lines"' in html
    assert f'value="{lines[0].pk}"' in html
