"""Sandbox admin endpoints over HTTP: JSON bodies in and out, errors in v2's format.

Every endpoint but account creation acts on the account of its Bearer token (any token of the
account, read or write): the sandbox is a test double, and its controls belong to whoever holds
the account's credentials.
"""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.auth import bearer_token
from pillbox.api.errors import error_response
from pillbox.api.kit.body import parse
from pillbox.api.kit.responses import JSONResponse
from pillbox.api.sandbox.state import SandboxState
from pillbox.errors import ApiError, InvalidBody, Unauthenticated
from pillbox.store.accounts import Principal, find_principal

Handler = Callable[[Request], Awaitable[Response]]
Route = tuple[str, str, Handler]  # (method, path under /_pillbox, handler)
M = TypeVar("M", bound=BaseModel)


def state(request: Request) -> SandboxState:
    found: SandboxState = request.app.state.sandbox
    return found


async def caller(request: Request) -> Principal:
    """The principal of the request's Bearer token; 401 without a valid one."""
    token = bearer_token(request.scope)
    principal: Principal | None = None
    if token:
        principal = await request.app.state.db.read(find_principal, token)
    if principal is None:
        raise Unauthenticated()
    request.scope.setdefault("state", {})["principal"] = principal
    return principal


async def body(request: Request, model: type[M], resource: str) -> M:
    """The JSON body as `model`: 400 when it is not JSON, 422 naming each invalid field."""
    raw = await request.body()
    try:
        data: Any = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError:
        raise InvalidBody("The request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise InvalidBody("The request body must be a JSON object")
    return parse(model, data, resource)


def answer(document: Any, status: int = 200) -> Response:
    return JSONResponse(document, status_code=status)


def endpoint(handler: Handler) -> Handler:
    async def handle(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as error:
            return error_response(error)

    return handle
