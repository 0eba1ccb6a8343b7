"""OpenAPI operations written out for the parts of the server the resource kit does not serve
(API v1, OAuth, the sandbox admin API, these documentation pages)."""

import re
from typing import Any

from pillbox.api.docs.declarations import EXTENSION, EXTENSION_TAG

V2_ERROR = {
    "type": "object",
    "properties": {"message": {"type": "string"}},
    "required": ["message"],
}


def openapi_path(route_path: str) -> str:
    """A route's path as OpenAPI writes it: `{id:pillbox_id}` and `{name:path}` become `{id}`."""
    return re.sub(r"\{(\w+):[^}]+\}", r"{\1}", route_path)


def path_parameters(path: str) -> list[dict[str, Any]]:
    """Every `{name}` of the path, as a required parameter (ids are integers)."""
    found = []
    for name in re.findall(r"\{(\w+)\}", path):
        is_id = name == "id" or name.endswith("Id")
        schema = {"type": "integer"} if is_id else {"type": "string"}
        found.append({"name": name, "in": "path", "required": True, "schema": schema})
    return found


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def operation(
    path: str,
    summary: str,
    tag: str,
    responses: dict[str, Any],
    *,
    security: list[dict[str, list[str]]],
    extension: bool = False,
    request: dict[str, Any] | None = None,
    description: str | None = None,
    parameters: list[dict[str, Any]] | None = None,
    body_required: bool = True,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "summary": summary,
        "tags": [tag, EXTENSION_TAG] if extension else [tag],
        "parameters": [*path_parameters(path), *(parameters or [])],
        "responses": responses,
        "security": security,
    }
    if description:
        found["description"] = description
    if request is not None:
        found["requestBody"] = {"required": body_required, "content": request}
    if extension:
        found[EXTENSION] = True
    return found


def operation_id(method: str, path: str) -> str:
    """A unique, readable id from the method and path: `post__pillbox_snapshots_name_restore`."""
    return f"{method.lower()}_" + re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")
