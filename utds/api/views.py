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
from events import queries as event_queries
from events.filters import EventFilter
from experiences import queries as practice_queries
from experiences.filters import PracticeFilter
from funding import queries as funding_queries
from funding.filters import FundingCallFilter
from mapping import queries as mapping_queries
from mapping.filters import CityProblemFilter, IndicatorValueFilter
from unit import queries as unit_queries
from unit.filters import NewsFilter

from . import schemas as s
from .listing import MAX_LIMIT, check_parameters, filtered, language_of, last_modified, paginate
from .problems import CONTENT_TYPE, ApiProblem, problem_response

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
        values = params.model_dump(exclude=set(ListParams.model_fields))
        queryset = filtered(request, filterset_class, queryset, values)
    page = paginate(request, queryset, order)
    request.api_last_modified = last_modified(page.rows, field=modified) if modified else None
    return {
        "language": page.language,
        "next": page.next_url,
        "results": [build(request, row) for row in page.rows],
    }


def list_operation(
    path,
    out,
    summary,
    tag,
    params_class,
    rows,
    order,
    filterset_class=None,
    *,
    modified="updated_at",
):
    """Register the decorated row builder's list `GET path`: one page of `rows()` in
    `order`, filtered with `params_class` through `filterset_class`, in the language asked
    for; `out` is the row's schema and the builder's docstring the operation's."""

    def register(build):
        def view(request, params):
            queryset = rows()
            return listing(
                request, params, queryset, order, build, filterset_class, modified=modified
            )

        view.__name__ = view.__qualname__ = "list_" + path.strip("/").replace("-", "_")
        view.__doc__ = build.__doc__
        view.__annotations__ = {"params": Query[params_class]}
        page_name = out.__name__.removesuffix("Out") + "Page"
        api.get(
            path,
            response={200: s.page_of(out, page_name), **LIST_RESPONSES},
            summary=summary,
            tags=[tag],
        )(localized(view))
        return build

    return register


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


# The directory leaves out the cities' change times: no Last-Modified, the ETag suffices.
@list_operation(
    "/cities",
    s.CityOut,
    "Cities of the network",
    "cities",
    CityParams,
    lambda: city_queries.directory_cities(None),
    ("name", "pk"),
    CityFilter,
    modified=None,
)
def _city(request, city) -> dict:
    """The cities of the directory, by name, with the directory's filters (no contacts)."""
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


# --- published practices -----------------------------------------------------------------


class PracticeParams(ListParams):
    q: str | None = Field(
        None, max_length=1000, description="Words in the text (full-text, accents ignored)."
    )
    theme: list[str] = Field([], description="Slugs of themes (any of them).")
    goal: str | None = Field(None, description="Slug of a development goal.", examples=["sdg-01"])
    problem: str | None = Field(None, description="Slug of a social problem.")
    crc: int | None = Field(None, description="Number of an article of the CRC.", examples=[12])
    country: str | None = Field(None, description="ISO code of the practice's city's country.")
    city: str | None = Field(None, description="Slug of a city (its own and partner practices).")
    year_from: int | None = Field(None, ge=1990, le=2100, description="Running from this year.")
    year_to: int | None = Field(None, ge=1990, le=2100, description="Running until this year.")
    language: Literal["es", "pt-br", "en"] | None = Field(None, description="Written in.")
    featured: bool | None = Field(None, description="Featured practices only.")


@list_operation(
    "/practices",
    s.PracticeOut,
    "Published practices",
    "practices",
    PracticeParams,
    lambda: practice_queries.published_with_vocabularies(),
    ("-published_at", "-pk"),
    PracticeFilter,
)
def _practice(request, practice) -> dict:
    """Published practices, newest first, with the filters of the practices page (never a
    draft, a practice in review, a pending change or a contact)."""
    return {
        "slug": practice.slug,
        "title": practice.title,
        "url": _url(request, practice),
        "city": _city_ref(practice.city),
        "partner_cities": [_city_ref(city) for city in practice.partner_cities.all()],
        "language": practice.language,
        "summary": practice.summary,
        "problem": practice.problem,
        "objectives": practice.objectives,
        "actions": practice.actions,
        "results": practice.results,
        "lessons_learned": practice.lessons_learned,
        "target_population": practice.target_population,
        "start_date": practice.start_date,
        "end_date": practice.end_date,
        "featured": practice.featured,
        "published_at": practice.published_at,
        "updated_at": practice.updated_at,
        "themes": [_term(theme) for theme in practice.themes.all()],
        "goals": [_goal_ref(goal) for goal in practice.goals.all()],
        "crc_articles": [
            {"number": article.number, "name": article.name}
            for article in practice.crc_articles.all()
        ],
        "social_problems": [_term(problem) for problem in practice.social_problems.all()],
        "lines": [_line_ref(line) for line in practice.lines.all()],
    }


# --- vocabularies --------------------------------------------------------------------------


class NoFilters(ListParams):
    pass


@list_operation(
    "/themes",
    s.ThemeOut,
    "Themes of the practices",
    "vocabularies",
    NoFilters,
    lambda: practice_queries.vocabularies()["themes"],
    ("position", "pk"),
    modified=None,
)
def _theme(request, theme) -> dict:
    """The practices' themes in their list order, named in the language asked for."""
    return {"slug": theme.slug, "name": theme.name, "description": theme.description}


@list_operation(
    "/goals",
    s.GoalOut,
    "Development goals (MDG and SDG)",
    "vocabularies",
    NoFilters,
    lambda: mapping_queries.vocabularies()["goals"],
    ("framework", "number", "pk"),
    modified=None,
)
def _goal(request, goal) -> dict:
    return {
        "slug": goal.slug,
        "framework": goal.framework,
        "number": goal.number,
        "code": goal.code,
        "name": goal.name,
        "title": goal.title,
        "colour": goal.colour,
    }


@list_operation(
    "/crc-articles",
    s.ArticleOut,
    "Articles of the Convention on the Rights of the Child",
    "vocabularies",
    NoFilters,
    lambda: practice_queries.vocabularies()["crc_articles"],
    ("number", "pk"),
    modified=None,
)
def _article(request, article) -> dict:
    return {
        "number": article.number,
        "name": article.name,
        "general_principle": article.general_principle,
    }


@list_operation(
    "/social-problems",
    s.SocialProblemOut,
    "The catalogue of social problems",
    "vocabularies",
    NoFilters,
    lambda: mapping_queries.vocabularies()["problems"],
    ("slug", "pk"),
    modified=None,
)
def _problem_entry(request, problem) -> dict:
    return {
        "slug": problem.slug,
        "category": problem.category,
        "category_name": str(problem.get_category_display()),
        "name": problem.name,
        "description": problem.description,
        "goals": [goal.slug for goal in problem.goals.all()],
        "url": _url(request, problem),
    }


@list_operation(
    "/indicators",
    s.IndicatorOut,
    "Indicators with their units and definitions",
    "vocabularies",
    NoFilters,
    lambda: mapping_queries.vocabularies()["indicators"],
    ("slug", "pk"),
    modified=None,
)
def _indicator(request, indicator) -> dict:
    return {
        "slug": indicator.slug,
        "code": indicator.code,
        "name": indicator.name,
        "definition": indicator.description,
        "unit": indicator.unit,
        "category": indicator.category,
        "goal": indicator.goal.slug if indicator.goal else None,
        "higher_is_better": indicator.higher_is_better,
        "decimals": indicator.decimals,
        "kind": indicator.kind,
        "min_value": None if indicator.min_value is None else float(indicator.min_value),
        "max_value": None if indicator.max_value is None else float(indicator.max_value),
        "whole_number": indicator.whole_number,
        "breakdowns": indicator.grid_breakdowns(),
        "source": indicator.source,
        "url": _url(request, indicator),
    }


# --- the cities' social profiles ---------------------------------------------------------


class CityProblemParams(ListParams):
    city: str | None = Field(None, description="Slug of a city.", examples=["quilmes"])
    country: str | None = Field(None, description="ISO code.", examples=["AR"])
    problem: str | None = Field(None, description="Slug of a social problem.")
    category: str | None = Field(None, description="Category of the problem.")
    year: int | None = Field(None, ge=1900, le=2100)


class IndicatorValueParams(ListParams):
    city: str | None = Field(None, description="Slug of a city.", examples=["quilmes"])
    country: str | None = Field(None, description="ISO code.", examples=["AR"])
    indicator: str | None = Field(None, description="Slug of an indicator.")
    year: int | None = Field(None, ge=1900, le=2100)
    breakdown: str | None = Field(
        None,
        description="Code of a breakdown: “total”, “women”, “men”, “age_0_14”…",
        examples=["total"],
    )


@list_operation(
    "/city-problems",
    s.CityProblemOut,
    "The problems in each city's social profile",
    "social profiles",
    CityProblemParams,
    lambda: mapping_queries.public_city_problems(),
    ("-year", "pk"),
    CityProblemFilter,
)
def _city_problem(request, row) -> dict:
    """Latest year first, with the filters of the open-data export."""
    return {
        "city": _city_ref(row.city),
        "problem": _term(row.problem),
        "year": row.year,
        "priority": row.priority,
        "affected_population": row.affected_population,
        "notes": row.notes,
        "source": row.source,
        "updated_at": row.updated_at,
    }


@list_operation(
    "/indicator-values",
    s.IndicatorValueOut,
    "The cities' indicator values",
    "social profiles",
    IndicatorValueParams,
    lambda: mapping_queries.public_indicator_values(),
    ("-year", "pk"),
    IndicatorValueFilter,
)
def _indicator_value(request, row) -> dict:
    """Latest year first, with the filters of the open-data export."""
    return {
        "city": _city_ref(row.city),
        "indicator": row.indicator.slug,
        "year": row.year,
        "breakdown": row.breakdown_id,
        "value": float(row.value),
        "source": row.source,
        "updated_at": row.updated_at,
    }


# --- events, funding calls, news, plans ----------------------------------------------------


class EventParams(ListParams):
    kind: Literal["summit", "meeting", "workshop", "webinar", "assembly"] | None = None
    group: str | None = Field(None, description="Slug of a working group.")
    country: str | None = Field(None, description="ISO code of the host city's country.")
    year: int | None = Field(None, ge=1995, le=2100)


class FundingParams(ListParams):
    theme: str | None = Field(None, description="Slug of a theme.")
    country: str | None = Field(None, description="ISO code of an eligible country.")
    status: Literal["open", "upcoming", "closed"] | None = Field(
        None, description="Today's status; `open` for the calls one may apply to now."
    )


class NewsParams(ListParams):
    line: str | None = Field(None, description="Slug of a line of work.")
    language: Literal["es", "pt-br", "en"] | None = Field(None, description="Written in.")


@list_operation(
    "/events",
    s.EventOut,
    "The unit's events",
    "events",
    EventParams,
    lambda: event_queries.public_events(),
    ("-starts_at", "-pk"),
    EventFilter,
)
def _event(request, event) -> dict:
    """Latest first, with the filters of the events page (never registrations or
    delegates)."""
    host, group = event.host_city, event.working_group
    return {
        "slug": event.slug,
        "title": event.title,
        "kind": event.kind,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "place": event.place,
        "host_city": _city_ref(host) if host else None,
        "working_group": _term(group) if group else None,
        "lines": [_line_ref(line) for line in event.lines.all()],
        "description": event.description,
        "registration_open": event.registration_open,
        "cancelled": event.cancelled,
        "updated_at": event.updated_at,
        "url": _url(request, event),
    }


@list_operation(
    "/funding-calls",
    s.FundingCallOut,
    "Funding calls",
    "funding",
    FundingParams,
    lambda: funding_queries.public_funding_calls(),
    ("closes_on", "pk"),
    FundingCallFilter,
)
def _funding_call(request, call) -> dict:
    """Closing soonest first, with the filters of the funding page; `status=open` gives the
    calls open today."""
    return {
        "slug": call.slug,
        "title": call.title,
        "funder": call.funder,
        "summary": call.summary,
        "status": call.status,
        "opens_on": call.opens_on,
        "closes_on": call.closes_on,
        "amount_min": _float(call.amount_min),
        "amount_max": _float(call.amount_max),
        "currency": call.currency,
        "eligible_countries": [country.code for country in call.eligible_countries],
        "themes": [_term(theme) for theme in call.themes.all()],
        "lines": [_line_ref(line) for line in call.lines.all()],
        "link": call.link,
        "updated_at": call.updated_at,
        "url": _url(request, call),
    }


@list_operation(
    "/news",
    s.NewsOut,
    "The unit's news",
    "unit",
    NewsParams,
    lambda: unit_queries.published_news(),
    ("-published_at", "-pk"),
    NewsFilter,
)
def _news(request, item) -> dict:
    """Published news, newest first (never a draft or a scheduled item)."""
    return {
        "slug": item.slug,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "language": item.language,
        "published_at": item.published_at,
        "lines": [_line_ref(line) for line in item.lines.all()],
        "updated_at": item.updated_at,
        "url": _url(request, item),
    }


@list_operation(
    "/plans",
    s.PlanOut,
    "The unit's work plans and their lines of work",
    "unit",
    NoFilters,
    lambda: unit_queries.plans_with_lines(),
    ("-start_year", "pk"),
)
def _plan(request, plan) -> dict:
    """Latest plan first, each with its lines of work in number order."""
    return {
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "title": plan.title,
        "summary": plan.summary,
        "lines": [
            {
                "slug": line.slug,
                "number": line.number,
                "title": line.title,
                "description": line.description,
            }
            for line in plan.lines.all()
        ],
        "updated_at": plan.updated_at,
        "url": _url(request, plan),
    }
