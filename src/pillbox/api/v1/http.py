"""API v1 over HTTP: content negotiation, the wire forms of answers, and errors as v1 had them.

- The answer is JSON when `Accept` names `application/json`, XML otherwise (missing, `*/*`,
  `text/xml`, …).
- Creates answer `201` with an empty body and an absolute `Location` ending in the new id;
  updates and deletes answer `200` with an empty body. An empty body has no `Content-Type`:
  clients decide from that header whether to parse one.
- Errors: `{"message": …}` in JSON, the bare message as `text/plain` for XML clients (v1 never
  documented an XML error body). 401 carries `WWW-Authenticate: Basic`. A rule of the domain
  broken by a write body (v2's 422) is a 400 in v1, as is a malformed body or a document of the
  wrong root element (where Capsule answered 500).
"""

from collections.abc import Awaitable, Callable, Iterable

from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit.paging import base_url
from pillbox.api.kit.params import record_id
from pillbox.api.v1.documents import Element, read, to_json, to_xml
from pillbox.errors import ApiError, Unauthenticated, ValidationFailed

JSON = "application/json; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
TEXT = "text/plain; charset=UTF-8"
REALM = 'Basic realm="capsule"'

Handler = Callable[[Request], Awaitable[Response]]
Route = tuple[str, str, Handler]  # (method, path under /api, handler)


def wants_json(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Whether raw ASGI headers ask for a JSON answer."""
    return any(
        name == b"accept" and b"application/json" in value.lower() for name, value in headers
    )


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


def error_response(json: bool, error: ApiError, headers: dict[str, str] | None = None) -> Response:
    headers = dict(headers or {})
    status, message = error.status, error.message
    if isinstance(error, ValidationFailed):
        status = 400
        message = "; ".join(e.message for e in error.errors) or message
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = REALM
    if json:
        body = to_json(Element("message", message))
        return Response(body, status_code=status, media_type=JSON, headers=headers)
    return Response(message, status_code=status, media_type=TEXT, headers=headers)


def endpoint(handler: Handler) -> Handler:
    """The handler, its errors answered in v1's manner rather than v2's."""

    async def handle(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as error:
            return error_response(wants_json(request.scope["headers"]), error)

    return handle
