"""No broken internal links: LinkChecker (from PyPI) crawls the whole site with the demo data,
from the home page in Spanish, Brazilian Portuguese and English, as a visitor and then signed
in as a city coordinator, and finds no link, image, stylesheet, script or download that fails.

Only the live test server on the loopback address is fetched: every other address (other
sites, mailto:, tel:) is checked for its syntax only, since nothing may touch the network.
"""

import io
import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

LINKCHECKER = Path(settings.BASE_DIR) / ".venv" / "bin" / "linkchecker"
LANGUAGE_PREFIXES = ("", "/pt-br", "/en")
# Where the crawls start, in each language. Every page links to the login page with its own
# `next` (not crawled, see SYNTAX_ONLY), so the plain login page is a starting point too.
VISITOR_ROOTS = ("/", "/accounts/login/")
MEMBER_ROOTS = ("/dashboard/", "/accounts/profile/")  # ana: the demo's coordinator of Quilmes

# Checked for their syntax only (not fetched); each with its reason.
SYNTAX_ONLY = [
    # The login form is the same whatever page it returns to; the header's "Log in" link of
    # every page carries that page in `next`: 1,500 more fetches of one form, which would
    # double the crawl. The plain login page is crawled.
    r"/accounts/login/\?next=",
]
# Checked (the link must answer) but not crawled further; each with its reason.
NOT_FOLLOWED = [
    # The Django admin is the secretariat's back office behind its own login; its pages'
    # links are Django's to keep.
    r"/admin/",
]
# Signed in, the pages a visitor cannot see, or sees without the members' parts (the
# coordinator's city with its contacts and edit links, events with their registration
# form), are crawled; every link on them is checked. The rest was crawled as a visitor
# (crawling all of it again signed in takes twice as long and found nothing more).
MEMBER_PAGES = r"/(dashboard|accounts|practices/new|mapping/import|cities/quilmes-ar|events/[^/]+)/"
MEMBER_PAGES += r"|/edit/"


def with_linkchecker_header(app):
    """LinkChecker waits 0.1 to 0.6 s between two requests to a host unless the host's
    answers carry a `LinkChecker` header, its owner's consent to a higher rate."""

    def wrapped(environ, start_response):
        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, ("LinkChecker", "allowed")], exc_info)

        return app(environ, start)

    return wrapped


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path, ana, sofia, city_b):
    """The demo data, for the live server to serve."""
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo stores its sample documents
    # The loopback address rather than "localhost": cookies are not sent to a host name
    # without a dot, and the signed-in crawl needs its session cookie.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    call_command("seed_demo", force=True, stdout=io.StringIO())


@pytest.fixture
def origin(demo_site, live_server):
    server = live_server.thread.httpd  # one server for the whole session: put it back after
    app = server.get_app()
    server.set_app(with_linkchecker_header(app))
    yield f"http://127.0.0.1:{urlsplit(live_server.url).port}"
    server.set_app(app)


@pytest.fixture
def crawl_dir():
    """LinkChecker, run as root, drops its privileges to `nobody`: its configuration and
    cookie files must be readable by anyone (pytest's tmp_path is not)."""
    path = Path(tempfile.mkdtemp(prefix="utds-links-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def world_readable(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)
    return path


def crawl(origin: str, roots, crawl_dir: Path, *, cookie=None, follow_only=None) -> list[dict]:
    """Run LinkChecker from `roots` in the three languages; one dict per URL it checked."""
    config = world_readable(
        crawl_dir / "linkcheckerrc",
        # The default, 10 requests a second per host, is meant for other people's servers.
        "[checking]\nmaxrequestspersecond=1000\n"
        # Without this, only the addresses under the start pages' folders count as internal.
        f"[filtering]\ninternlinks=^{re.escape(origin)}/\n"
        "[output]\nverbose=1\n",
    )
    here = re.escape(origin) + "(/pt-br|/en)?"
    command = [
        str(LINKCHECKER),
        f"--config={config}",
        "--no-status",
        "--threads=4",  # a few: the server (one Python process) and LinkChecker share 2 cores
        # robots.txt keeps search engines off the account pages and the dashboard; their
        # links must work all the same.
        "--no-robots",
        "--output=xml/utf-8",
        f"--ignore-url=^(?!{re.escape(origin)}/)",
        *(f"--ignore-url=^{here}{path}" for path in SYNTAX_ONLY),
        *(f"--no-follow-url=^{here}{path}" for path in NOT_FOLLOWED),
    ]
    if follow_only:
        command.append(f"--no-follow-url=^(?!{here}(/[^?#]*)?({follow_only}))")
    if cookie:
        command.append(f"--cookiefile={cookie}")
    command += [origin + language + root for root in roots for language in LANGUAGE_PREFIXES]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    assert "</linkchecker>" in result.stdout, result.stderr[-3000:]
    rows = []
    # LinkChecker's own report on our own test server.
    for item in ET.fromstring(result.stdout).iter("urldata"):  # noqa: S314
        valid = item.find("valid")
        parent = item.findtext("parent") or ""
        infos = [info.text or "" for info in item.iter("info")]
        rows.append(
            {
                "url": urljoin(parent, item.findtext("url")),
                "final_url": item.findtext("realurl"),
                "parent": parent or "(start)",
                "valid": valid.text == "1",
                "result": valid.get("result", ""),
                "fetched": not any("outside of the domain filter" in info for info in infos),
            }
        )
    return rows


def assert_none_broken(rows: list[dict]) -> None:
    broken = [f"{r['url']} ({r['result']}) on {r['parent']}" for r in rows if not r["valid"]]
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken)


def report(who: str, rows: list[dict], seconds: float) -> int:
    fetched = sum(row["fetched"] for row in rows)
    print(f"\n{who}: {fetched} URLs fetched, {len(rows) - fetched} syntax-only, {seconds:.0f} s")
    return fetched


def test_a_visitor_finds_no_broken_link_in_any_language(origin, crawl_dir):
    started = time.monotonic()
    rows = crawl(origin, VISITOR_ROOTS, crawl_dir)
    fetched = report("visitor", rows, time.monotonic() - started)
    assert_none_broken(rows)
    # The crawl reached the whole site in the three languages, not just the start pages.
    urls = {row["url"] for row in rows if row["fetched"]}
    for prefix in LANGUAGE_PREFIXES:
        for path in ("/cities/quilmes-ar/", "/practices/", "/mapping/indicators/", "/events/"):
            assert f"{origin}{prefix}{path}" in urls
    assert fetched > 600


def test_a_coordinator_finds_no_broken_link_on_the_members_pages(origin, crawl_dir, ana):
    client = Client()
    client.force_login(ana)  # the demo's coordinator of Quilmes, with two-factor set up
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = world_readable(
        crawl_dir / "cookies",
        f"Host: 127.0.0.1\nPath: /\nSet-cookie: {settings.SESSION_COOKIE_NAME}={session}\n",
    )
    started = time.monotonic()
    rows = crawl(origin, MEMBER_ROOTS, crawl_dir, cookie=cookie, follow_only=MEMBER_PAGES)
    report("coordinator", rows, time.monotonic() - started)
    assert_none_broken(rows)
    # Signed in for real: the members' pages answered themselves, not with the login page.
    urls = {row["url"] for row in rows if row["fetched"]}
    for prefix in LANGUAGE_PREFIXES:
        assert f"{origin}{prefix}/cities/quilmes-ar/edit/" in urls
        assert f"{origin}{prefix}/practices/new/" in urls
    dashboards = [row for row in rows if row["url"].endswith("/dashboard/")]
    assert len(dashboards) == 3
    assert all(row["final_url"] == row["url"] for row in dashboards)  # not sent to log in
