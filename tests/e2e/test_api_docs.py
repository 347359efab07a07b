"""The open API's documentation in the browser: the reference and the guide load under the
portal's enforced Content-Security-Policy with no violation, ask no other host for
anything, show every operation, and pass axe-core."""

import urllib.parse

import pytest
from playwright.sync_api import expect

from tests.api.conftest import LISTS
from tests.e2e.conftest import assert_accessible

CSP_WATCH = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def open_watched(page, base_url, path):
    """Open `path`, recording CSP messages in the console and requests to other hosts."""
    console, elsewhere = [], []
    here = urllib.parse.urlsplit(base_url).netloc
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if urllib.parse.urlsplit(request.url).netloc not in ("", here)
            and not request.url.startswith("data:")
            else None
        ),
    )
    page.add_init_script(CSP_WATCH)
    response = page.goto(path)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    return console, elsewhere


@pytest.mark.parametrize("prefix", ["", "/pt-br", "/en"])
def test_reference_shows_every_operation_without_csp_violation(page, base_url, db, prefix):
    console, elsewhere = open_watched(page, base_url, f"{prefix}/data/api/reference/")
    for name in LISTS:
        expect(page.locator(f"section#{name} .api-path")).to_have_text(f"GET /api/v1/{name}")
    expect(page.locator("section#practices table").first).to_contain_text("year_from")
    assert page.evaluate("window.__cspViolations") == []
    assert console == []
    assert elsewhere == []
    assert_accessible(page)


def test_guide_links_to_the_reference_without_csp_violation(page, base_url, db):
    console, elsewhere = open_watched(page, base_url, "/en/data/api/")
    expect(page.locator("main pre").first).to_contain_text("curl")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main .api-lists a", has_text="/api/v1/events").click()
    assert page.url.endswith("/en/data/api/reference/#events")
    expect(page.locator("section#events h2")).to_have_text("Events")
    assert page.evaluate("window.__cspViolations") == []
    assert console == []
    assert elsewhere == []


@pytest.mark.parametrize("path", ["/en/data/api/", "/en/data/api/reference/"])
def test_nothing_scrolls_sideways_at_320_px(page, db, path):
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.goto(path).status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width} px wide at a 320 px viewport"
