"""The open API's operations: one read-only list per public dataset, each with the filters
of its page, the language asked for and cursor pagination (see listing.py)."""

import functools
from typing import Literal

from django.http import Http404
from django.utils import translation
from django_countries import countries
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError

from cities import queries as city_queries
from cities.filters import CityFilter

from . import schemas as s
from .listing import MAX_LIMIT, check_parameters, filtered, language_of, last_modified, paginate
from .problems import ApiProblem, problem_response

DESCRIPTION = """\
The public data of the Social Development Thematic Unit (UTDS) of Mercociudades, read-only
and free to reuse: member cities, published practices, shared vocabularies, the cities'
social profiles, events, funding calls, news and the unit's work plans.

* **Language**: `?lang=es|pt-br|en` or `Accept-Language`; the body's `language` and the
  `Content-Language` header name the language of the texts.
* **Pages**: every list comes in a stable order; follow `next` (an opaque `cursor`) until
  it is null. Rows added between two fetches never shift a page.
* **Filters**: the ones of the matching page of the portal. An unknown parameter or value
  answers `400` with problem details naming it (RFC 9457).
* **Caching**: `ETag` and `Last-Modified`, answered with `304` on conditional requests.
* **Rate limit**: too many requests from one address answer `429` with `Retry-After`.
"""

api = NinjaAPI(
    title="UTDS Mercociudades open API",
    version="1",
    description=DESCRIPTION,
    openapi_url="/openapi.json",
    docs_url=None,
    urls_namespace="api",
)

LIST_RESPONSES = {304: None, 400: s.Problem, 429: s.Problem}


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


# --- what every list shares --------------------------------------------------------------


class ListParams(Schema):
    lang: Literal["es", "pt-br", "en"] | None = Field(
        None, description="Language of the texts (else Accept-Language, else es)."
    )
    cursor: str | None = Field(
        None, max_length=2000, description="Where the page starts: the `next` link's value."
    )
    limit: int = Field(25, ge=1, le=MAX_LIMIT, description="Rows per page.")


def localized(view):
    """Run `view` in the language asked for; the middleware reads it (and the latest change
    of the rows) from the request for Content-Language, ETag and Last-Modified."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.api_language = language_of(request)
        with translation.override(request.api_language):
            return view(request, *args, **kwargs)

    return wrapper


def listing(
    request, params: Schema, queryset, order, build, filterset_class=None, *, modified="updated_at"
):
    """One page of `queryset` filtered by `filterset_class` with the operation's filters,
    each row shaped by `build`; `modified` names the rows' change time, if they have one."""
    check_parameters(request, type(params).model_fields)
    if filterset_class is not None:
        names = [name for name in type(params).model_fields if name not in ListParams.model_fields]
        queryset = filtered(request, filterset_class, queryset, names)
    page = paginate(request, queryset, order)
    request.api_last_modified = last_modified(page.rows, field=modified) if modified else None
    return {
        "language": page.language,
        "next": page.next_url,
        "results": [build(request, row) for row in page.rows],
    }


def _url(request, obj) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


def _float(number):
    return None if number is None else float(number)


def _city_ref(city) -> dict:
    return {"slug": city.slug, "name": city.name, "country": city.country.code}


def _term(obj) -> dict:
    return {"slug": obj.slug, "name": obj.name}


def _goal_ref(goal) -> dict:
    return {"slug": goal.slug, "code": goal.code, "name": goal.name}


def _line_ref(line) -> dict:
    return {"slug": line.slug, "number": line.number, "title": line.title}


# --- member cities -----------------------------------------------------------------------


class CityParams(ListParams):
    q: str | None = Field(None, max_length=100, description="Words in the name (accents ignored).")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code.", examples=["UY"])
    status: Literal["member", "applicant", "former"] | None = None
    working_group: str | None = Field(None, description="Slug of a working group.")
    role: Literal["coordinator", "sub_coordinator", "member"] | None = Field(
        None, description="Role in the unit this year."
    )


def _city(request, city) -> dict:
    return {
        "slug": city.slug,
        "name": city.name,
        "country": city.country.code,
        "country_name": str(countries.name(city.country.code)),
        "state_province": city.state_province,
        "latitude": _float(city.latitude),
        "longitude": _float(city.longitude),
        "population": city.population,
        "population_year": city.population_year,
        "status": city.status,
        "current_role": city.current_role or "",
        "joined_year": city.joined_year,
        "website": city.website,
        "url": _url(request, city),
    }


@api.get(
    "/cities",
    response={200: s.page_of(s.CityOut, "CityPage"), **LIST_RESPONSES},
    summary="Cities of the network",
    tags=["cities"],
)
@localized
def list_cities(request, params: Query[CityParams]):
    """The cities of the directory, by name, with the directory's filters (no contacts)."""
    queryset = city_queries.directory_cities(None)
    # The directory leaves out the cities' change times: no Last-Modified, the ETag suffices.
    return listing(request, params, queryset, ("name", "pk"), _city, CityFilter, modified=None)
