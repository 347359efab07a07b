"""The portal with the keyboard alone: the skip link, the tab order, visible focus, the maps'
list alternatives, and every main flow done by pressing keys (Playwright never clicks here).

page.goto() opens the first page of each flow (and of each actor in it); from there on only
Tab, Shift+Tab, Enter, Space, the arrow keys and typed text move the browser.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from events.models import Registration
from experiences.models import Practice
from mapping.models import IndicatorValue, SocialProblem
from tests.conftest import totp_code
from tests.e2e.conftest import assert_accessible
from tests.events.conftest import make_workshop
from tests.experiences.conftest import make_practice, themes  # noqa: F401 - shared fixtures
from tests.mapping.factories import CityProblemFactory, IndicatorFactory, SocialProblemFactory

# --- helpers ----------------------------------------------------------------------------------

# A short name of an element for the failure messages: tag#id.classes "text".
DESCRIBE_JS = """const describe = (el) => {
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 40);
  const classes = typeof el.className === 'string' && el.className.trim()
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
  return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes} "${text}"`;
};"""

# The elements the Tab key should reach, in DOM order (the portal uses no positive
# tabindex, so DOM order is tab order). Kept in window.__tabbables for the walk that follows,
# each with its unfocused outline and box-shadow, to tell a focus indicator from the usual look.
TABBABLES_JS = (
    "() => {"
    + DESCRIBE_JS
    + """
  const selector = 'a[href], area[href], button, input, select, textarea, iframe, summary, '
    + '[tabindex], [contenteditable]:not([contenteditable="false"])';
  const shown = (el) => el.getClientRects().length > 0 && !el.closest('[inert]')
    && getComputedStyle(el).visibility !== 'hidden';
  const checkedRadio = (el) => el.form
    ? [...el.form.elements].find((o) => o.type === 'radio' && o.name === el.name && o.checked)
    : document.querySelector(`input[type=radio][name="${el.name}"]:checked`);
  const firstRadio = (el) => el.form
    ? [...el.form.elements].find((o) => o.type === 'radio' && o.name === el.name)
    : document.querySelector(`input[type=radio][name="${el.name}"]`);
  const list = [...document.querySelectorAll(selector)].filter((el) => {
    if (el.tabIndex < 0 || el.disabled || el.type === 'hidden' || !shown(el)) return false;
    if (el.tagName === 'SUMMARY') return el.parentElement.querySelector('summary') === el;
    if (el.type === 'radio' && el.name) return el === (checkedRadio(el) || firstRadio(el));
    return true;
  });
  window.__tabbables = list;
  const look = (el) => {
    const style = getComputedStyle(el);
    return [style.outlineStyle, style.outlineWidth, style.boxShadow].join(' | ');
  };
  return {
    positive: [...document.querySelectorAll('[tabindex]')].filter((el) => el.tabIndex > 0)
      .map(describe),
    elements: list.map((el) => ({ name: describe(el), look: look(el) })),
  };
}"""
)

# What has the focus now: its index among window.__tabbables (-1 if it was not expected),
# whether it shows a focus indicator (an outline of some width, or a box-shadow), and whether
# it matches the CSS selector given, if any.
FOCUSED_JS = (
    "(selector) => {"
    + DESCRIBE_JS
    + """
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    window.__last = null;
    return null;
  }
  const style = getComputedStyle(el);
  const same = el === window.__last;
  window.__last = el;
  window.__repeats = same ? (window.__repeats || 0) + 1 : 0;
  return {
    // Tab moves through the parts of a date (month, day, year, the calendar button)
    // while the input keeps the focus; anywhere else, staying put is a trap.
    trapped: same && !(/^(date|time|datetime-local|month|week)$/.test(el.type)
      && window.__repeats <= 4),
    index: (window.__tabbables || []).indexOf(el),
    name: describe(el),
    look: [style.outlineStyle, style.outlineWidth, style.boxShadow].join(' | '),
    indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== 'none',
    inMain: !!el.closest('main'),
    inMap: !!el.closest('.leaflet-container'),
    href: el.getAttribute('href'),
    matches: selector ? el.matches(selector) : false,
  };
}"""
)


def tabbables(page) -> list[dict]:
    found = page.evaluate(TABBABLES_JS)
    assert found["positive"] == [], f"positive tabindex breaks the tab order: {found['positive']}"
    return found["elements"]


def focused(page, selector: str = ""):
    return page.evaluate(FOCUSED_JS, selector)


def walk(page, key: str, steps: int) -> list[dict]:
    """Press `key` up to `steps` times; stop when the focus leaves the page. A key press that
    leaves the focus where it was is a trap and fails at once."""
    seen = []
    for _ in range(steps):
        page.keyboard.press(key)
        now = focused(page)
        if now is None:
            break
        assert not now["trapped"], f"{key} left the focus on {now['name']}: a keyboard trap"
        seen.append(now)
    return seen


def assert_full_tab_cycle(page) -> list[dict]:
    """Tab from the top of the page to its end reaches every visible focusable element once,
    in DOM order, each with a focus indicator it does not have unfocused; Shift+Tab walks the
    same way back. Returns the focused elements in tab order."""
    expected = tabbables(page)
    names = [element["name"] for element in expected]
    # After the last element the focus leaves the page (a walk longer than the list fails).
    forward = walk(page, "Tab", len(expected) + 1)
    assert [step["name"] for step in forward] == names
    assert [step["index"] for step in forward] == list(range(len(expected)))
    for step, element in zip(forward, expected, strict=True):
        assert step["indicator"], f"{step['name']} has no visible focus indicator"
        assert step["look"] != element["look"], f"{step['name']} looks the same with focus"
    # From outside the page, Shift+Tab comes back to the last element and walks up to the top.
    backward = walk(page, "Shift+Tab", len(expected))
    assert [step["name"] for step in backward] == names[::-1]
    assert [step["index"] for step in backward] == list(range(len(expected)))[::-1]
    return forward


def tab_to(page, selector: str, limit: int = 200) -> dict:
    """Press Tab until the focused element matches `selector` and return it. Every element
    passed on the way must show a focus indicator and let the focus move on."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page, selector)
        if now is None:  # past the last element: the next Tab starts again at the top
            continue
        assert not now["trapped"], f"Tab stays on {now['name']}: a keyboard trap"
        assert now["indicator"], f"{now['name']} has no visible focus indicator"
        if now["matches"]:
            return now
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, selector: str, text: str):
    tab_to(page, selector)
    page.keyboard.type(text)


def press_and_wait(page, key: str = "Enter"):
    """Press a key that submits a form or follows a link, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def keyboard_log_in(page, email: str, password: str, next_url: str = "/en/dashboard/"):
    """The login form and its two-factor step, with the keyboard."""
    page.goto(f"/en/accounts/login/?next={next_url}")
    tab_to(page, "#id_login")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    press_and_wait(page)
    expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    cache.clear()  # a code is accepted once: forget that an earlier login used it
    tab_to(page, "input[name=code]")
    page.keyboard.type(totp_code())
    press_and_wait(page)


@pytest.fixture
def browser_context_args(browser_context_args):
    # Date inputs take their digits in the order of the browser's locale.
    return {**browser_context_args, "locale": "en-US"}


# --- data -------------------------------------------------------------------------------------


@pytest.fixture
def portal(make_practice, themes, city_a, city_b, ana):  # noqa: F811
    make_practice(title="Mesas barriales de niñez", themes=[themes["children-adolescents"]])
    make_practice(title="Acogida de migrantes", themes=[themes["migration"]])
    make_practice(
        title="Conselho de crianças",
        city=city_b,
        language="pt-br",
        themes=[themes["children-adolescents"]],
    )
    make_workshop(city_a)
    poverty = SocialProblemFactory(slug="urban-poverty", name_en="Urban poverty")
    housing = SocialProblemFactory(
        slug="inadequate-housing",
        name_en="Inadequate housing",
        category=SocialProblem.Category.HOUSING,
    )
    CityProblemFactory(city=city_a, problem=poverty, year=2024, priority=1)
    CityProblemFactory(city=city_b, problem=housing, year=2024, priority=1)
    IndicatorFactory(slug="sdg-8-5-2", code="8.5.2", name_en="Unemployment rate")


# --- 1. the skip link -------------------------------------------------------------------------

PUBLIC_PAGES = [
    "/en/",
    "/en/cities/",
    "/en/practices/",
    "/en/practices/{practice}/",
    "/en/events/",
    "/en/events/training-new-members/",
    "/en/mapping/",
    "/en/search/?q=ninez",
    "/en/accounts/login/",
    "/",
    "/pt-br/",
]
SKIP_LINK_TEXT = {
    "en": "Skip to main content",
    "es": "Saltar al contenido principal",
    "pt-br": "Pular para o conteúdo principal",
}


def assert_skip_link_first(page):
    page.keyboard.press("Tab")
    skip = page.evaluate(
        """() => { const el = document.activeElement;
          return { skip: el.matches('a.skip-link'), text: el.textContent.trim(),
                   href: el.getAttribute('href'), main: document.querySelector('main').id,
                   lang: document.documentElement.lang,
                   top: el.getBoundingClientRect().top }; }"""
    )
    assert skip["skip"], f"the first Tab of {page.url} did not reach the skip link"
    assert skip["text"] == SKIP_LINK_TEXT[skip["lang"]]
    assert skip["href"] == f"#{skip['main']}", "the skip link does not lead to <main>"
    assert skip["top"] >= 0, "the focused skip link stays off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => !!document.activeElement.closest('main')"), (
        f"Enter on the skip link of {page.url} left the focus outside <main>"
    )
    page.keyboard.press("Tab")
    now = focused(page)
    assert now is not None and now["inMain"], f"the Tab after the skip link left <main>: {now}"


def test_skip_link_comes_first_and_moves_focus_into_main(page, portal, ana, password):
    practice = Practice.objects.get(title="Mesas barriales de niñez")
    for path in PUBLIC_PAGES:
        page.goto(path.format(practice=practice.slug))
        assert_skip_link_first(page)
    keyboard_log_in(page, ana.email, password, next_url="/en/dashboard/")
    expect(page).to_have_url(re.compile("/en/dashboard/$"))
    assert_skip_link_first(page)


# --- 2 and 3. tab order, focus indicator, the maps and their lists ---------------------------

# Each map: its page, the script's data (what it draws), the markers drawn, and the links of
# the list that holds the same places ("list_page" when that list is on another page).
MAPS = {
    "home": {
        "path": "/en/",
        "map": "#city-map",
        "data": "JSON.parse(document.getElementById('city-map-data').textContent).markers",
        "marker": ".city-marker",
        "list_page": "/en/cities/",
        "list": ".city-table th[scope=row] a",
    },
    "cities": {
        "path": "/en/cities/",
        "map": "#city-map",
        "data": "JSON.parse(document.getElementById('city-map-data').textContent).markers",
        "marker": ".city-marker",
        "list": ".city-table th[scope=row] a",
    },
    "event": {
        "path": "/en/events/training-new-members/",
        "map": "#city-map",
        "data": "JSON.parse(document.getElementById('city-map-data').textContent).markers",
        "marker": ".city-marker",
        "list": ".event-facts a[href*='/cities/']",
    },
    "mapping": {
        "path": "/en/mapping/",
        "map": "#mapping-map",
        "data": "JSON.parse(document.getElementById('mapping-map-data').textContent)",
        "marker": ".map-pin",
        "list": "th.matrix-city a",
    },
}


def list_hrefs(page, selector: str) -> list[str]:
    script = "(links) => links.map((link) => link.getAttribute('href'))"
    return page.locator(selector).evaluate_all(script)


@pytest.mark.parametrize("name", list(MAPS))
def test_map_page_is_walked_by_tab_without_a_trap_and_lists_the_same_places(page, portal, name):
    spec = MAPS[name]
    page.goto(spec["path"])
    urls = page.evaluate(f"() => {spec['data']}.map((marker) => marker.url)")
    assert len(urls) >= 1
    expect(page.locator(f"{spec['map']} {spec['marker']}")).to_have_count(len(urls))

    # Every control, the map included, in order, with a visible focus, and out of the map.
    reached = assert_full_tab_cycle(page)
    map_steps = [index for index, step in enumerate(reached) if step["inMap"]]
    assert map_steps, "the map is not reachable with Tab"
    assert map_steps[-1] < len(reached) - 1, "Tab does not leave the map"

    # The map region names the list that holds the same places.
    region = page.locator(spec["map"])
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("aria-label", re.compile(r"\S"))
    described_by = region.get_attribute("aria-describedby")
    assert described_by, "the map does not point to its list"
    for element_id in described_by.split():
        expect(page.locator(f"#{element_id}")).to_be_visible()
        expect(page.locator(f"#{element_id}")).to_have_text(re.compile(r"\S"))
    if "list_page" in spec:
        # The list is one link away: follow it with the keyboard (the "cities" case walks
        # that page both ways).
        tab_to(page, f"#{described_by} a[href='{spec['list_page']}']")
        press_and_wait(page)
        reached = walk(page, "Tab", 300)
    listed = list_hrefs(page, spec["list"])
    assert sorted(listed) == sorted(urls), "the list and the map show different places"
    tabbed = {step["href"] for step in reached if not step["inMap"]}
    assert set(listed) <= tabbed, "a place of the list is not reachable with Tab"
    assert_accessible(page)


def test_a_mapping_marker_opens_its_popup_with_enter_and_tab_goes_on(page, portal):
    page.goto("/en/mapping/")
    expect(page.locator("#mapping-map .map-pin")).to_have_count(2)
    tab_to(page, "#mapping-map .map-pin")
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("priority 1")
    # Tab goes on to the next marker, then the popup's links and its close button.
    links = list_hrefs(page, ".leaflet-popup-content a")
    assert links[0] == "/en/cities/quilmes-ar/"
    steps = walk(page, "Tab", len(links) + 2)
    assert [step["href"] for step in steps] == [None, *links, "#close"]
    assert "map-pin" in steps[0]["name"]
    page.keyboard.press("Enter")
    expect(popup).to_have_count(0)
    # Closing the popup gives the focus back to its marker, not to the top of the page.
    expect(page.locator("#mapping-map .map-pin").first).to_be_focused()
    tab_to(page, "main .table-scroll")
    assert_accessible(page)


# --- 4. the flows, with the keyboard alone ----------------------------------------------------


def test_visitor_filters_the_practices_with_the_keyboard(page, portal):
    page.goto("/en/practices/")
    expect(page.get_by_role("heading", level=2, name="3 practices")).to_be_visible()
    tab_to(page, "input[name=theme][value=children-adolescents]")
    page.keyboard.press("Space")
    tab_to(page, "select#id_country")
    page.keyboard.press("ArrowDown")  # from "All countries" to the first country, Argentina
    expect(page.locator("#id_country")).to_have_value("AR")
    tab_to(page, ".filter-form button[type=submit]")
    press_and_wait(page)
    expect(page).to_have_url(re.compile(r"theme=children-adolescents.*country=AR"))
    results = page.locator(".practice-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("1 practice")
    expect(results.get_by_role("link", name="Mesas barriales de niñez")).to_be_visible()
    expect(results.get_by_role("link", name="Acogida de migrantes")).to_have_count(0)
    expect(page.locator("input[name=theme][value=children-adolescents]")).to_be_checked()
    assert_accessible(page)


def test_coordinator_logs_in_with_the_keyboard(page, ana, password):
    keyboard_log_in(page, ana.email, password, next_url="/en/dashboard/")
    expect(page).to_have_url(re.compile("/en/dashboard/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="Ana Pereyra")).to_be_visible()
    assert_accessible(page)


def test_practice_is_written_submitted_and_published_with_the_keyboard(
    page, portal, ana, sofia, password
):
    keyboard_log_in(page, ana.email, password, next_url="/en/practices/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a practice")
    type_into(page, "#id_title", "Huertas comunitarias")
    type_into(page, "#id_summary", "Huertas en los barrios.")
    type_into(page, "#id_problem", "Poca verdura fresca.")
    type_into(page, "#id_objectives", "Producir alimentos.")
    type_into(page, "#id_actions", "Talleres semanales.")
    type_into(page, "#id_results", "Doce huertas.")
    type_into(page, "#id_start_date", "03012012")  # month, day, year in the en-US locale
    expect(page.locator("#id_start_date")).to_have_value("2012-03-01")
    tab_to(page, "input[name=themes]")
    page.keyboard.press("Space")
    tab_to(page, "button[name=action][value=submit]")
    press_and_wait(page)
    expect(page.get_by_role("note")).to_contain_text("waiting for the secretariat's review")
    practice = Practice.objects.get(title="Huertas comunitarias")
    assert practice.status == Practice.Status.IN_REVIEW
    assert practice.city.slug == "quilmes-ar"  # the coordinator's one city, chosen for her
    assert list(practice.themes.values_list("slug", flat=True)) == ["children-adolescents"]
    assert practice.start_date == datetime.date(2012, 3, 1)

    tab_to(page, "form[action*='logout'] button")
    press_and_wait(page)
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    keyboard_log_in(page, sofia.email, password, next_url=f"/en/practices/{practice.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Huertas comunitarias")
    tab_to(page, "form[action$='/publish/'] button")
    press_and_wait(page)
    expect(page.get_by_role("status")).to_contain_text("The practice is published.")
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED
    assert_accessible(page)


def test_coordinator_imports_a_csv_with_the_keyboard(page, portal, ana, password, tmp_path):
    values = tmp_path / "values.csv"
    values.write_text(
        "city_slug,indicator_code,year,value,source\n"
        "quilmes-ar,sdg-8-5-2,2022,7.5,EPH\nquilmes-ar,sdg-8-5-2,2023,6.8,EPH\n",
        encoding="utf-8",
    )
    keyboard_log_in(page, ana.email, password, next_url="/en/mapping/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import indicator values")
    tab_to(page, "input[type=file]#id_file")
    # Space on the focused file input opens the system's file chooser, as it does for a
    # person; that dialog belongs to the operating system and cannot be driven with keys in
    # a headless browser, so Playwright hands it the file.
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(values)
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    assert not IndicatorValue.objects.exists()  # nothing is saved before the confirmation
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)
    expect(page.get_by_role("status")).to_contain_text("Imported 2 values: 2 new")
    saved = IndicatorValue.objects.filter(city__slug="quilmes-ar", indicator__slug="sdg-8-5-2")
    assert sorted(saved.values_list("year", "value")) == [
        (2022, Decimal("7.5")),
        (2023, Decimal("6.8")),
    ]
    assert_accessible(page)


def test_coordinator_registers_the_city_for_an_event_with_the_keyboard(page, portal, ana, password):
    keyboard_log_in(page, ana.email, password, next_url="/en/events/training-new-members/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training for new member cities")
    type_into(page, "#id_delegates-0-name", "Ana Pereyra")
    type_into(page, "#id_delegates-0-position", "Secretary of Social Development")
    type_into(page, "#id_delegates-0-email", "ana.pereyra@quilmes.example")
    tab_to(page, "#id_delegates-0-consent")
    page.keyboard.press("Space")
    tab_to(page, "#register-form button[type=submit]")
    press_and_wait(page)
    expect(page.get_by_text("Quilmes is registered.")).to_be_visible()
    registration = Registration.objects.get(event__slug="training-new-members")
    assert registration.city.slug == "quilmes-ar"
    assert registration.attendees == 1
    assert_accessible(page)


def test_visitor_switches_the_language_with_the_keyboard(page, portal):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    tab_to(page, ".lang-switch a[hreflang=en]")
    press_and_wait(page)
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".lang-switch a[hreflang=en]")).to_have_attribute("aria-current", "true")
    tab_to(page, ".lang-switch a[hreflang=pt-br]")
    press_and_wait(page)
    expect(page).to_have_url(re.compile(r"/pt-br/$"))
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.get_by_role("link", name="Pular para o conteúdo principal")).to_have_count(1)
    assert_accessible(page)
