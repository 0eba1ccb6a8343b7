"""The one place that turns errors into HTTP responses: status, Capsule's body, headers.

The same error is answered in the manner of the API the request was made to (`Protocol`):
- v2: Capsule's JSON body (`message`, and `errors` for a 422); 401 and 403 carry
  `WWW-Authenticate: Bearer`.
- v1: `{"message": …}` in JSON, the bare message as `text/plain` for XML clients (v1 never
  documented an XML error body). 401 carries `WWW-Authenticate: Basic`. A rule of the domain
  broken by a write body (v2's 422) is a 400 in v1, as is a malformed body or a document of the
  wrong root element (where Capsule answered 500).
"""

import logging
from collections.abc import Iterable
from enum import Enum
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from pillbox.api.kit.responses import JSONResponse
from pillbox.api.paths import is_v1_path
from pillbox.errors import (
    ApiError,
    InsufficientScope,
    MethodNotAllowed,
    NotFound,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)

log = logging.getLogger("pillbox")


class Protocol(Enum):
    V2 = "v2"
    V1_JSON = "v1 JSON"
    V1_XML = "v1 XML"


V1_JSON = "application/json; charset=UTF-8"
V1_TEXT = "text/plain; charset=UTF-8"
V1_REALM = 'Basic realm="capsule"'


def wants_json(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Whether raw ASGI headers ask for a JSON answer."""
    return any(
        name == b"accept" and b"application/json" in value.lower() for name, value in headers
    )


def protocol_of(scope: Scope) -> Protocol:
    """The API a request was made to, and for v1 the form of answer it asks for."""
    if not is_v1_path(scope.get("path", "")):
        return Protocol.V2
    return Protocol.V1_JSON if wants_json(scope["headers"]) else Protocol.V1_XML


def error_response(
    error: ApiError, headers: dict[str, str] | None = None, protocol: Protocol = Protocol.V2
) -> Response:
    if protocol is not Protocol.V2:
        return _v1_error_response(error, dict(headers or {}), protocol is Protocol.V1_JSON)
    body: dict[str, Any]
    headers = dict(headers or {})
    if isinstance(error, RateLimited):
        body = {"error": error.message}
    elif isinstance(error, ValidationFailed):
        body = {
            "message": error.message,
            "errors": [
                {"message": e.message, "resource": e.resource, "field": e.field}
                for e in error.errors
            ],
        }
    else:
        body = {"message": error.message}
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="capsule", error="invalid_token"'
    elif isinstance(error, InsufficientScope):
        headers["WWW-Authenticate"] = (
            f'Bearer realm="capsule", error="insufficient_scope", scope="{error.scope}"'
        )
    return JSONResponse(body, status_code=error.status, headers=headers)


def _v1_error_response(error: ApiError, headers: dict[str, str], json: bool) -> Response:
    status, message = error.status, error.message
    if isinstance(error, ValidationFailed):
        status = 400
        message = "; ".join(e.message for e in error.errors) or message
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = V1_REALM
    if json:
        body = orjson.dumps({"message": message or ""})
        return Response(body, status_code=status, media_type=V1_JSON, headers=headers)
    return Response(message, status_code=status, media_type=V1_TEXT, headers=headers)


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc, protocol=protocol_of(request.scope))


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 for paths and methods no route serves."""
    assert isinstance(exc, HTTPException)
    protocol = protocol_of(request.scope)
    if exc.status_code == 405:
        return error_response(MethodNotAllowed(), dict(exc.headers or {}), protocol)
    if exc.status_code == 404:
        return error_response(NotFound(), protocol=protocol)
    return JSONResponse({"message": exc.detail}, status_code=exc.status_code)


async def server_error(_request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse({"message": "Internal server error"}, status_code=500)


HANDLERS = {ApiError: api_error, HTTPException: http_error, Exception: server_error}
