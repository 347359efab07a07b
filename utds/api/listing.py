"""What every list of the open API shares: its registration on a dataset's router, the
language asked for, the check of the query string (unknown parameters and values answer 400
naming them), the apps' filters, cursor pagination on a stable key (the sort columns, then
the primary key), and the references to cities and vocabulary entries nested in rows."""

import base64
import binascii
import functools
import json
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import QueryDict
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import Field, Query, Router, Schema

from . import schemas as s
from .problems import invalid_parameter

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# Parameters every list takes besides its filters.
COMMON_PARAMS = frozenset({"lang", "cursor", "limit"})


def language_of(request) -> str:
    """`?lang=` when given (validated by the schema), else the first supported language of
    Accept-Language, else Spanish. Cookies are never read: answers vary on the header."""
    asked = request.GET.get("lang")
    if asked in LANGUAGES:
        return asked
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def check_parameters(request, known) -> None:
    """400 naming the first query parameter the operation does not take."""
    for name in request.GET:
        if name not in known and name not in COMMON_PARAMS:
            raise invalid_parameter(name, "this list has no such filter.")


def filtered(request, filterset_class, queryset, values: dict):
    """`queryset` narrowed by the app's own FilterSet with the filters' `values` as the
    schema read them (True/False as "true"/"false", lists as repeated parameters); a value
    the FilterSet refuses answers 400 naming its filter."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if value is None or value == []:
            continue
        items = value if isinstance(value, list) else [value]
        data.setlist(
            name, [str(item).lower() if isinstance(item, bool) else str(item) for item in items]
        )
    filterset = filterset_class(data, queryset=queryset, request=request)
    if not filterset.is_valid():
        name, errors = next(iter(filterset.errors.items()))
        raise invalid_parameter(name, " ".join(str(error) for error in errors))
    return filterset.qs


@dataclass(frozen=True)
class Page:
    rows: list
    next_url: str | None
    language: str


def _encode(values) -> str:
    raw = json.dumps(values, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, model, order) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid_parameter("cursor", "not a cursor given by this list.") from None
    if not isinstance(values, list) or len(values) != len(order):
        raise invalid_parameter("cursor", "not a cursor given by this list.")
    decoded = []
    for name, value in zip(order, values, strict=True):
        field = (
            model._meta.pk if name.lstrip("-") == "pk" else model._meta.get_field(name.lstrip("-"))
        )
        if value is None or isinstance(value, (dict, list)):
            raise invalid_parameter("cursor", "not a cursor given by this list.")
        try:
            decoded.append(field.to_python(value))
        except (ValidationError, TypeError, ValueError):
            raise invalid_parameter("cursor", "not a cursor given by this list.") from None
    return decoded


def _after(order, values) -> Q:
    """Rows that come after `values` in `order` (a row-value comparison written out, so
    that each column may run its own direction)."""
    clauses, equal = [], {}
    for name, value in zip(order, values, strict=True):
        column = name.lstrip("-")
        lookup = "lt" if name.startswith("-") else "gt"
        clauses.append(Q(**equal, **{f"{column}__{lookup}": value}))
        equal[column] = value
    return reduce(or_, clauses)


def limit_of(request) -> int:
    raw = request.GET.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise invalid_parameter("limit", f"a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


def paginate(request, queryset, order: tuple[str, ...]) -> Page:
    """One page of `queryset` in `order` (which ends with "pk" or "-pk"), after the cursor
    of the query string. Rows inserted between two fetches never shift a page: the next
    one starts after the last row seen, whatever came before it."""
    limit = limit_of(request)
    queryset = queryset.order_by(*order)
    cursor = request.GET.get("cursor")
    if cursor:
        queryset = queryset.filter(_after(order, _decode(cursor, queryset.model, order)))
    rows = list(queryset[: limit + 1])
    next_url = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        query = request.GET.copy()
        query["cursor"] = _encode([getattr(last, name.lstrip("-")) for name in order])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return Page(rows=rows, next_url=next_url, language=translation.get_language())


def last_modified(rows, *, field: str = "updated_at"):
    """The latest change among `rows` (None when they carry no such column)."""
    stamps = [getattr(row, field) for row in rows if getattr(row, field, None) is not None]
    return max(stamps) if stamps else None


# --- the operations: one list per dataset --------------------------------------------------


class ListParams(Schema):
    lang: Literal["es", "pt-br", "en"] | None = Field(
        None, description="Language of the texts (else Accept-Language, else es)."
    )
    cursor: str | None = Field(
        None, max_length=2000, description="Where the page starts: the `next` link's value."
    )
    limit: int = Field(25, ge=1, le=MAX_LIMIT, description="Rows per page.")


class NoFilters(ListParams):
    pass


LIST_RESPONSES = {304: None, 400: s.Problem, 429: s.Problem}


def localized(view):
    """Run `view` in the language asked for; the middleware reads it (and the latest change
    of the rows) from the request for Content-Language, ETag and Last-Modified."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.api_language = language_of(request)
        with translation.override(request.api_language):
            return view(request, *args, **kwargs)

    return wrapper


def list_page(
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
    router: Router,
    path,
    out,
    summary,
    params_class,
    rows,
    order,
    filterset_class=None,
    *,
    modified="updated_at",
):
    """Register on `router` the decorated row builder's list `GET path`: one page of
    `rows()` in `order`, filtered with `params_class` through `filterset_class`, in the
    language asked for; `out` is the row's schema and the builder's docstring the
    operation's."""

    def register(build):
        def view(request, params):
            queryset = rows()
            return list_page(
                request, params, queryset, order, build, filterset_class, modified=modified
            )

        view.__name__ = view.__qualname__ = "list_" + path.strip("/").replace("-", "_")
        view.__doc__ = build.__doc__
        view.__annotations__ = {"params": Query[params_class]}
        page_name = out.__name__.removesuffix("Out") + "Page"
        router.get(
            path,
            response={200: s.page_of(out, page_name), **LIST_RESPONSES},
            summary=summary,
            # The ids of the first published document: clients generated from it keep working.
            operation_id=f"utds_api_views_{view.__name__}",
        )(localized(view))
        return build

    return register


# --- references nested in rows ---------------------------------------------------------------


def absolute_url(request, obj) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


def as_float(number):
    return None if number is None else float(number)


def city_ref(city) -> dict:
    return {"slug": city.slug, "name": city.name, "country": city.country.code}


def term_ref(obj) -> dict:
    return {"slug": obj.slug, "name": obj.name}


def goal_ref(goal) -> dict:
    return {"slug": goal.slug, "code": goal.code, "name": goal.name}


def line_ref(line) -> dict:
    return {"slug": line.slug, "number": line.number, "title": line.title}
