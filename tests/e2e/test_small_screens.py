"""At 320 CSS pixels wide nothing scrolls sideways, controls stay at least 24 × 24 px and tables
scroll inside their own captioned, focusable region."""

import pytest

from tests.e2e.conftest import assert_accessible, log_in_after_demo
from tests.site_pages import demo_world

PAGES = [
    "/en/",
    "/en/cities/",
    "/en/cities/quilmes-ar/",
    "/en/practices/",
    "/en/mapping/",
    "/en/events/",
    "/en/funding/",
    "/en/unit/",
    "/en/unit/library/",
    "/en/accounts/login/",
]

# Links inside running text are exempt (WCAG 2.5.8 "inline"); these are controls.
SMALL_TARGETS = """
() => [...document.querySelectorAll('button, input:not([type=hidden]), select, nav a')]
  .filter(el => el.offsetParent !== null)
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.width < 24 || r.height < 24)
  .map(([el, r]) => `${el.tagName} ${el.textContent.trim().slice(0, 30)} ${r.width}x${r.height}`)
"""


@pytest.mark.parametrize("path", PAGES)
def test_nothing_scrolls_sideways_at_320_px(page, cities, path):
    page.set_viewport_size({"width": 320, "height": 640})
    response = page.goto(path)
    assert response.status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width} px wide at a 320 px viewport"


@pytest.mark.parametrize("path", PAGES)
def test_controls_are_at_least_24_px_on_a_phone(page, cities, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)
    assert page.evaluate(SMALL_TARGETS) == []


# Each table sits in its own scroll region: the page keeps its width, the region scrolls.
TABLE_REGIONS = """
() => [...document.querySelectorAll('table')].map(table => {
  const region = table.parentElement;
  return {
    caption: table.caption ? table.caption.textContent.trim().slice(0, 40) : null,
    region: region.classList.contains('table-scroll') && region.tabIndex === 0,
    fits: region.getBoundingClientRect().right <= document.documentElement.clientWidth,
    scrolls: region.scrollWidth > region.clientWidth,
  };
})
"""
TABLE_PAGES = [
    ("cities/", "anonymous"),
    ("cities/{city}/", "anonymous"),
    ("mapping/", "anonymous"),
    ("mapping/problems/{problem}/", "anonymous"),
    ("mapping/indicators/{indicator}/", "anonymous"),
    ("mapping/export/", "anonymous"),
    ("unit/plan/2012/", "anonymous"),
    ("mapping/cities/{city}/edit/", "coordinator"),
    ("dashboard/", "coordinator"),
]


@pytest.fixture
def world(transactional_db, settings, tmp_path, ana, sofia, city_b):
    settings.MEDIA_ROOT = tmp_path / "media"
    return demo_world(ana, sofia)


def test_tables_scroll_in_their_own_captioned_region_at_320_px(page, world):
    page.set_viewport_size({"width": 320, "height": 640})
    scrolling = 0
    signed_in = False
    for path, who in TABLE_PAGES:  # the visitors' pages first
        if who == "coordinator" and not signed_in:
            log_in_after_demo(page, "ana@quilmes.example")
            signed_in = True
        url = "/en/" + path.format(**world)
        assert page.goto(url).status == 200, url
        tables = page.evaluate(TABLE_REGIONS)
        assert tables, f"{url} has no table"
        for table in tables:
            assert table["caption"], f"{url}: a table without a caption"
            assert table["region"] and table["fits"], f"{url}: {table}"
            scrolling += table["scrolls"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
        assert_accessible(page)
    # at this width some tables are wider than the screen: their regions scroll, not the page
    assert scrolling > 0
