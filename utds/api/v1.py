"""Version 1 of the open API: the one NinjaAPI, its document and error handlers, with every
dataset's router mounted in the order of the document."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from . import cities, events, funding, mapping, peers, practices, unit, vocabularies
from .problems import CONTENT_TYPE, ApiProblem, problem_response

DESCRIPTION = """\
The public data of the Social Development Thematic Unit (UTDS) of Mercociudades, read-only
and free to reuse: member cities, published practices, shared vocabularies, the cities'
social profiles, the practices cities took from each other, events, funding calls, news and
the unit's work plans.

* **Language**: `?lang=es|pt-br|en` or `Accept-Language`; the body's `language` and the
  `Content-Language` header name the language of the texts.
* **Pages**: every list comes in a stable order; follow `next` (an opaque `cursor`) until
  it is null. Rows added between two fetches never shift a page.
* **Filters**: the ones of the matching page of the portal. An unknown parameter or value
  answers `400` with problem details naming it (RFC 9457).
* **Caching**: `ETag` and `Last-Modified`, answered with `304` on conditional requests.
* **Rate limit**: too many requests from one address answer `429` with `Retry-After`.
"""


class OpenAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's document, with the errors' media type as they are sent: problem details."""
        document = super().get_openapi_schema(*args, **kwargs)
        for operations in document["paths"].values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[CONTENT_TYPE] = content.pop("application/json")
        return document


api = OpenAPI(
    title="UTDS Mercociudades open API",
    version="1",
    description=DESCRIPTION,
    openapi_url="/openapi.json",
    docs_url=None,
    urls_namespace="api",
)

for dataset in (cities, practices, peers, vocabularies, mapping, events, funding, unit):
    api.add_router("", dataset.router)


# --- errors as problem details ----------------------------------------------------------


@api.exception_handler(ApiProblem)
def _problem(request, exc: ApiProblem):
    return problem_response(request, exc.status, exc.detail, exc.params)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    params = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if isinstance(part, str)]
        name = location[1] if len(location) > 1 else (location[0] if location else "query")
        params.append((name, str(error.get("msg", "invalid value"))))
    name = params[0][0] if params else "query"
    return problem_response(request, 400, f"Invalid query parameter “{name}”.", params)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem_response(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, 404, "Nothing here.")
