"""User text is Markdown through an allow-list: nothing a coordinator types can run."""

import re

import pytest

from core.text import MARK_END, MARK_START, highlight, plain_text, render_markdown

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    "[clic](javascript:alert(1))",
    '<div onclick="alert(1)">div</div>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"></svg>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
]
LIVE = re.compile(r"<script|<iframe|<style|<svg|<img|\son\w+=|javascript:|data:text", re.I)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_renderer_removes_anything_that_could_run(text):
    assert not LIVE.search(render_markdown(text))


def test_markdown_keeps_the_safe_subset_and_marks_links():
    html = render_markdown(
        "# Título\n\n**negrita** y *cursiva*\n\n- uno\n- dos\n\n[web](https://a.example)"
    )
    assert "<h3>Título</h3>" in html  # the page owns h1 and h2
    assert "<strong>negrita</strong>" in html and "<em>cursiva</em>" in html
    assert "<li>uno</li>" in html
    assert '<a href="https://a.example" rel="nofollow noopener">web</a>' in html


def test_highlight_escapes_everything_but_its_own_marks():
    snippet = f"<b>x</b> {MARK_START}niñez{MARK_END} <script>"
    assert highlight(snippet) == "&lt;b&gt;x&lt;/b&gt; <mark>niñez</mark> &lt;script&gt;"


def test_plain_text_for_meta_tags():
    assert plain_text("**Hola** & <b>chau</b>", 100) == "Hola & chau"
    assert plain_text("palabra " * 100, 30).endswith("…")


@pytest.mark.parametrize(
    "field", ["title", "summary", "problem", "actions", "partners", "target_population"]
)
def test_hostile_text_in_any_field_is_never_live_on_the_page(visitor, make_practice, field):
    payload = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
    practice = make_practice(
        **{field: f"Texto {payload}"}, funding_source=payload, contact_name=payload
    )
    html = visitor.get(f"/en/practices/{practice.slug}/").content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "<script" not in main
    assert "onerror=alert" not in main.replace("onerror=alert(1)&gt;", "")
    assert not re.search(r"<img[^>]*onerror", main)
    head = html.split("</head>", 1)[0]
    assert "<script" not in head
    listing = visitor.get("/en/practices/").content.decode()
    assert "<script>alert" not in listing
