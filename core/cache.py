"""The anonymous page cache: whole responses of public pages, shared by every visitor.

Only anonymous GET/HEAD requests for the pages in PUBLIC_PAGES are served from or stored
in the cache. A page is stored only when nothing in it belongs to one visitor: a 200
answer with no cookie set, no CSRF token, no flash message, no session change. Logged-in
users never read or fill it, so members-only data (focal points, contacts, drafts) can
never reach a shared copy; their pages are marked `Cache-Control: private, no-store`.

Invalidation is by generation: every key holds the current "content generation", and any
write to a table of the content apps replaces the generation, so the next request renders
afresh and an edit shows at once. The writes are seen at the database layer (an execute
wrapper installed on every connection, see UtdsConfig.ready) rather than by model
signals, because services also write with QuerySet.update() and bulk_create() (search
vectors, indicator imports, optimistic locking), which send no signal.
"""

import hashlib
import logging
import re
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control

# URL names (namespace:name) of the pages that are the same for every anonymous visitor.
PUBLIC_PAGES = frozenset(
    {
        "home",
        "cities:list",
        "cities:detail",
        "experiences:list",
        "experiences:detail",
        "funding:list",
        "funding:detail",
        "mapping:index",
        "mapping:problem",
        "mapping:indicators",
        "mapping:indicator",
        "events:list",
        "events:detail",
        "events:calendar",
        "events:event_ics",
        # open data: stored only when bounded (one indicator or city), never while streamed
        "mapping:export_indicators_csv",
        "mapping:export_indicators_json",
        "mapping:export_problems_csv",
        "mapping:export_problems_json",
        "unit:about",
        "unit:new_members",
        "unit:plan_index",
        "unit:plan",
        "unit:library",
        "unit:document",
        "unit:news",
        "unit:news_detail",
        "search",
    }
)
# What browsers and shared proxies may keep a public page for, in seconds.
PUBLIC_MAX_AGE = 60
# Longer query strings are answered but not stored (a crawler's random filters).
MAX_QUERY_STRING = 512
GENERATION_KEY = "utds:pages:generation"
MESSAGES_COOKIE = "messages"

logger = logging.getLogger(__name__)


def seconds() -> int:
    return max(0, int(getattr(settings, "CACHE_PAGES_SECONDS", 0)))


# --- generation ------------------------------------------------------------------------


def generation() -> str:
    """The current content generation; a fresh random one when the cache has none, so an
    evicted generation can never bring back pages stored under an older one."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(GENERATION_KEY)
    return current


def content_changed(using: str = "default") -> None:
    """Start a new generation now and again when the transaction commits: a page rendered
    between the write and the commit (still showing the old rows) is not kept either."""
    _new_generation()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(
        func is _new_generation for _sids, func, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_new_generation, using=using, robust=True)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


# --- seeing writes ---------------------------------------------------------------------

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class ContentWriteWatcher:
    """A database execute wrapper: after a statement that writes one of `tables`, a new
    generation starts. Reads pass straight through."""

    def __init__(self, tables):
        self.tables = frozenset(tables)

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql[:1] in "IUDiud " and seconds():
            match = _WRITE.match(sql)
            if match and match.group(1) in self.tables:
                try:
                    content_changed(context["connection"].alias)
                except Exception:  # the write succeeded; an unreachable cache must not undo it
                    logger.exception("Could not start a new page cache generation")
        return result


def content_tables() -> set[str]:
    """Tables of the content apps, many-to-many and history tables included."""

    return {
        model._meta.db_table
        for label in settings.PAGE_CACHE_CONTENT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def watch_connection(connection, watcher) -> None:
    if not any(isinstance(w, ContentWriteWatcher) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(watcher)


# --- the middleware --------------------------------------------------------------------


class AnonymousPageCacheMiddleware:
    """Serves and stores public pages for anonymous visitors (last in MIDDLEWARE, so the
    user, the language and the messages are known; the outer middleware then add
    Content-Language, Vary and the security headers to cached answers as to fresh ones)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = stored = None
        if self._may_use_cache(request):
            try:
                key = self._key(request)
                stored = cache.get(key)
            except Exception:  # an unreachable cache: render the page as if it were off
                logger.exception("Page cache unavailable")
                key = None
        if stored is not None:
            return self._rebuild(stored)
        response = self.get_response(request)
        if key is not None and self._may_store(request, response):
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            try:
                cache.set(key, self._freeze(response), seconds())
                response["X-Page-Cache"] = "miss"
            except Exception:
                logger.exception("Page cache unavailable")
        elif settings.SESSION_COOKIE_NAME in request.COOKIES and "Cache-Control" not in response:
            # A session (every logged-in user has one) means the page may be built for one
            # person, with members-only data: no cache may keep it. Decided on the cookie
            # so that it costs no query.
            patch_cache_control(response, private=True, no_store=True)
        return response

    def _may_use_cache(self, request) -> bool:
        if not seconds() or request.method not in ("GET", "HEAD"):
            return False
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return False
        if MESSAGES_COOKIE in request.COOKIES or not _is_public_page(request.path_info):
            return False
        if _is_authenticated(request):
            return False
        # An anonymous session may hold flash messages that this page must show.
        session = getattr(request, "session", None)
        return not (session is not None and session.session_key and "_messages" in session)

    def _may_store(self, request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if "private" in response.get("Cache-Control", "") or "no-" in response.get(
            "Cache-Control", ""
        ):
            return False
        # get_token() was called: the page holds a CSRF token and a cookie will be set.
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        storage = getattr(request, "_messages", None)
        if storage is not None and getattr(storage, "_queued_messages", None):
            return False
        return not _is_authenticated(request)

    def _key(self, request) -> str:
        # Scheme and host are in the page (canonical and hreflang links), so in the key.
        url = request.build_absolute_uri()
        digest = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()
        database = settings.DATABASES["default"].get("NAME", "")
        language = translation.get_language() or ""
        return f"utds:page:{database}:{generation()}:{language}:{digest}"

    @staticmethod
    def _freeze(response) -> tuple:
        return (response.status_code, list(response.headers.items()), response.content)

    @staticmethod
    def _rebuild(stored) -> HttpResponse:
        status, headers, content = stored
        response = HttpResponse(content, status=status, headers=dict(headers))
        response["X-Page-Cache"] = "hit"
        return response


def _is_authenticated(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _is_public_page(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in PUBLIC_PAGES
