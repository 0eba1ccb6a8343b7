"""API v1 over HTTP: content negotiation and the wire forms of answers.

- The answer is JSON when `Accept` names `application/json`, XML otherwise (missing, `*/*`,
  `text/xml`, …).
- Creates answer `201` with an empty body and an absolute `Location` ending in the new id;
  updates and deletes answer `200` with an empty body. An empty body has no `Content-Type`:
  clients decide from that header whether to parse one.
- Errors are raised as everywhere else and answered in v1's manner by api/errors.py.
"""

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.errors import V1_JSON as JSON
from pillbox.api.errors import wants_json
from pillbox.api.kit.paging import base_url
from pillbox.api.kit.params import record_id
from pillbox.api.v1.documents import Element, read, to_json, to_xml

XML = "application/xml; charset=UTF-8"

Handler = Callable[[Request], Awaitable[Response]]
Route = tuple[str, str, Handler]  # (method, path under /api, handler)


def document_response(request: Request, root: Element) -> Response:
    if wants_json(request.scope["headers"]):
        return Response(to_json(root), media_type=JSON)
    return Response(to_xml(root), media_type=XML)


def created(request: Request, path: str) -> Response:
    """201 for a new record whose canonical address is `/api{path}`, e.g. `/party/12`."""
    location = f"{base_url(request)}/api{path}"
    return Response(status_code=201, headers={"Location": location})


def done() -> Response:
    return Response(status_code=200)


async def read_document(request: Request, root: str | tuple[str, ...]) -> Element:
    body = await request.body()
    return read(body, request.headers.get("content-type", ""), root)


def path_id(request: Request, name: str = "id") -> int:
    """The id in the path parameter `name`; one that cannot be an id is simply not found."""
    return record_id(request.path_params[name])
