"""Valid HTML: the main pages, rendered through the test client with the demo data, pass the
Nu HTML Checker (vnu.jar, fetched by `make test` into var/vnu/) with zero errors. One JVM
checks every page at once: its start-up is the slow part."""

import io
import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from events.models import Event
from experiences.models import FundingCall, Practice
from mapping.models import Indicator, SocialProblem
from unit.models import Document, NewsItem

VNU_JAR = Path(settings.BASE_DIR) / "var" / "vnu" / "package" / "build" / "dist" / "vnu.jar"

# (file name, client, path) — the client is "visitor", "ana" or "sofia".
PUBLIC = [
    ("home", ""),
    ("cities", "cities/"),
    ("city", "cities/quilmes-ar/"),
    ("join", "cities/join/"),
    ("practices", "practices/"),
    ("practice", "practices/{practice}/"),
    ("mapping", "mapping/"),
    ("problem", "mapping/problems/{problem}/"),
    ("indicators", "mapping/indicators/"),
    ("indicator", "mapping/indicators/{indicator}/"),
    ("events", "events/"),
    ("event", "events/{event}/"),
    ("funding", "funding/"),
    ("funding-call", "funding/{funding}/"),
    ("unit", "unit/"),
    ("plan", "unit/plan/2012/"),
    ("library", "unit/library/"),
    ("document", "unit/library/{document}/"),
    ("news", "unit/news/"),
    ("news-item", "unit/news/{news}/"),
    ("new-members", "unit/new-members/"),
    ("search", "search/?q=ni%C3%B1ez"),
    ("login", "accounts/login/"),
    ("privacy", "privacy/"),
]
SIGNED_IN = [
    ("practice-form", "ana", "practices/new/"),
    ("dashboard-ana", "ana", "dashboard/"),
    ("dashboard-sofia", "sofia", "dashboard/"),
]
# Pages also checked in Spanish and Brazilian Portuguese.
ALL_LANGUAGES = {"home", "city", "practice", "event", "unit", "search", "dashboard-ana"}


@pytest.fixture
def demo_data(db, settings, tmp_path, ana, sofia, city_b):
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo stores its sample documents
    call_command("seed_demo", force=True, stdout=io.StringIO())
    return {
        "practice": Practice.objects.filter(status="published").order_by("pk").first().slug,
        "problem": SocialProblem.objects.order_by("pk").first().slug,
        "indicator": Indicator.objects.order_by("pk").first().slug,
        "event": Event.objects.order_by("pk").first().slug,
        "funding": FundingCall.objects.order_by("pk").first().slug,
        "document": Document.objects.order_by("pk").first().slug,
        "news": NewsItem.objects.order_by("pk").first().slug,
    }


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


def test_main_pages_pass_the_nu_html_checker(demo_data, client, ana_client, sofia_client, tmp_path):
    assert VNU_JAR.exists(), "run `make test` (or `make var/vnu`) to fetch vnu.jar"
    clients = {"visitor": client, "ana": ana_client, "sofia": sofia_client}
    pages = [(name, "visitor", path) for name, path in PUBLIC] + SIGNED_IN
    pages.append(("not-found", "visitor", "no-such-page/"))
    out = tmp_path / "html"
    out.mkdir()
    files = []
    for name, who, path in pages:
        for language in ("en", "es", "pt-br") if name in ALL_LANGUAGES else ("en",):
            prefix = "" if language == "es" else f"/{language}"
            url = f"{prefix}/{path.format(**demo_data)}"
            response = clients[who].get(url)
            expected = 404 if name == "not-found" else 200
            assert response.status_code == expected, url
            assert response["Content-Type"].startswith("text/html"), url
            file = out / f"{name}.{language}.html"
            file.write_bytes(response.content)
            files.append(file)
    assert len(files) >= 30
    errors = vnu_errors(files)
    assert errors == [], "\n".join(errors)
