"""At 320 CSS pixels wide nothing scrolls sideways and controls stay at least 24 × 24 px."""

import pytest

from tests.factories import CityFactory

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


@pytest.fixture
def cities(city_a, city_b):
    CityFactory(name="Montevideo", slug="montevideo-uy", country="UY")
    return city_a, city_b


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
