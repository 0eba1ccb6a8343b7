"""The one place that turns errors into HTTP responses: status, Capsule's body, headers."""

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit.responses import JSONResponse
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


def error_response(error: ApiError, headers: dict[str, str] | None = None) -> JSONResponse:
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


async def api_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def http_error(_request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 for paths and methods no route serves."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error_response(MethodNotAllowed(), dict(exc.headers or {}))
    if exc.status_code == 404:
        return error_response(NotFound())
    return JSONResponse({"message": exc.detail}, status_code=exc.status_code)


async def server_error(_request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse({"message": "Internal server error"}, status_code=500)


HANDLERS = {ApiError: api_error, HTTPException: http_error, Exception: server_error}
