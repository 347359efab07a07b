"""The admin's history pages raise no Content-Security-Policy violation: the page the
secretariat opens carries the policy, and nothing in it is inline where the policy allows
only files ('self'): no <script> without src, no <style>, no style="" or on…="" attribute."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cities.models import City
from events.models import Event
from experiences.models import Practice
from experiences.services import attachment_add
from tests.events.conftest import make_event
from tests.experiences.conftest import PDF_BYTES, draft_written_by

# <script type="…"> kinds that are data, never run, and so never checked by script-src.
DATA_SCRIPTS = {"application/json", "application/ld+json", "importmap"}


def policy(response) -> dict[str, set[str]]:
    """The directives of the response's Content-Security-Policy header."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def allowed(directives, directive: str) -> set[str]:
    return directives.get(directive) or directives.get("default-src", set())


class InlineCode(HTMLParser):
    """Everything inline in a page that script-src or style-src would have to allow."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []  # inline scripts and event-handler attributes
        self.styles: list[str] = []  # <style> elements and style attributes
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.scripts.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.styles.append(f"<{tag} style={value!r}>")
        if tag == "style":
            self.styles.append("<style> element")
        if tag == "script" and not attributes.get("src"):
            kind = (attributes.get("type") or "").lower()
            self._in_script = kind not in DATA_SCRIPTS

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.scripts.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def violations(response) -> list[str]:
    directives = policy(response)
    found = InlineCode()
    found.feed(response.content.decode())
    wrong = []
    if "'unsafe-inline'" not in allowed(directives, "script-src"):
        wrong += [f"script-src: {item}" for item in found.scripts]
    if "'unsafe-inline'" not in allowed(directives, "style-src"):
        wrong += [f"style-src: {item}" for item in found.styles]
    return wrong


@pytest.fixture
def records(ana, city_a, settings, tmp_path):
    """A practice edited twice (three history rows), its attachment, a city and an event."""
    settings.MEDIA_ROOT = tmp_path / "media"
    practice = draft_written_by(ana, city_a)
    for summary in ("Primera versión.", "Segunda versión."):
        practice.summary = summary
        practice._history_user = ana
        practice.save()
    attachment = attachment_add(
        practice=practice, user=ana, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    return {
        "practice": practice,
        "attachment": attachment,
        "city": city_a,
        "event": make_event(title="Encuentro", slug="encuentro"),
    }


def history_pages(records) -> list[str]:
    practice = records["practice"]
    old = practice.history.order_by("history_id").first()
    return [
        f"/en/admin/experiences/practice/{practice.pk}/history/",
        f"/en/admin/experiences/practice/{practice.pk}/history/{old.history_id}/",
        f"/en/admin/experiences/practiceattachment/{records['attachment'].pk}/history/",
        f"/en/admin/cities/city/{records['city'].pk}/history/",
        f"/en/admin/events/event/{records['event'].pk}/history/",
    ]


def test_the_history_pages_have_nothing_inline_the_policy_refuses(sofia_client, records):
    assert Practice.objects.count() == 1 and City.objects.exists() and Event.objects.exists()
    wrong = []
    for path in history_pages(records):
        response = sofia_client.get(path)
        assert response.status_code == 200, path
        assert "Content-Security-Policy" in response, path
        wrong += [f"{path}: {item}" for item in violations(response)]
    assert wrong == []


def test_the_check_sees_an_inline_style():
    """The parser itself: what it must find, and what it must let through."""
    found = InlineCode()
    found.feed(
        '<p style="border-top: 0">x</p><a onclick="go()">y</a><script>run()</script>'
        '<script src="/static/a.js"></script><script type="application/json">{}</script>'
    )
    assert found.styles == ["<p style='border-top: 0'>"]
    assert found.scripts == ["<a onclick='go()'>", "<script>run()"]
