"""The unit app is on the ground floor: none of its modules imports another domain app or the
portal pages (relations to cities and events go through model labels and foreign keys)."""

import ast
from pathlib import Path

import pytest

import unit

UNIT_DIR = Path(unit.__file__).resolve().parent
FORBIDDEN = ("cities", "mapping", "experiences", "events", "utds.pages")


def unit_modules() -> list[Path]:
    return sorted(
        path
        for path in UNIT_DIR.rglob("*.py")
        if "migrations" not in path.relative_to(UNIT_DIR).parts
    )


def package_of(path: Path) -> str:
    return ".".join(("unit", *path.relative_to(UNIT_DIR).parent.parts))


def imported_names(source: str, package: str) -> list[str]:
    """Every module an `import` or `from … import` names, relative imports resolved."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(filter(None, [*base, node.module or ""]))
            else:
                module = node.module or ""
            names.append(module)
            # `from utds import pages` names utds.pages as much as `import utds.pages` does
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names


def is_forbidden(name: str) -> bool:
    return any(name == banned or name.startswith(f"{banned}.") for banned in FORBIDDEN)


def test_the_unit_app_has_modules_to_check():
    names = {path.name for path in unit_modules()}
    assert {"models.py", "views.py", "permissions.py", "queries.py"} <= names
    assert not any("migrations" in path.parts for path in unit_modules())


@pytest.mark.parametrize("path", unit_modules(), ids=lambda path: str(path.relative_to(UNIT_DIR)))
def test_unit_module_imports_no_other_domain_app(path):
    source = path.read_text(encoding="utf-8")
    offending = [name for name in imported_names(source, package_of(path)) if is_forbidden(name)]
    assert offending == [], f"{path.relative_to(UNIT_DIR)} imports {offending}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import cities.models", True),
        ("from events.models import Event", True),
        ("from utds import pages", True),
        ("from utds.pages.unit import about", True),
        ("import mapping", True),
        ("from experiences import queries", True),
        ("from core.text import render_markdown", False),
        ("from accounts.permissions import is_secretariat", False),
        ("from .models import Document", False),
        ("import citiesx", False),
        ("def f():\n    from cities.models import City", True),
    ],
)
def test_the_check_recognises_forbidden_imports(source, expected):
    assert any(is_forbidden(name) for name in imported_names(source, "unit")) is expected


def test_relative_imports_are_resolved_from_their_package():
    names = imported_names("from ...models import Document", "unit.management.commands")
    assert "unit.models" in names
