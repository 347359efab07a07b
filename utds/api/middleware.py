"""The open API's HTTP manners, for every answer under /api/: a per-client rate limit,
CORS for GET only, ETag and Last-Modified with 304 answers, short public caching, and
errors from outside the API's views (404, 405, redirects) turned into problem details."""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from accounts.security import client_address

from .problems import CONTENT_TYPE, problem_response

PREFIX = "/api/"
MAX_AGE = 60
WINDOW = 60  # seconds: API_RATE_LIMIT counts requests per client per minute
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Language, Retry-After",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET",
    "Access-Control-Allow-Headers": "Accept-Language, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}

logger = logging.getLogger(__name__)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            return self._preflight(request)
        retry_after = _over_limit(request)
        if retry_after:
            response = problem_response(
                request, 429, f"Too many requests; try again in {retry_after} seconds."
            )
            response["Retry-After"] = str(retry_after)
        else:
            response = self.get_response(request)
        return self._finish(request, response)

    def _preflight(self, request) -> HttpResponse:
        asked = request.headers.get("Access-Control-Request-Method", "GET")
        if asked != "GET":
            response = problem_response(request, 405, "The API only answers GET.")
            response["Allow"] = "GET, OPTIONS"
            return response
        response = HttpResponse(status=204)
        for name, value in (CORS_HEADERS | PREFLIGHT_HEADERS).items():
            response[name] = value
        patch_vary_headers(response, ["Origin"])
        return response

    def _finish(self, request, response):
        if response.status_code >= 300 and not response.get("Content-Type", "").startswith(
            (CONTENT_TYPE, "application/json")
        ):
            # Django's own answers (no such path, a method other than GET, a redirect to a
            # language prefix or a trailing slash): the API speaks problem details only.
            status = response.status_code if response.status_code >= 400 else 404
            detail = "Nothing here." if status == 404 else "The API only answers GET."
            allow = response.get("Allow")
            response = problem_response(request, status, detail)
            if allow:
                response["Allow"] = allow
        if request.method != "GET":
            return response
        language = getattr(request, "api_language", None)
        if language:
            response["Content-Language"] = language
        if response.status_code == 200:
            modified = getattr(request, "api_last_modified", None)
            response = self._conditional(request, response, language, modified)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        if response.status_code in (200, 304):
            response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        else:
            response["Cache-Control"] = "no-store"
        patch_vary_headers(response, ["Accept-Language", "Origin"])
        return response

    @staticmethod
    def _conditional(request, response, language, modified):
        digest = hashlib.sha256(response.content)
        digest.update(f"|{language or ''}".encode())
        etag = f'"{digest.hexdigest()[:32]}"'
        response["ETag"] = etag
        last_modified = None
        if modified is not None:
            last_modified = int(modified.timestamp())
            response["Last-Modified"] = http_date(last_modified)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        if conditional is not response and language:
            conditional["Content-Language"] = language
        return conditional


def _over_limit(request) -> int:
    """Seconds until the client's minute ends when it has used up API_RATE_LIMIT, else 0.
    A cache that cannot be reached lets the request through."""
    limit = getattr(settings, "API_RATE_LIMIT", 0)
    if not limit:
        return 0
    now = time.time()
    window = int(now // WINDOW)
    key = f"utds:api:rate:{client_address(request)}:{window}"
    try:
        cache.add(key, 0, timeout=WINDOW + 1)
        count = cache.incr(key)
    except Exception:
        logger.exception("API rate limit: cache unavailable")
        return 0
    if count <= limit:
        return 0
    return max(1, int((window + 1) * WINDOW - now) + 1)
