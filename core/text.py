"""User text to HTML: a safe subset of Markdown, cleaned by an allow-list (nh3); and the
one sort key for names (`sort_key`).

Practices, review notes and news are written by people and read by anyone, so nothing
they type may run:
no script or style, no event handlers, no `javascript:` links, no images or frames.
Links get rel="nofollow noopener". Headings start at level 3 because the page owns
h1 and the section h2s.
"""

import html as html_lib
import re
import unicodedata

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Markers ts_headline puts around matches; user text is escaped before they become <mark>.
MARK_START = "\ue000"
MARK_END = "\ue001"

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}

_TOP_HEADINGS = re.compile(r"<(/?)h[12](\s|>)")


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """Markdown to sanitised HTML, safe to put in a page or a feed."""
    if not text:
        return mark_safe("")  # nosec B308
    html = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    html = _TOP_HEADINGS.sub(r"<\1h3\2", html)
    # Reviewed for bandit: nh3 (sanitize_html) has just cleaned it with the allow-list above.
    return mark_safe(sanitize_html(html))  # noqa: S308  # nosec B308 B703


def highlight(snippet: str) -> SafeString:
    """A search snippet with its matches in <mark>: the text is escaped first."""
    escaped = escape(snippet or "")
    html = escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    # Reviewed for bandit: escaped above; the only markup added is our own <mark>.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def plain_text(text: str, limit: int = 300) -> str:
    """Markdown to plain text for meta descriptions and OpenGraph."""
    cleaned = nh3.clean(markdown.markdown(text or ""), tags=set())
    text = " ".join(html_lib.unescape(cleaned).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# "ñ" is a letter of its own in Spanish, between "n" and "o": it becomes "n~", since "~"
# comes after every letter and digit in code-point (and PostgreSQL "C" collation) order.
_ENYE = "n~"


def sort_key(text: str) -> str:
    """The order of names in every list, by Spanish rules: case and accents ignored, "ñ"
    after "n" ("Nueva" < "Ñuñoa" < "Oruro"), spaces collapsed. Compared by code point, so
    Python's sorted() and a PostgreSQL column with the "C" collation agree, without the ICU
    collations the embedded server lacks."""
    lowered = unicodedata.normalize("NFC", " ".join((text or "").split())).casefold()
    decomposed = unicodedata.normalize("NFKD", lowered.replace("ñ", _ENYE))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
