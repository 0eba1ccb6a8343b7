"""The sandbox admin API (/_pillbox/, served by `pillbox serve --sandbox` only) in the OpenAPI
document: a Pillbox extension throughout, described after each module's own documentation."""

from types import ModuleType
from typing import Any

from pillbox.api.docs.operations import V2_ERROR, json_content, operation, operation_id
from pillbox.api.sandbox.routes import MODULES, PREFIX

TAG_PREFIX = "Sandbox "
DESCRIPTION = (
    "Served only by a sandbox server (`pillbox serve --sandbox`); elsewhere these paths are 404. "
    "Every endpoint but opening an account acts on the account of its Bearer token."
)
SUMMARIES = {
    ("POST", "/accounts"): "Open a new account and get a token for it (no token needed)",
    ("POST", "/reset"): "Empty the caller's account back to how a new one starts",
    ("POST", "/fork"): "Copy the caller's account into a new one",
    ("POST", "/users"): "Add a user to the account, with a write token",
    ("POST", "/tokens"): "Make a personal token for a user of the account",
    ("POST", "/apps"): "Register an OAuth app in the account",
    ("GET", "/snapshots"): "List the account's snapshots",
    ("POST", "/snapshots"): "Save a snapshot of the account under a name",
    ("POST", "/snapshots/{name}/restore"): "Put the account back as a snapshot holds it",
    ("DELETE", "/snapshots/{name}"): "Delete a snapshot",
    ("GET", "/clock"): "Read the sandbox's clock",
    ("PUT", "/clock"): "Set the clock to a moment, running or frozen",
    ("DELETE", "/clock"): "Go back to real time",
    ("POST", "/clock/advance"): "Move the clock on",
    ("GET", "/ids"): "Read the account's id seed",
    ("PUT", "/ids"): "Number the account's new rows from a seed",
    ("DELETE", "/ids"): "Stop seeding ids",
    ("GET", "/strict"): "Read the account's strict mode",
    ("PUT", "/strict"): "Set strict mode: what Capsule would not accept is told or refused",
    ("GET", "/journal"): "The account's latest API requests",
    ("DELETE", "/journal"): "Empty the request journal",
    ("GET", "/faults"): "List the fault rules",
    ("POST", "/faults"): "Add a fault rule (fail, slow down, drop or hold back requests)",
    ("DELETE", "/faults"): "Remove every fault rule",
    ("DELETE", "/faults/{id}"): "Remove a fault rule",
    ("POST", "/jobs/release"): "Release every job a fault rule held back",
    ("POST", "/jobs/{id}/release"): "Release one held job",
}
_ANY = json_content({"type": "object"})
_RESPONSES = {
    "2XX": {"description": "Done; a JSON document when there is one", "content": _ANY},
    "4XX": {"description": "Refused, in v2's error format", "content": json_content(V2_ERROR)},
}


def _tag(module: ModuleType) -> str:
    return TAG_PREFIX + module.__name__.rsplit(".", 1)[1]


def tags() -> list[dict[str, str]]:
    return [
        {"name": _tag(module), "description": f"{(module.__doc__ or '').strip()}\n\n{DESCRIPTION}"}
        for module in MODULES
    ]


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every sandbox route."""
    found = []
    for module in MODULES:
        for method, route_path, _handler in module.routes():
            path = route_path.replace(":int}", "}")
            opens = (method, path) == ("POST", "/accounts")
            # A route without a summary is still documented (tests/api/test_docs.py asks for one).
            summary = SUMMARIES.get((method, path), f"{method} {PREFIX}{path}")
            item = operation(
                PREFIX + path,
                summary,
                _tag(module),
                _RESPONSES,
                security=[] if opens else [{"bearer": []}],
                extension=True,
                request=_ANY if method in ("POST", "PUT") else None,
                body_required=False,
            )
            item["operationId"] = operation_id(method, PREFIX + path)
            found.append((method, PREFIX + path, item))
    return found
