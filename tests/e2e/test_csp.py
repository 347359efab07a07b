"""The enforced Content-Security-Policy breaks nothing: the pages with scripts (maps, the
mapping page) run them with no violation reported by the browser."""

import pytest
from playwright.sync_api import expect

PAGES = ["/en/", "/en/cities/", "/en/cities/quilmes-ar/", "/en/mapping/", "/en/events/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_run_under_the_policy_without_violations(page, cities, path):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto(path)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    expect(page.locator("main")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
    assert violations == []


def test_the_city_map_is_drawn_by_its_static_script(page, cities):
    page.goto("/en/cities/")
    # Leaflet adds its container class only when the page's own script ran.
    expect(page.locator(".leaflet-container")).to_have_count(1)
