"""The package's layers import downward only, in the order the architecture guide states:

    store < domain < wire < api, web < app, cli, worker

`api` and `web` never import each other, and the job worker (with the REST hook deliveries it
runs) never reaches HTTP. A part of the package may always import itself and the foundations.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "pillbox"

# Modules every layer may use: configuration, errors, time, reference data, metrics and logs.
FOUNDATIONS = frozenset(
    {"settings", "errors", "clock", "timestamps", "numbers", "reference", "metrics", "logs"}
)
_READ_MODEL = frozenset({"store", "domain", "wire"})
# Each part of the package (a top-level module or package) -> the parts it may import.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "store": frozenset(),
    "domain": frozenset({"store"}),
    "wire": frozenset({"store", "domain"}),
    "transfer": _READ_MODEL,  # CSV import and export, account archives
    "api": _READ_MODEL | {"transfer"},
    "web": _READ_MODEL,
    "seed": frozenset({"store", "domain"}),  # synthetic data, written through the domain
    "capsule_import": frozenset({"store", "domain", "seed"}),  # Capsule's API into the store
    "deliveries": _READ_MODEL,
    "worker": _READ_MODEL | {"deliveries", "transfer"},
    "app": _READ_MODEL | {"api", "web", "worker", "deliveries", "transfer"},
    "commands": _READ_MODEL
    | {"api", "web", "worker", "deliveries", "app", "seed", "transfer", "capsule_import"},
    "cli": _READ_MODEL
    | {"api", "web", "worker", "deliveries", "app", "seed", "commands", "transfer"},
    "testing": _READ_MODEL | {"app", "api", "cli"},
    "__main__": frozenset({"cli"}),
}
# Third-party packages of HTTP serving, kept out of every layer below it.
HTTP_PACKAGES = ("starlette", "uvicorn", "granian", "jinja2", "httpx")
WITHOUT_HTTP = ("store", "domain", "wire", "seed", "deliveries", "worker", "transfer")


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, `from pillbox import clock` counted as `pillbox.clock`."""
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "pillbox":
                names.update(
                    f"pillbox.{alias.name}"
                    for alias in node.names
                    if (SRC / alias.name).is_dir() or (SRC / f"{alias.name}.py").is_file()
                )
    return names


def part_of(path: Path) -> str:
    """The part of the package a source file belongs to: "api", "worker", …"""
    first = path.relative_to(SRC).parts[0]
    return first.removesuffix(".py")


def parts_imported(path: Path) -> set[str]:
    return {
        name.split(".")[1]
        for name in imported_modules(path)
        if name.startswith("pillbox.") and len(name.split(".")) > 1
    }


def sources(part: str) -> list[Path]:
    package = SRC / part
    return sorted(package.rglob("*.py")) if package.is_dir() else [SRC / f"{part}.py"]


def test_every_part_of_the_package_has_its_place_in_the_order():
    parts = {part_of(path) for path in SRC.rglob("*.py")} - {"__init__"}
    assert parts - FOUNDATIONS <= MAY_IMPORT.keys(), "give the new part its place in MAY_IMPORT"


@pytest.mark.parametrize("part", sorted(FOUNDATIONS))
def test_foundations_import_only_foundations(part):
    offenders = {
        f"{path.relative_to(SRC)} imports pillbox.{name}"
        for path in sources(part)
        if path.exists()
        for name in parts_imported(path) - FOUNDATIONS
    }
    assert not offenders


@pytest.mark.parametrize("part", sorted(MAY_IMPORT))
def test_part_imports_only_the_layers_below_it(part):
    allowed = MAY_IMPORT[part] | FOUNDATIONS | {part}
    offenders = {
        f"{path.relative_to(SRC)} imports pillbox.{name}"
        for path in sources(part)
        if path.exists()
        for name in parts_imported(path) - allowed
    }
    assert not offenders


def test_api_and_web_never_import_each_other():
    assert "web" not in MAY_IMPORT["api"] and "api" not in MAY_IMPORT["web"]


@pytest.mark.parametrize("part", WITHOUT_HTTP)
def test_layers_below_http_never_import_an_http_package(part):
    offenders = {
        f"{path.relative_to(SRC)} imports {name}"
        for path in sources(part)
        if path.exists()
        for name in imported_modules(path)
        if name.split(".")[0] in HTTP_PACKAGES
    }
    assert not offenders


def test_importing_the_worker_loads_no_http_package():
    """The whole import graph, third-party packages included, as Python itself follows it."""
    probe = (
        "import sys, pillbox.worker; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HTTP_PACKAGES!r}"
        " or m.startswith('pillbox.api')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


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
