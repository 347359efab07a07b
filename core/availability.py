"""A database or file store that is down or restarting is a temporary outage, not a bug:
pages answer 503 with Retry-After (load balancers and browsers may try again) instead of
500, saying which of the two is out of reach."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render

from core.storage import StorageUnavailable

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
FALLBACK = (
    '<!doctype html><html lang="es"><meta charset="utf-8"><title>UTDS</title>'
    "<h1>Servicio no disponible por unos segundos · Serviço indisponível por alguns "
    "segundos · Unavailable for a few seconds</h1>"
)


def unavailable_response(request, *, unreachable: str) -> HttpResponse:
    """The 503 page naming what is out of reach ("database" or "files")."""
    try:
        response = render(request, "503.html", {"unreachable": unreachable}, status=503)
    except Exception:  # the page itself may need the database (a logged-in user)
        response = HttpResponse(FALLBACK, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable: %s %s", request.method, request.path)
        return unavailable_response(request, unreachable="database")


class StorageUnavailableMiddleware:
    """A download, or an upload outside a form that keeps what was typed (the admin's), while
    the file store is out of reach: 503 before anything is written (the request's
    transaction is rolled back by the service that raised)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        logger.warning(
            "file store unavailable: %s %s (%s)", request.method, request.path, exception.__cause__
        )
        return unavailable_response(request, unreachable="files")
