"""Refuse request bodies larger than MAX_REQUEST_BYTES before anything reads them.

Django already bounds what it reads into memory (DATA_UPLOAD_MAX_MEMORY_SIZE for form
fields, FILE_UPLOAD_MAX_MEMORY_SIZE before an upload goes to a temporary file); this stops
an oversized body at the door with a 413 page instead of streaming it to disk first.
"""

from django.conf import settings
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _declared_length(request) > settings.MAX_REQUEST_BYTES:
            context = {"limit": settings.MAX_REQUEST_BYTES}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
