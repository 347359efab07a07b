"""Hostile input: XSS payloads in every text field people type (practices, cities, focal
points, events, membership applications, news, review notes, CSV imports) never come out
as live script in a rendered page; and the sanitiser is idempotent.

"No live script" is checked on the parsed HTML (html.parser), not on substrings: no
<script> except the portal's own (src under /static/, or the admin's jsi18n view) or
inert JSON data blocks, no on* attribute, no javascript:/vbscript:/data: URL in href, src, action,
formaction, xlink:href or poster, no <iframe>/<object>/<embed>/<base>/<meta http-equiv>.

"Idempotent" for the sanitiser (nh3.clean with the portal's allow-list, core.text.
sanitize_html) means clean(clean(x)) == clean(x): what it lets through is a fixed point.
For render_markdown it means its output is such a fixed point:
sanitize_html(render_markdown(x)) == render_markdown(x) — cleaning what we serve changes
nothing, so there is nothing left for a second pass to remove.
"""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cities.models import MembershipApplication
from core.text import plain_text, render_markdown, sanitize_html
from experiences.models import Practice
from tests.events.conftest import make_event
from tests.experiences.conftest import save_practice
from tests.factories import FocalPointFactory
from tests.mapping.factories import IndicatorFactory
from unit.models import LineOfWork, NewsItem, ReviewNote, WorkPlan

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    '<a href="jav&#x09;ascript:alert(1)">entity tab</a>',
    "[markdown link](javascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<<script>script>alert(1)<</script>/script>",
    '<div <img src=x onerror=alert(1)//">',
    "<p onclick=alert(1)>unclosed <b>tags <i>everywhere",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button>',
    "<!--<script>alert(1)</script>-->",
    "javascript:alert(1)",
]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
# The portal's own scripts: static files, and the admin's JavaScript catalogue view.
OWN_SCRIPT = re.compile(r"^/(static/|([a-z-]+/)?admin/jsi18n/$)")


class LiveMarkup(HTMLParser):
    """Collects every piece of markup in a page that could run script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False  # inside a <script> that would run (not a JSON data block)

    def handle_starttag(self, tag, attrs):
        self.check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.check(tag, attrs)
        if tag == "script":
            self.in_script = False

    def check(self, tag, attrs):
        values = dict(attrs)
        if tag == "script":
            src = values.get("src") or ""
            inert = values.get("type") in ("application/json", "application/ld+json")
            self.in_script = not inert
            if not (OWN_SCRIPT.match(src) or inert):
                self.problems.append(f"<script {attrs}>")
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(INVISIBLE.sub("", value or "")):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(f"inline script: {data[:60]!r}")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.problems


def assert_no_live_script(response):
    assert response.status_code == 200, response.status_code
    problems = live_markup(response.content.decode())
    assert problems == [], problems


def fit(model, field: str, value: str) -> str:
    limit = model._meta.get_field(field).max_length
    return value[:limit] if limit else value


def payload_ids():
    return [f"p{n:02d}" for n in range(len(PAYLOADS))]


# --- the checker itself ------------------------------------------------------------------


def test_the_checker_finds_live_script():
    """The checker would fail a page that let any of these through."""
    for html in (
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<img src="x" onerror="alert(1)">',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        '<svg onload="alert(1)"></svg>',
        '<iframe src="https://example.org/"></iframe>',
    ):
        assert live_markup(html), html
    assert live_markup('<script src="/static/js/city-map.js"></script>') == []
    assert live_markup("&lt;script&gt;alert(1)&lt;/script&gt;") == []


# --- the sanitiser on the corpus ---------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=payload_ids())
def test_sanitising_the_corpus_leaves_no_live_script_and_is_idempotent(payload):
    cleaned = sanitize_html(payload)
    assert live_markup(cleaned) == []
    assert sanitize_html(cleaned) == cleaned
    rendered = str(render_markdown(payload))
    assert live_markup(rendered) == []
    assert sanitize_html(rendered) == rendered
    assert "<script" not in rendered.lower()


@pytest.mark.parametrize("payload", PAYLOADS, ids=payload_ids())
def test_plain_text_in_a_template_is_escaped(payload):
    """plain_text unescapes entities (it is for meta descriptions), so it must stay unsafe
    and be escaped by the template: "&lt;script&gt;" must not become a tag."""
    text = plain_text(payload)
    assert not hasattr(text, "__html__")
    html = Template("{% load practices %}<p>{{ value|plain_text }}</p>").render(
        Context({"value": payload})
    )
    assert live_markup(html) == []


# --- property tests ----------------------------------------------------------------------

FRAGMENTS = [
    "<",
    ">",
    "</",
    "/>",
    '"',
    "'",
    "=",
    "&",
    "&#",
    ";",
    ":",
    "script",
    "<script>",
    "</script>",
    "<svg",
    "<img",
    "<a href=",
    " onload=",
    " onerror=",
    "javascript:",
    "data:",
    "](",
    "[x",
    ")",
    "\n",
    "\n\n",
    "    ",
    "`",
    "*",
    "#",
    "<!--",
    "-->",
    "<style>",
    "&lt;",
    "&gt;",
    "\x00",
]
hostile_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join),
)
BOUNDED = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@BOUNDED
@given(hostile_text)
def test_render_markdown_never_lets_live_markup_through(text):
    rendered = str(render_markdown(text))
    assert live_markup(rendered) == []
    assert sanitize_html(rendered) == rendered


@BOUNDED
@given(hostile_text)
def test_sanitize_html_is_idempotent_and_safe(text):
    cleaned = sanitize_html(text)
    assert sanitize_html(cleaned) == cleaned
    assert live_markup(cleaned) == []


@BOUNDED
@given(hostile_text, st.integers(min_value=10, max_value=400))
def test_plain_text_never_raises_and_respects_its_limit(text, limit):
    result = plain_text(text, limit)
    assert isinstance(result, str)
    assert len(result) <= limit


# --- pages with hostile data -------------------------------------------------------------


def hostile_practice(city, author, payload, **extra):
    text_fields = [
        f.name
        for f in Practice._meta.get_fields()
        if getattr(f, "get_internal_type", None)
        and f.get_internal_type() in ("CharField", "TextField")
        and not f.choices
        and f.name not in ("slug", "search_config", "contact_email")
        and f.editable
    ]
    values = {name: fit(Practice, name, payload) for name in text_fields}
    values["title"] = fit(Practice, "title", "Hostil " + payload)
    return save_practice(
        slug="practica-hostil",
        city=city,
        author=author,
        contact_email="laura@quilmes.example",
        **values,
        **extra,
    )


@pytest.mark.parametrize("payload", PAYLOADS, ids=payload_ids())
def test_practice_pages(payload, city_a, ana, visitor, ana_client):
    hostile_practice(city_a, ana, payload)
    for client, path in (
        (visitor, "/en/practices/practica-hostil/"),
        (visitor, "/en/practices/"),
        (visitor, "/en/practices/?q=Hostil"),
        (visitor, "/en/"),
        (ana_client, "/en/practices/practica-hostil/"),
        (ana_client, "/en/practices/practica-hostil/edit/"),
    ):
        assert_no_live_script(client.get(path))


@pytest.mark.parametrize("payload", PAYLOADS, ids=payload_ids())
def test_city_and_focal_point_pages(payload, city_a, ana, visitor, ana_client):
    city_a.summary = payload
    city_a.website = fit(type(city_a), "website", payload)
    city_a.name = fit(type(city_a), "name", payload)
    city_a.save()
    FocalPointFactory(
        city=city_a,
        name=fit(FocalPointFactory._meta.model, "name", payload),
        position=fit(FocalPointFactory._meta.model, "position", payload),
        phone=fit(FocalPointFactory._meta.model, "phone", payload),
    )
    for client, path in (
        (visitor, "/en/cities/"),
        (visitor, f"/en/cities/{city_a.slug}/"),
        (ana_client, f"/en/cities/{city_a.slug}/"),
        (ana_client, f"/en/cities/{city_a.slug}/edit/"),
    ):
        assert_no_live_script(client.get(path))


@pytest.mark.parametrize("payload", PAYLOADS, ids=payload_ids())
def test_event_pages(payload, visitor, sofia_client):
    from events.models import Event

    make_event(
        slug="evento-hostil",
        title=fit(Event, "title", payload),
        place=fit(Event, "place", payload),
        description=payload,
        online_url=fit(Event, "online_url", payload),
    )
    for client, path in (
        (visitor, "/en/events/"),
        (visitor, "/en/events/evento-hostil/"),
        (sofia_client, "/en/events/evento-hostil/"),
    ):
        assert_no_live_script(client.get(path))


@pytest.mark.parametrize("payload", PAYLOADS, ids=payload_ids())
def test_membership_application_form_and_admin(payload, visitor, sofia_client):
    data = {
        "city_name": payload[:120],
        "country": "UY",
        "contact_name": payload[:150],
        "email": "x@example.org",
        "position": payload[:150],
        "motivation": payload,
    }
    response = visitor.post("/en/cities/join/", data)
    if response.status_code == 200:  # the form shown again with what was typed
        assert_no_live_script(response)
    application = MembershipApplication.objects.first() or MembershipApplication.objects.create(
        **data
    )
    for path in (
        "/en/admin/cities/membershipapplication/",
        f"/en/admin/cities/membershipapplication/{application.pk}/change/",
    ):
        assert_no_live_script(sofia_client.get(path))


@pytest.mark.parametrize("payload", PAYLOADS, ids=payload_ids())
def test_news_and_review_note_pages(payload, visitor, sofia):
    NewsItem.objects.create(
        title=fit(NewsItem, "title", payload),
        slug="noticia-hostil",
        summary=fit(NewsItem, "summary", payload),
        body=payload,
        is_published=True,
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    year = timezone.localdate().year
    plan = WorkPlan.objects.create(
        start_year=year, end_year=year, title_es="Plan", title_pt_br="Plano", title_en="Plan"
    )
    line = LineOfWork.objects.create(
        plan=plan, number=1, slug="linea-1", title_es="Línea", title_en="Line"
    )
    ReviewNote.objects.create(line=line, year=year, body=payload, author=sofia)
    for path in (
        "/en/unit/news/",
        "/en/unit/news/noticia-hostil/",
        f"/en/unit/plan/{year}/",
        "/en/",
    ):
        assert_no_live_script(visitor.get(path))
    feed = visitor.get("/en/unit/news/feed/").content.decode()
    assert "<script" not in feed.lower()  # an Atom feed: the payload is escaped text


@pytest.mark.parametrize("payload", PAYLOADS, ids=payload_ids())
def test_csv_import_source_column(payload, city_a, ana_client):
    indicator = IndicatorFactory(slug="sdg-8-5-2", code="8.5.2", name_en="Unemployment rate")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["city_slug", "indicator_code", "year", "value", "source"])
    writer.writerow([city_a.slug, indicator.slug, 2022, "7.5", payload[:200]])
    writer.writerow([city_a.slug, payload[:40], 2022, "7.5", "EPH"])  # a row in error
    upload = SimpleUploadedFile("valores.csv", buffer.getvalue().encode(), "text/csv")
    preview = ana_client.post("/en/mapping/import/", {"file": upload})
    assert_no_live_script(preview)
    parsed = preview.context.get("parsed") if preview.context else None
    if parsed is not None and getattr(parsed, "digest", None):
        done = ana_client.post("/en/mapping/import/", {"digest": parsed.digest}, follow=True)
        assert_no_live_script(done)
    for path in (f"/en/mapping/indicators/{indicator.slug}/", f"/en/cities/{city_a.slug}/"):
        assert_no_live_script(ana_client.get(path))
