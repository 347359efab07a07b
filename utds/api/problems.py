"""Errors of the open API as RFC 9457 problem details (application/problem+json)."""

import json
from http import HTTPStatus

from django.http import HttpResponse

CONTENT_TYPE = "application/problem+json"


class ApiProblem(Exception):
    """Raised by the API's code to answer with a problem; `param` names the wrong
    query parameter, if any."""

    def __init__(self, status: int, detail: str, *, param: str | None = None, reason: str = ""):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.params = [(param, reason or detail)] if param else []


def invalid_parameter(param: str, reason: str) -> ApiProblem:
    return ApiProblem(
        400, f"Invalid query parameter “{param}”: {reason}", param=param, reason=reason
    )


def problem_response(
    request, status: int, detail: str, params: list[tuple[str, str]] = ()
) -> HttpResponse:
    """A problem-details answer: type, title (the status's phrase), status, detail, the
    path asked for, and the parameters that were wrong with the reason for each."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "invalid_params": [{"name": name, "reason": reason} for name, reason in params],
    }
    return HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
