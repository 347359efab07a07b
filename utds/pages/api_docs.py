"""The open API's pages for people: a short guide to using it and the reference of every
operation, both rendered on the server from the API's own OpenAPI document (no script, so
the portal's strict Content-Security-Policy holds)."""

import functools
import json
import re
from dataclasses import dataclass

from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from utds.api.v1 import api

API_ROOT = "/api/v1"
CODE_SPAN = re.compile(r"`([^`]+)`")
# Each list's name in the page's language, by its path below /api/v1/.
DATASETS = {
    "cities": _("Member cities"),
    "practices": _("Published practices"),
    "transfers": _("Practice transfers"),
    "themes": _("Themes"),
    "goals": _("Development goals"),
    "crc-articles": _("Articles of the Convention on the Rights of the Child"),
    "social-problems": _("Social problems"),
    "indicators": _("Indicators"),
    "city-problems": _("Social problems by city"),
    "indicator-values": _("Indicator values"),
    "events": _("Events"),
    "funding-calls": _("Funding calls"),
    "news": _("News"),
    "plans": _("Work plans"),
}


@dataclass(frozen=True)
class Field:
    """A parameter or a field of a row: its name, its type in JSON terms, what it means."""

    name: str
    type: str
    description: str
    example: str = ""


@dataclass(frozen=True)
class Operation:
    anchor: str
    summary: str
    path: str
    description: str
    parameters: list[Field]
    fields: list[Field]
    responses: list[tuple[str, str]]
    example: str

    @property
    def name(self) -> str:
        return DATASETS[self.anchor]


def with_code(text: str) -> str:
    """The document's prose with its `code spans` as <code>, everything else escaped."""
    return mark_safe(CODE_SPAN.sub(r"<code>\1</code>", escape(" ".join(text.split()))))  # noqa: S308  # nosec B308 B703


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def type_name(schema: dict, components: dict) -> str:
    """`string`, `integer[]`, `"open" | "closed"`, `object`, with ` | null` when optional."""
    schema = _resolve(schema, components)
    if "anyOf" in schema:
        return " | ".join(type_name(part, components) for part in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(json.dumps(value, ensure_ascii=False) for value in schema["enum"])
    if schema.get("type") == "array":
        return type_name(schema["items"], components) + "[]"
    kind = schema.get("type", "object")
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _nested(schema: dict, components: dict) -> dict | None:
    """The object a field holds (directly, in a list or when not null), if any."""
    schema = _resolve(schema, components)
    for part in schema.get("anyOf", []):
        found = _nested(part, components)
        if found:
            return found
    if schema.get("type") == "array":
        return _nested(schema["items"], components)
    return schema if "properties" in schema else None


def example_of(schema: dict) -> str:
    """The schema's first example (of its non-null part when it may be null), as JSON."""
    examples = schema.get("examples") or [
        example for part in schema.get("anyOf", []) for example in part.get("examples", [])
    ]
    if not examples:
        return ""
    example = examples[0]
    return example if isinstance(example, str) else json.dumps(example, ensure_ascii=False)


def row_fields(schema: dict, components: dict, prefix: str = "") -> list[Field]:
    """Every field of a row, nested objects' fields named with dots (`city.slug`) and
    lists' with brackets (`themes[].name`)."""
    fields = []
    for name, field in schema["properties"].items():
        resolved = _resolve(field, components)
        is_list = resolved.get("type") == "array"
        fields.append(
            Field(
                prefix + name,
                type_name(field, components),
                with_code(field.get("description", "")),
                example_of(field),
            )
        )
        inner = _nested(field, components)
        if inner:
            fields += row_fields(inner, components, f"{prefix}{name}{'[]' if is_list else ''}.")
    return fields


@functools.cache
def operations() -> list[Operation]:
    """The document's operations in its order, with their parameters, the fields of their
    rows and their answers (the same for every request: built once per process)."""
    document = api.get_openapi_schema(path_prefix=API_ROOT)
    components = document["components"]["schemas"]
    found = []
    for path, methods in document["paths"].items():
        operation = methods["get"]
        # Status codes are integers in the document as built, strings once it is JSON.
        responses = {str(status): answer for status, answer in operation["responses"].items()}
        parameters = [
            Field(
                parameter["name"],
                type_name(parameter["schema"], components),
                with_code(parameter.get("description", "")),
                example_of(parameter["schema"]),
            )
            for parameter in operation["parameters"]
        ]
        page = _resolve(responses["200"]["content"]["application/json"]["schema"], components)
        row = _resolve(page["properties"]["results"]["items"], components)
        examples = [f"{field.name}={field.example}" for field in parameters if field.example]
        found.append(
            Operation(
                anchor=path.removeprefix(API_ROOT + "/"),
                summary=operation["summary"],
                path=path,
                description=with_code(operation.get("description", "")),
                parameters=parameters,
                fields=row_fields(row, components),
                responses=[(status, answer["description"]) for status, answer in responses.items()],
                example=path + ("?" + examples[0] if examples else ""),
            )
        )
    return found


@require_safe
def guide(request):
    """How to use the open API: addresses, pages, language, filters, caching, with curl and
    Python examples."""
    context = {
        "api_root": request.build_absolute_uri(API_ROOT + "/"),
        "operations": operations(),
    }
    return render(request, "pages/api_guide.html", context)


@require_safe
def reference(request):
    """Every operation of the open API with its parameters, the fields of its rows, its
    answers and an example request."""
    context = {
        "origin": request.build_absolute_uri("/").rstrip("/"),
        "operations": operations(),
    }
    return render(request, "pages/api_reference.html", context)
