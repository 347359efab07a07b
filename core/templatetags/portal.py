"""Template filters and tags every app's templates share: language links, URLs, dates."""

from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import translate_url
from django.utils import dateformat
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every language, for the switcher (links, so no JS or form)."""
    request = context.get("request")
    current = get_language()
    path = request.get_full_path() if request else "/"
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.filter
def web_url(value):
    """The address when it is an http(s) link; "" otherwise, so that a `javascript:` or
    `data:` value that reached the database some other way than a form is never a link."""

    text = str(value or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in ("http", "https") else ""


@register.filter(expects_localtime=True)
def iso_datetime(value):
    """A <time datetime> value: local time to the second with its offset. Django's "c"
    format prints microseconds, which HTML does not allow (at most three digits)."""

    return dateformat.format(value, r"Y-m-d\TH:i:sO") if value else ""


@register.inclusion_tag("includes/_breadcrumbs.html")
def breadcrumbs(*trail, here, here_url="", here_lang=""):
    """The trail above a page: `trail` alternates a step's label and where it leads (a URL
    name, a path or an object with get_absolute_url, as for `redirect`); `here` is the page
    itself, a link when `here_url` is given, in `here_lang` when that differs from the page's."""
    if len(trail) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes a label and a link for each step")
    steps = [(label, resolve_url(to)) for label, to in zip(trail[::2], trail[1::2], strict=True)]
    return {
        "steps": steps,
        "here": here,
        "here_url": resolve_url(here_url) if here_url else "",
        "here_lang": here_lang,
    }
