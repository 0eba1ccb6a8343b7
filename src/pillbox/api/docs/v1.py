"""API v1 in the OpenAPI document: every route of api/v1, with its XML and JSON bodies."""

from types import ModuleType
from typing import Any

from pillbox.api.docs.operations import operation, operation_id
from pillbox.api.v1.routes import PREFIX, RESOURCES

TAG_PREFIX = "v1 "
DESCRIPTION = (
    "Capsule's legacy API, over the same records and rules as v2. HTTP Basic: a personal API "
    "token as the user name, any password. Bodies are XML (`application/xml`, the default) or "
    "JSON (`application/json`): a request's `Content-Type` says which it sends, its `Accept` "
    "which it wants back. Elements and their order follow Capsule's v1 reference."
)
_DOCUMENT = {
    "application/xml": {"schema": {"type": "string", "description": "An XML document."}},
    "application/json": {"schema": {"type": "object"}},
}
_VERBS = {"GET": "Read", "POST": "Add", "PUT": "Change", "DELETE": "Remove"}


def _tag(module: ModuleType) -> str:
    return TAG_PREFIX + module.__name__.rsplit(".", 1)[1].replace("_", " ")


def tags() -> list[dict[str, str]]:
    return [
        {"name": _tag(module), "description": f"{(module.__doc__ or '').strip()}\n\n{DESCRIPTION}"}
        for module in RESOURCES
    ]


def _summary(method: str, path: str, handler: Any) -> str:
    doc = (getattr(handler, "__doc__", None) or "").strip()
    return doc.split("\n", 1)[0] if doc else f"{_VERBS[method]} {path.lstrip('/')}"


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every v1 route."""
    found = []
    for module in RESOURCES:
        for method, route_path, handler in module.routes():
            path = PREFIX + route_path.replace(":path}", "}")
            responses: dict[str, Any] = {
                "2XX": {"description": "Done; a document when there is one", "content": _DOCUMENT},
                "4XX": {"description": "Refused, in v1's format", "content": _DOCUMENT},
            }
            item = operation(
                path,
                _summary(method, path, handler),
                _tag(module),
                responses,
                security=[{"basic": []}],
                request=_DOCUMENT if method in ("POST", "PUT") else None,
                body_required=False,  # some (adding a tag by name) take none
            )
            item["operationId"] = operation_id(method, path)
            found.append((method, path, item))
    return found
