"""Every field of every response schema in the OpenAPI document, nested ones included, is
on the committed allow-list (tests/api/allowed_fields.txt), and no object is untyped: a new
field, or a private one, cannot reach the API without someone adding it here on purpose."""

from pathlib import Path

import pytest

ALLOWED = Path(__file__).with_name("allowed_fields.txt")

pytestmark = pytest.mark.django_db


def _walk(schema, components, path, found, seen):
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if (name, path) in seen:
            return
        seen.add((name, path))
        _walk(components[name], components, path, found, seen)
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            _walk(part, components, path, found, seen)
    if "items" in schema:
        _walk(schema["items"], components, f"{path}[]", found, seen)
    if schema.get("type") == "object" or "properties" in schema:
        assert schema.get("properties"), f"{path}: an object with no declared fields"
        assert not schema.get("additionalProperties"), f"{path}: an untyped mapping"
        for name, field in schema["properties"].items():
            found.add(f"{path}.{name}")
            _walk(field, components, f"{path}.{name}", found, seen)
    if not schema.get("type") and not any(
        key in schema for key in ("$ref", "anyOf", "oneOf", "allOf", "enum", "const")
    ):
        raise AssertionError(f"{path}: a value of no declared type")


def response_fields(document) -> set[str]:
    components = document["components"]["schemas"]
    found = set()
    for route, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                for media in answer.get("content", {}).values():
                    _walk(
                        media["schema"],
                        components,
                        f"{method.upper()} {route} {status}",
                        found,
                        set(),
                    )
    return found


def test_every_response_field_is_on_the_allow_list(client):
    document = client.get("/api/v1/openapi.json").json()
    found = response_fields(document)
    allowed = {
        line.strip()
        for line in ALLOWED.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert found - allowed == set(), "fields not on the allow-list"
    assert allowed - found == set(), "allow-list entries no schema has any more"


def test_no_field_names_a_private_thing(client):
    document = client.get("/api/v1/openapi.json").json()
    words = (
        "email",
        "e_mail",
        "contact",
        "delegate",
        "focal",
        "coordinator",
        "registration",
        "application",
        "draft",
        "review",
        "audience",
        "phone",
        "author",
    )
    for field in response_fields(document):
        last = field.rsplit(".", 1)[-1].lower()
        if last == "registration_open":  # whether the event takes registrations: public
            continue
        assert not any(word in last for word in words), field
