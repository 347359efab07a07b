"""axe-core on every page of tests/site_pages.py — lists, details, forms and forms with errors,
empty states, error pages, dashboards, allauth pages — in Spanish, Portuguese and English:
as a visitor, as a coordinator (who also sees every public page, with another header) and as
the secretariat on its own pages. Any violation of WCAG 2.0/2.1/2.2 A and AA (and axe's best
practices) fails, with every page's violations listed at once."""

import pytest

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import assert_accessible, axe_violations, log_in_after_demo
from tests.site_pages import (
    COORDINATOR,
    LANGUAGES,
    SECRETARIAT,
    VISITOR,
    demo_world,
    pages_for,
    special_page,
)

ACCOUNTS = {COORDINATOR: "ana@quilmes.example", SECRETARIAT: "sofia@utds.example"}
SUBMIT_EMPTY = """() => {
  const form = document.querySelector('main form[method="post"]');
  form.noValidate = true;
  form.requestSubmit();
}"""


@pytest.fixture
def world(transactional_db, settings, tmp_path, ana, sofia, city_b):
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo stores its sample documents
    return demo_world(ana, sofia)


def open_page(page, site_page, language, world, client, base_url):
    url = site_page.url(language, world)
    if site_page.special:
        # An error page a browser cannot provoke: the server's own answer, served at its URL.
        response = special_page(site_page, language, client, world)
        assert response.status_code == site_page.status, site_page.name

        def this_page(address):
            return address == base_url + url

        def answer(route):
            route.fulfill(
                status=response.status_code,
                content_type="text/html; charset=utf-8",
                body=response.content,
            )

        page.route(this_page, answer)
        page.goto(url)
        page.unroute(this_page, answer)
        return
    response = page.goto(url)
    if site_page.submit:
        with page.expect_navigation():
            page.evaluate(SUBMIT_EMPTY)
        assert page.locator(".form-errors, .error").count() > 0, site_page.name
    else:
        assert response.status == site_page.status, f"{site_page.name}: {response.status}"
    page.wait_for_load_state("load")  # the maps draw themselves once their scripts have run


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", [VISITOR, COORDINATOR, SECRETARIAT])
def test_every_page_has_no_accessibility_violation(page, world, client, base_url, role, language):
    if role != VISITOR:
        log_in_after_demo(page, ACCOUNTS[role])
    failures = []
    pages = pages_for(role)
    for site_page in pages:
        open_page(page, site_page, language, world, client, base_url)
        assert page.locator("html").get_attribute("lang") == language, site_page.name
        failures += [f"{site_page.name} {page.url}: {v}" for v in axe_violations(page)]
    assert len(pages) >= (3 if role == SECRETARIAT else 40)
    assert failures == [], "\n".join(failures)


def test_the_log_in_and_two_factor_pages_have_no_accessibility_violation(page, world):
    """The step between the password and the signed-in page, in every language."""
    email = ACCOUNTS[COORDINATOR]
    for language in LANGUAGES:
        prefix = "" if language == "es" else f"/{language}"
        page.context.clear_cookies()
        page.goto(f"{prefix}/accounts/login/")
        assert_accessible(page)
        page.locator('input[name="login"]').fill(email)
        page.locator('input[name="password"]').fill(TEST_PASSWORD)
        with page.expect_navigation():
            page.locator('main form button[type="submit"]').click()
        assert "/accounts/2fa/authenticate/" in page.url
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
