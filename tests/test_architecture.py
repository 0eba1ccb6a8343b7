"""Layers import downward only: api/cli -> domain -> store; store imports neither."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "pillbox"
FORBIDDEN = {
    "store": ("pillbox.api", "pillbox.domain", "pillbox.cli", "pillbox.app"),
    "domain": ("pillbox.api", "pillbox.cli", "pillbox.app"),
    "web": ("pillbox.api", "pillbox.cli", "pillbox.app", "pillbox.worker"),
    "api": ("pillbox.web", "pillbox.cli"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_does_not_import_layers_above_it(layer):
    offenders = {
        f"{path.relative_to(SRC)} imports {name}"
        for path in (SRC / layer).rglob("*.py")
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN[layer])
    }
    assert not offenders


def test_no_orm_and_no_fastapi():
    for path in SRC.rglob("*.py"):
        names = imported_modules(path)
        assert not any(n.startswith(("sqlalchemy.orm", "fastapi")) for n in names), path


def test_every_module_opens_with_a_docstring():
    missing = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.stat().st_size and ast.get_docstring(ast.parse(path.read_text())) is None
    ]
    assert not missing
