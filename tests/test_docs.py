"""The documentation agrees with the code: the API coverage table with the routes served, the
configuration table with the settings, the command table with the CLI's commands, the sandbox
page with the admin API's routes, the pytest plugin's table with its `capsule` handle; and every
link between the pages leads to a file and a heading that exist.

Each table is found by its header wherever it lives, README.md or a page under docs/.
"""

import re
from pathlib import Path
from typing import Any

import pytest
import typer
from starlette.routing import BaseRoute, Route

from pillbox.api.oauth import oauth_routes
from pillbox.api.routes import api_routes
from pillbox.api.sandbox.routes import sandbox_routes
from pillbox.cli import app as cli_app
from pillbox.settings import Settings
from pillbox.testing.accounts import AccountAccess
from pillbox.testing.client import Capsule

ROOT = Path(__file__).parent.parent
V2_PREFIX = "/api/v2"
# Paths outside API v2 that the coverage table writes out whole.
WHOLE_PATHS = ("/api/", "/oauth/", "/.well-known/")
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def tables(*header: str) -> list[list[list[str]]]:
    """The rows (cells, stripped) of every table whose header row is `header`, README.md's
    first, then docs/*.md's in name order."""
    found = []
    for path in documents():
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if _cells(line) == list(header) and number + 1 < len(lines):
                found.append(tables_from(lines, number))
    return found


def table(*header: str) -> list[list[str]]:
    """The rows of the one table whose header row is `header`."""
    found = tables(*header)
    assert len(found) == 1, f"one table headed {header!r} in README.md and docs/*.md"
    return found[0]


def tables_from(lines: list[str], number: int) -> list[list[str]]:
    """The rows of the table whose header row is line `number`."""
    body = []
    for row in lines[number + 2 :]:
        if not row.startswith("|"):
            break
        body.append(_cells(row))
    return body


def _cells(line: str) -> list[str]:
    if not line.startswith("|"):
        return []
    # `\|` inside a cell is a literal bar (`--scope read\|write`).
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]


# -- the API coverage table -----------------------------------------------------------------------


def _expand(path: str) -> list[str]:
    """`/{parties,kases}/tags` -> `/parties/tags`, `/kases/tags` (a brace list of names)."""
    match = re.search(r"\{([a-z]+(?:,[a-z]+)+)\}", path)
    if match is None:
        return [path]
    return [
        expanded
        for name in match.group(1).split(",")
        for expanded in _expand(path[: match.start()] + name + path[match.end() :])
    ]


def _shape(path: str) -> str:
    """A path with every parameter written `{}`, without a query: `/parties/{}`."""
    return re.sub(r"\{[^}]*\}", "{}", path.split("?")[0])


def _whole(path: str, earlier: list[str]) -> str:
    """`/…/definitions/{id}` after `/{…}/fields/definitions` -> `/{…}/fields/definitions/{id}`:
    the ellipsis stands for what comes before the same segment in the cell's first path, or
    for that path's first segment."""
    if not path.startswith("/…"):
        return path
    rest = path.removeprefix("/…")
    first = earlier[0]
    segment = rest.split("/")[1]
    cut = first.find(f"/{segment}")
    prefix = first[:cut] if cut > 0 else "/" + first.split("/")[1]
    return prefix + rest


def documented_routes() -> set[tuple[str, str]]:
    """(method, path shape) of every `METHOD[/METHOD…] /path` the coverage table names."""
    routes: set[tuple[str, str]] = set()
    for cells in table("area", "endpoints", "status"):
        earlier: list[str] = []
        for span in re.findall(r"`([^`]+)`", cells[1]):
            match = re.fullmatch(r"((?:[A-Z]+/)*[A-Z]+) (/\S*)", span)
            if match is None or not set(match.group(1).split("/")) <= set(METHODS):
                continue
            path = _whole(match.group(2), earlier)
            earlier.append(path)
            if not path.startswith(WHOLE_PATHS):
                path = V2_PREFIX + path
            for method in match.group(1).split("/"):
                routes.update((method, _shape(p)) for p in _expand(path))
    return routes


def _flatten(routes: list[BaseRoute]) -> list[Route]:
    flat: list[Route] = []
    for route in routes:
        inner = getattr(route, "routes", None)
        if inner is not None:
            flat.extend(_flatten(inner))
        elif isinstance(route, Route):
            flat.append(route)
    return flat


@pytest.fixture(scope="module")
def served() -> set[tuple[str, str]]:
    """(method, path shape) of every route the application serves, sandbox included."""
    return {
        (method, _shape(route.path))
        for route in _flatten([*oauth_routes(), *api_routes(), *sandbox_routes()])
        for method in route.methods or ()
        if method != "HEAD"
    }


def test_every_endpoint_the_coverage_table_names_is_served(served):
    assert documented_routes() - served == set()


def test_every_v2_endpoint_is_in_the_coverage_table(served):
    v2 = {
        (method, path)
        for method, path in served
        if path.startswith(V2_PREFIX + "/") and path != V2_PREFIX + "/openapi.json"
    }
    assert v2 - documented_routes() == set()


def test_the_coverage_table_names_the_v1_endpoints_it_covers(served):
    """v1 is summarised in one row; what that row names with its method must be served."""
    v1 = {(method, path) for method, path in documented_routes() if path.startswith("/api/")}
    v1 -= {(m, p) for m, p in v1 if p.startswith(V2_PREFIX)}
    assert len(v1) > 20
    assert v1 <= served


# -- the configuration table ----------------------------------------------------------------------


def _variables() -> dict[str, str]:
    """Each documented variable (`PILLBOX_X`) and its documented default cell."""
    return {cells[0].strip("`"): cells[1] for cells in table("variable", "default", "meaning")}


def test_every_setting_is_in_the_configuration_table():
    documented = _variables()
    assert {f"PILLBOX_{name.upper()}" for name in Settings.model_fields} <= documented.keys()


def test_every_variable_of_the_configuration_table_is_a_setting():
    names = {f"PILLBOX_{name.upper()}" for name in Settings.model_fields}
    assert _variables().keys() <= names


def _same_default(documented: str, default: object) -> bool:
    if isinstance(default, bool):
        return documented == str(default).lower()
    if isinstance(default, int | float):
        return float(documented) == float(default)
    return documented == str(default)


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_the_configuration_table_gives_each_literal_default(name):
    """A default written as code (`4000`) is the setting's own; prose ("unset") is not checked."""
    cell = _variables()[f"PILLBOX_{name.upper()}"]
    literal = re.fullmatch(r"`([^`]*)`", cell)
    default = Settings.model_fields[name].default
    if literal is None:
        assert default is None or not isinstance(default, int | float | bool), cell
        return
    assert _same_default(literal.group(1), default), (cell, default)


# -- the command table ----------------------------------------------------------------------------


def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    """Every command under a click group, by its words: "users create"."""
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found.update(_commands(command, f"{prefix}{name} "))
        else:
            found[prefix + name] = command
    return found


GROUP = typer.main.get_group(cli_app)
COMMANDS = _commands(GROUP)
COMMAND_TABLE = ("command", "what it does")


def _documented_commands(rows: list[list[str]]) -> dict[str, str]:
    """Each row's command (`pillbox users create`; "" for `pillbox --version`, an option of
    `pillbox` itself) and its usage; a cell naming two commands gives both."""
    found: dict[str, str] = {}
    for cells in rows:
        for usage in re.findall(r"`(pillbox[^`]*)`", cells[0]):
            words = usage.removeprefix("pillbox").split()
            name = " ".join(w for w in words[:2] if re.fullmatch(r"[a-z][a-z-]*", w))
            name = name if name in COMMANDS or not name else name.split()[0]
            found[name] = usage
    return found


def _cli_command_table() -> list[list[str]]:
    """docs/cli.md has the command table, every command; another page may repeat some of its
    rows in more detail (docs/data.md)."""
    lines = (ROOT / "docs" / "cli.md").read_text().splitlines()
    found = [
        tables_from(lines, n) for n, line in enumerate(lines) if _cells(line) == list(COMMAND_TABLE)
    ]
    assert len(found) == 1, "one command table in docs/cli.md"
    return found[0]


DOCUMENTED_USAGES = [
    (name, usage)
    for rows in tables(*COMMAND_TABLE)
    for name, usage in _documented_commands(rows).items()
]


def test_every_command_is_in_the_command_table():
    assert COMMANDS.keys() <= _documented_commands(_cli_command_table()).keys()


def test_every_command_of_a_command_table_exists():
    assert {name for name, _ in DOCUMENTED_USAGES} <= {"", *COMMANDS}


@pytest.mark.parametrize(("name", "usage"), DOCUMENTED_USAGES)
def test_the_options_a_command_table_shows_exist(name, usage):
    command = COMMANDS[name] if name else GROUP
    options = {opt for param in command.params for opt in param.opts}
    assert set(re.findall(r"--[a-z][a-z-]*", usage)) <= options


# -- the sandbox's admin API ----------------------------------------------------------------------

SANDBOX_PAGE = ROOT / "docs" / "sandbox.md"


def _documented_admin_routes() -> set[tuple[str, str]]:
    """(method, path shape) of every `METHOD /_pillbox/…` the sandbox page names."""
    spans = re.findall(r"`((?:[A-Z]+/)*[A-Z]+) (/_pillbox/[^`\s]*)`", SANDBOX_PAGE.read_text())
    return {(method, _shape(path)) for methods, path in spans for method in methods.split("/")}


def _admin_routes() -> set[tuple[str, str]]:
    return {
        (method, _shape(route.path))
        for route in _flatten(sandbox_routes())
        for method in route.methods or ()
        if method != "HEAD"
    }


def test_every_admin_endpoint_the_sandbox_page_names_is_served():
    assert _documented_admin_routes() - _admin_routes() == set()


def test_every_admin_endpoint_is_on_the_sandbox_page():
    assert _admin_routes() - _documented_admin_routes() == set()


# -- the pytest plugin's `capsule` handle ---------------------------------------------------------

# Called by the fixture itself when the test ends, never by a test.
UNDOCUMENTED_HANDLE = {"close"}


def _documented_handle_names() -> set[str]:
    """The names the `capsule.…` table gives: `kase(name, party=, **props)` (alias `project`)
    gives kase and project."""
    names: set[str] = set()
    for cells in table("`capsule.…`", "what it is"):
        for span in re.findall(r"`([a-z_]+)", cells[0]):
            names.add(span)
    return names


def _handle() -> Capsule:
    return Capsule("http://127.0.0.1:1", AccountAccess(account_id=1, name="a", token="t"))


def test_every_name_of_the_plugin_table_is_on_the_handle():
    handle = _handle()
    assert {name for name in _documented_handle_names() if not hasattr(handle, name)} == set()


def test_every_public_method_of_the_handle_is_in_the_plugin_table():
    public = {
        name
        for name, value in vars(Capsule).items()
        if not name.startswith("_") and callable(value)
    }
    assert public - UNDOCUMENTED_HANDLE - _documented_handle_names() == set()


# -- links between the pages ----------------------------------------------------------------------


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to `-`."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def _links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return [
        target
        for target in re.findall(r"\]\(([^)\s]+)\)", text)
        if not re.match(r"[a-z]+:", target)
    ]


@pytest.mark.parametrize("page", documents(), ids=lambda page: page.name)
def test_every_link_of_a_page_leads_to_a_file_and_heading_that_exist(page):
    broken = []
    for link in _links(page):
        name, _, anchor = link.partition("#")
        target = (page.parent / name).resolve() if name else page
        if not target.exists() or (anchor and anchor not in _anchors(target)):
            broken.append(link)
    assert broken == []
