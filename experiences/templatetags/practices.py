"""Presentation of practice text: Markdown through the allow-list, search snippets."""

import functools

from django import template

from core.text import highlight as highlight_snippet
from core.text import plain_text as plain_text_of
from core.text import render_markdown

register = template.Library()


# Markdown is parsed afresh on every call: the same summaries and sections are drawn on
# page after page (cards, details), so each worker keeps the latest results. The output
# depends on the text alone; strings are immutable, so sharing them is safe.
@functools.lru_cache(maxsize=512)
def _markdown(text):
    return render_markdown(text)


@functools.lru_cache(maxsize=4096)
def _plain_text(text, limit):
    return plain_text_of(text, limit)


@register.filter
def markdown(text):
    return _markdown(str(text or ""))


@register.filter
def highlight(snippet):
    return highlight_snippet(snippet)


@register.filter
def plain_text(text, limit=300):
    return _plain_text(str(text or ""), int(limit))


@register.simple_tag(takes_context=True)
def page_numbers(context, page_obj):
    """The page links to draw: the context's `page_range` when the view gives one,
    otherwise the pages around the current one and at both ends, with gaps
    (Paginator.ELLIPSIS) between, so thousands of pages draw a dozen links, not one each."""
    page_range = context.get("page_range")
    if page_range:
        return page_range
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
