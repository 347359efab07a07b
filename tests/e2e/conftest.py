"""Browser harness: a live server, Playwright driving Debian's Chromium, and axe-core.

Every test in this folder is marked `e2e`. The browser is the system's
(`/usr/bin/chromium`); Playwright never downloads one.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache

from experiences.models import Theme
from tests.conftest import totp_code
from tests.factories import in_three

# Playwright's sync API runs an event loop in the test thread; the ORM calls that the
# fixtures make there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

_axe = Axe()
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (landmarks, headings).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture
def cities(city_a, city_b, city_c):
    """Quilmes, Porto Alegre and Montevideo: three countries for maps and lists."""
    return city_a, city_b


@pytest.fixture
def children_theme(db):
    """The theme a coordinator ticks when writing a practice in the browser."""
    return Theme.objects.create(
        slug="children-adolescents",
        **in_three(
            "name",
            "Derechos de niñas, niños y adolescentes",
            "Direitos de crianças e adolescentes",
            "Rights of children and adolescents",
        ),
    )


@pytest.fixture
def page(page):
    # Fail fast rather than wait 30 s on a selector that will never appear.
    page.set_default_timeout(10_000)
    return page


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now: `rule: target (summary)` each."""
    results = _axe.run(page, options=AXE_OPTIONS)
    return [
        f"{violation['id']}: {node['target']} ({node.get('failureSummary', '')[:200]})"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def assert_accessible(page):
    """Run axe-core on the page as it is now and fail on any violation."""
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def log_in(page, email, password, code=None):
    """Log in through the portal's form; when the two-factor step follows (every test
    account has an authenticator app, see tests/conftest.py), enter the current code
    (`code()` when given: the demo accounts have their own secrets)."""
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Iniciar sesión").click()
    if "/accounts/2fa/authenticate/" in page.url:
        cache.clear()  # a code is accepted once: forget that an earlier login used it
        page.locator('input[name="code"]').fill(code() if code else totp_code())
        with page.expect_navigation():
            page.locator('main form button[type="submit"]').first.click()


def log_in_after_demo(page, email):
    """Log in a test account after `seed_demo`, which gave it the demo's authenticator secret
    (its password stays the test one)."""
    from accounts.demo import DEMO_TOTP_SECRETS, current_code
    from tests.conftest import TEST_PASSWORD

    log_in(page, email, TEST_PASSWORD, code=lambda: current_code(DEMO_TOTP_SECRETS[email]))
    assert "/accounts/" not in page.url, f"{email} is not signed in: {page.url}"
