"""Browser harness: a live server, Playwright driving Debian's Chromium, and axe-core.

Every test in this folder is marked `e2e`. The browser is the system's
(`/usr/bin/chromium`); Playwright never downloads one.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache

from tests.conftest import totp_code

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
def page(page):
    # Fail fast rather than wait 30 s on a selector that will never appear.
    page.set_default_timeout(10_000)
    return page


def assert_accessible(page):
    """Run axe-core on the page as it is now and fail on any violation."""
    results = _axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def log_in(page, email, password):
    """Log in through the portal's form; when the two-factor step follows (every test
    account has an authenticator app, see tests/conftest.py), enter the current code."""
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Iniciar sesión").click()
    if "/accounts/2fa/authenticate/" in page.url:
        cache.clear()  # a code is accepted once: forget that an earlier login used it
        page.locator('input[name="code"]').fill(totp_code())
        with page.expect_navigation():
            page.locator('main form button[type="submit"]').first.click()
