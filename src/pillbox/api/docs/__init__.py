"""The API's documentation: one OpenAPI document of everything the server serves, and a page
that shows it (`/api/docs`, Swagger UI from a vendored copy, no outside requests).

API v2 comes from the resource kit's declarations (api/docs/declarations.py); API v1, OAuth, the
sandbox admin API, the operator endpoints and these pages are described beside their route
lists (v1.py, oauth.py, sandbox.py, health.py), built from those lists so a route cannot be
left out. What Pillbox serves beyond
Capsule's API carries `x-pillbox-extension: true` and the "Pillbox extensions" tag.
"""

from functools import cache
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox import __version__
from pillbox.api import v2
from pillbox.api.docs import health, oauth, sandbox, v1
from pillbox.api.docs.declarations import EXTENSION_TAG, openapi_document
from pillbox.api.docs.operations import json_content, operation, operation_id
from pillbox.api.docs.v2_tags import V2_TAGS
from pillbox.api.kit.responses import JSONResponse
from pillbox.errors import NotFound

V2_PREFIX = "/api/v2"
DOCUMENT_PATH = f"{V2_PREFIX}/openapi.json"
PAGE_PATH = "/api/docs"
STATIC_PATH = f"{PAGE_PATH}/static"
# The files the page loads, by name, with their media type.
STATIC_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "docs.js": "text/javascript",
}
DESCRIPTION = (
    "Pillbox speaks Capsule CRM's API: v2 (JSON, Bearer tokens) under `/api/v2`, v1 (XML or "
    "JSON, HTTP Basic) under `/api`, and OAuth 2.0 for apps. A program written for Capsule's "
    "API works against Pillbox by changing its base URL and token. Operations tagged "
    f'"{EXTENSION_TAG}" (and marked `x-pillbox-extension: true`) are Pillbox\'s own.'
)
_DOCS_TAG = "Documentation"


def _static(name: str) -> bytes:
    return resources.files("pillbox.api").joinpath("docs_static", name).read_bytes()


def _documentation_operations() -> list[tuple[str, str, dict[str, Any]]]:
    pages = [
        (DOCUMENT_PATH, "This OpenAPI document", json_content({"type": "object"})),
        (PAGE_PATH, "The API documentation, to read in a browser", {"text/html": {}}),
        (f"{STATIC_PATH}/{{name}}", "A file of the documentation page", {"text/plain": {}}),
    ]
    found = []
    for path, summary, content in pages:
        responses = {"200": {"description": summary, "content": content}}
        if "{name}" in path:
            responses["404"] = {"description": "No such file"}
        item = operation(path, summary, _DOCS_TAG, responses, security=[], extension=True)
        item["operationId"] = operation_id("GET", path)
        found.append(("GET", path, item))
    return found


def _tags(document: dict[str, Any]) -> list[dict[str, str]]:
    described = {f: V2_TAGS[f] for f in sorted(V2_TAGS)}
    used = {tag for item in _operations(document) for tag in item.get("tags", [])}
    tags = [{"name": name, "description": text} for name, text in described.items()]
    tags += [*v1.tags(), {"name": oauth.TAG, "description": oauth.DESCRIPTION}, *sandbox.tags()]
    tags.append({"name": health.TAG, "description": health.DESCRIPTION})
    tags += [
        {"name": _DOCS_TAG, "description": "This document and the page that shows it."},
        {"name": EXTENSION_TAG, "description": "What Pillbox serves beyond Capsule's API."},
    ]
    return [tag for tag in tags if tag["name"] in used]


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for path in document["paths"].values() for item in path.values()]


@cache
def openapi() -> dict[str, Any]:
    """The whole document: a function of the code alone, so built once, when first asked for
    (building it takes longer than creating the rest of an application)."""
    document = openapi_document(v2.endpoints(), V2_PREFIX, __version__)
    paths: dict[str, dict[str, Any]] = document["paths"]
    others = [
        *v1.operations(),
        *oauth.operations(),
        *sandbox.operations(),
        *health.operations(),
        *_documentation_operations(),
    ]
    for method, path, item in others:
        paths.setdefault(path, {})[method.lower()] = item
    document["info"] = {"title": "Pillbox API", "version": __version__, "description": DESCRIPTION}
    document["components"]["securitySchemes"].update(
        basic={"type": "http", "scheme": "basic", "description": "API v1: the token as user."},
        clientBasic={"type": "http", "scheme": "basic", "description": "OAuth client id/secret."},
    )
    document["tags"] = _tags(document)
    return document


async def show_document(_request: Request) -> Response:
    return JSONResponse(openapi())


async def show_page(_request: Request) -> Response:
    return Response(_static("docs.html"), media_type="text/html")


async def show_static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC_FILES:
        raise NotFound()
    return Response(
        _static(name),
        media_type=STATIC_FILES[name],
        headers={"Cache-Control": "public, max-age=86400"},
    )


def docs_routes() -> list[Route]:
    return [
        Route(DOCUMENT_PATH, show_document, methods=["GET"]),
        Route(PAGE_PATH, show_page, methods=["GET"]),
        Route(STATIC_PATH + "/{name}", show_static, methods=["GET"]),
    ]
