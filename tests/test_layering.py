"""Architecture invariant: games <- solver <- cli; typer only in cli; pygambit nowhere."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "equishift"

# package -> equishift subpackages it must not import
FORBIDDEN = {
    "games": {"solver", "recommendations", "cli", "report"},
    "solver": {"recommendations", "cli", "report"},
    "recommendations": {"cli", "report"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    rel = path.relative_to(SRC).parts
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[: len(rel) - node.level])
                mod = ".".join(["equishift", *base, *([node.module] if node.module else [])])
            else:
                mod = node.module or ""
            found.add(mod)
    return found


MODULES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_layering(path: Path) -> None:
    package = path.relative_to(SRC).parts[0]
    mods = imports_of(path)
    for mod in mods:
        assert not mod.startswith("pygambit"), f"{path.name} imports pygambit (test-only oracle)"
        if package != "cli":
            assert not mod.startswith(("typer", "rich")), f"{path.name} imports {mod}"
        for banned in FORBIDDEN.get(package, set()):
            assert not mod.startswith(f"equishift.{banned}"), f"{path.name} imports {mod}"
