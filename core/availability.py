"""A database that is down or restarting is a temporary outage, not a bug: pages answer
503 with Retry-After (load balancers and browsers may try again) instead of 500."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
FALLBACK = (
    '<!doctype html><html lang="es"><meta charset="utf-8"><title>UTDS</title>'
    "<h1>Servicio no disponible por unos segundos · Serviço indisponível por alguns "
    "segundos · Unavailable for a few seconds</h1>"
)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable: %s %s", request.method, request.path)
        try:
            response = render(request, "503.html", status=503)
        except Exception:  # the page itself may need the database (a logged-in user)
            response = HttpResponse(FALLBACK, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
