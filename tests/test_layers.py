"""The two doors, the HTML pages (heritage.web) and the JSON API (heritage.api), stand side
by side on the services: neither imports the other, so what both need lives below both."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import heritage

PACKAGE = Path(heritage.__file__).parent


def imported_modules(source: str, package: str) -> set[str]:
    """Every module `source` imports, at its top or inside a function, as absolute names
    (`package` is the dotted package the source lives in, for relative imports)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def imports_of(door: str, other: str) -> dict[str, list[str]]:
    """The modules of heritage.`door` that import heritage.`other`, with what they import."""
    forbidden = f"heritage.{other}"
    offenders = {}
    for path in sorted((PACKAGE / door).rglob("*.py")):
        package = ".".join(path.parent.relative_to(PACKAGE.parent).parts)
        names = imported_modules(path.read_text(), package)
        bad = sorted(n for n in names if n == forbidden or n.startswith(f"{forbidden}."))
        if bad:
            offenders[str(path.relative_to(PACKAGE.parent))] = bad
    return offenders


@pytest.mark.parametrize(("door", "other"), [("web", "api"), ("api", "web")])
def test_a_door_does_not_import_the_other(door, other):
    assert imports_of(door, other) == {}


@pytest.mark.parametrize(
    "source",
    [
        "import heritage.api.errors",
        "from heritage.api import errors",
        "from heritage import api",
        "from .. import api",
        "from ..api.errors import problem",
        "def late():\n    from heritage.api.errors import problem\n",
    ],
)
def test_every_form_of_import_is_seen(source):
    """The check above would pass vacuously if the reader missed a form of import."""
    names = imported_modules(source, "heritage.web")
    assert any(n == "heritage.api" or n.startswith("heritage.api.") for n in names)
