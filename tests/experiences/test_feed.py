"""Atom feed of the latest published practices, optionally per theme."""

import xml.etree.ElementTree as ET  # our own feed, not untrusted input

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    root = ET.fromstring(response.content)  # noqa: S314
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


def test_feed_lists_published_practices_only(visitor, published, draft):
    response = visitor.get("/en/practices/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert entries(response) == [f"{published.title} (Quilmes)"]


def test_feed_per_theme(visitor, make_practice, themes):
    make_practice(title="Niñez", themes=[themes["children-adolescents"]])
    make_practice(title="Migrantes", themes=[themes["migration"]])
    response = visitor.get("/en/practices/feed/?theme=migration")
    assert entries(response) == ["Migrantes (Quilmes)"]
    root = ET.fromstring(response.content)  # noqa: S314
    assert "Migration" in root.find(f"{ATOM}title").text


def test_unknown_theme_gives_the_whole_feed(visitor, published):
    assert entries(visitor.get("/en/practices/feed/?theme=%00nope")) == [
        f"{published.title} (Quilmes)"
    ]


def test_feed_keeps_the_latest_fifty(visitor, make_practice):
    for n in range(52):
        make_practice(title=f"P{n}")
    assert len(entries(visitor.get("/en/practices/feed/"))) == 50


def test_feed_content_is_sanitised(visitor, make_practice):
    make_practice(title="X", summary="Hola <script>alert(1)</script> [a](javascript:alert(1))")
    body = visitor.get("/en/practices/feed/").content.decode()
    assert "<script" not in body and "&lt;script" not in body
    assert "javascript:" not in body
