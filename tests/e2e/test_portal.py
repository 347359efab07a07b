"""The portal as a visitor meets it: the home page in three languages and site search."""

import pytest

from experiences.models import Practice
from tests.e2e.conftest import assert_accessible
from tests.experiences.conftest import make_practice, themes  # noqa: F401 - shared fixtures


@pytest.fixture
def portal(make_practice, city_a, city_b, themes):  # noqa: F811
    make_practice(
        title="Conselho de crianças",
        language="pt-br",
        city=city_b,
        summary="As crianças de Porto Alegre opinam sobre o orçamento participativo.",
        featured=True,
        themes=[themes["children-adolescents"]],
    )
    make_practice(title="Rascunho de crianças", status=Practice.Status.DRAFT, city=city_b)


@pytest.mark.parametrize("prefix", ["", "/pt-br", "/en"])
def test_home_has_no_accessibility_violations(page, portal, prefix):
    page.goto(f"{prefix}/")
    page.locator("h1").wait_for()
    assert page.locator("#city-map").is_visible()
    assert_accessible(page)


def test_visitor_searches_an_accentless_word_and_reaches_a_practice_and_a_city(page, portal):
    page.goto("/pt-br/")
    assert_accessible(page)
    search = page.get_by_role("search", name="Site search").or_(page.locator(".header-search"))
    search.get_by_role("searchbox").fill("criancas")
    search.get_by_role("button").click()
    page.wait_for_url("**/pt-br/search/?q=criancas")
    assert_accessible(page)
    practices = page.locator("#results-practices")
    assert practices.get_by_role("link", name="Conselho de crianças").is_visible()
    assert page.get_by_text("Rascunho").count() == 0
    practices.get_by_role("link", name="Conselho de crianças").click()
    page.get_by_role("heading", level=1, name="Conselho de crianças").wait_for()
    assert_accessible(page)

    page.goto("/pt-br/search/?q=porto+alegre")
    assert_accessible(page)
    page.locator("#results-cities").get_by_role("link", name="Porto Alegre").click()
    page.get_by_role("heading", level=1, name="Porto Alegre").wait_for()
    assert_accessible(page)
