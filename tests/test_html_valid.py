"""Valid HTML: the main pages, rendered through the test client with the demo data, pass the
Nu HTML Checker (vnu.jar, fetched by `make test` into var/vnu/) with zero errors: every page
of tests/site_pages.py. One JVM checks every page at once: its start-up is the slow part."""

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests import site_pages

VNU_JAR = Path(settings.BASE_DIR) / "var" / "vnu" / "package" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def world(db, settings, tmp_path, ana, sofia, city_b):
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo stores its sample documents
    return site_pages.demo_world(ana, sofia)


def vnu_errors(files: list[Path]) -> list[str]:
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('message')}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


class TableCheck(HTMLParser):
    """Every <table> readable on a small screen: inside a horizontal scroll region that a
    keyboard can focus (tabindex=0) and that is labelled by the table's own <caption>."""

    def __init__(self):
        super().__init__()
        self.stack: list[dict] = []
        self.tables: list[tuple[dict, str]] = []  # (parent's attributes, label id)
        self.caption_ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            parent = self.stack[-1] if self.stack else {}
            self.tables.append((parent, parent.get("aria-labelledby", "")))
        if tag == "caption":
            self.caption_ids.append(attributes.get("id", ""))
        if tag not in VOID:
            self.stack.append(attributes)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def problems(self) -> list[str]:
        found = []
        if len(self.caption_ids) != len(self.tables):
            found.append(f"{len(self.tables)} tables but {len(self.caption_ids)} captions")
        for (parent, label), caption in zip(self.tables, self.caption_ids, strict=False):
            region = (parent.get("class"), parent.get("role"), parent.get("tabindex"))
            if region != ("table-scroll", "region", "0") or not label or label != caption:
                found.append(f"table captioned #{caption or '?'} in {parent}")
        return found


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


def table_problems(html: str) -> list[str]:
    check = TableCheck()
    check.feed(html)
    return check.problems()


def fetch(page, language, client, world):
    if page.special:
        return site_pages.special_page(page, language, client, world)
    url = page.url(language, world)
    return client.post(url, {}) if page.submit else client.get(url)


def test_every_page_passes_the_nu_html_checker(world, client, ana_client, sofia_client, tmp_path):
    """Every page in the three languages, for the role that sees it; the public pages also
    as a coordinator (another header), in Spanish."""
    assert VNU_JAR.exists(), "run `make test` (or `make var/vnu`) to fetch vnu.jar"
    runs = [
        (site_pages.VISITOR, client, site_pages.LANGUAGES),
        (site_pages.SECRETARIAT, sofia_client, site_pages.LANGUAGES),
    ]
    runs.append((site_pages.COORDINATOR, ana_client, site_pages.LANGUAGES))
    out = tmp_path / "html"
    out.mkdir()
    files = []
    tables = []
    for role, who, languages in runs:
        for page in site_pages.pages_for(role):
            # a public page as a coordinator differs only in its header
            public_again = role == site_pages.COORDINATOR and page.who == site_pages.VISITOR
            for language in ("es",) if public_again else languages:
                response = fetch(page, language, who, world)
                label = f"{role} {page.name} {language}"
                assert response.status_code == page.status, label
                assert response["Content-Type"].startswith("text/html"), label
                tables += table_problems(response.content.decode())
                file = out / f"{role}.{page.name}.{language}.html"
                file.write_bytes(response.content)
                files.append(file)
    assert len(files) >= 200
    assert tables == [], "\n".join(tables)
    errors = vnu_errors(files)
    assert errors == [], "\n".join(errors)


def test_the_table_check_tells_a_readable_table_from_a_bare_one():
    readable = (
        '<div class="table-scroll" role="region" aria-labelledby="t-caption" tabindex="0">'
        '<table><caption id="t-caption">Cities</caption><tr><td>1</td></tr></table></div>'
    )
    assert table_problems(readable) == []
    assert table_problems("<div><table><caption>Cities</caption></table></div>") != []
    assert table_problems('<div class="table-scroll"><table></table></div>') != []
    assert len(table_problems(readable + "<p><table><caption id='x'>X</caption></table></p>")) == 1
