"""What operators see in the OpenAPI document: /_health, /_ready and /_metrics (api/operations),
a Pillbox extension each."""

from typing import Any

from pillbox.api.docs.operations import json_content, operation, operation_id
from pillbox.api.operations import operations_routes

TAG = "Operations"
DESCRIPTION = (
    "For load balancers and monitoring: no token, no account data. `/_metrics` is served only "
    "when PILLBOX_METRICS is set, behind PILLBOX_METRICS_TOKEN (a Bearer token) when that is."
)
_STATUS = json_content({"type": "object", "properties": {"status": {"type": "string"}}})
OPERATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "/_health": ("The process answers", {"200": {"description": "Up", "content": _STATUS}}),
    "/_ready": (
        "The server can serve: database reachable, schema at the latest migration, files reachable",
        {
            "200": {"description": "Ready, with each check", "content": _STATUS},
            "503": {"description": "Not ready, with each check", "content": _STATUS},
        },
    ),
    "/_metrics": (
        "Prometheus metrics (text format)",
        {
            "200": {"description": "The metrics", "content": {"text/plain": {}}},
            "401": {"description": "The metrics token is missing or wrong"},
        },
    ),
}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every operator route (metrics included)."""
    found = []
    for route in operations_routes(with_metrics=True):
        path: str = getattr(route, "path")  # noqa: B009 (BaseRoute declares no path)
        summary, responses = OPERATIONS.get(path, (f"GET {path}", {"200": {"description": "OK"}}))
        security: list[dict[str, list[str]]] = [{"bearer": []}, {}] if path == "/_metrics" else []
        item = operation(path, summary, TAG, responses, security=security, extension=True)
        item["operationId"] = operation_id("GET", path)
        found.append(("GET", path, item))
    return found
