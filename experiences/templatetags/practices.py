"""Presentation of practice text: Markdown through the allow-list, search snippets."""

from django import template

from utds.text import highlight as highlight_snippet
from utds.text import plain_text as plain_text_of
from utds.text import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def highlight(snippet):
    return highlight_snippet(snippet)


@register.filter
def plain_text(text, limit=300):
    return plain_text_of(text, int(limit))
