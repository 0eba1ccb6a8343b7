"""The machine side of OAuth: Starlette requests handed to Authlib, the token and revocation
endpoints, the discovery documents, and OpenID Connect's key set and user info.

Authlib runs inside one write transaction per request; when it refuses a request, whatever the
request wrote (a code it took, a token it began to issue) is rolled back.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import orjson
import sqlalchemy as sa
from authlib.oauth2.rfc6749 import InvalidRequestError
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.auth import bearer_token
from pillbox.api.kit.paging import base_url
from pillbox.api.kit.resource import database
from pillbox.api.kit.responses import json_response
from pillbox.domain import openid
from pillbox.domain.oauth import OAuthRequest, OAuthServer, Reply, discovery_document
from pillbox.store.accounts import find_principal

Params = list[tuple[str, str]]


class _Refused(Exception):
    def __init__(self, reply: Reply) -> None:
        super().__init__(reply[0])
        self.reply = reply


def _json_params(body: bytes) -> Params | None:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    return [(k, v if isinstance(v, str) else orjson.dumps(v).decode()) for k, v in data.items()]


async def body_params(request: Request) -> Params | None:
    """The parameters of a form-encoded or JSON body; None when the body is neither."""
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        return _json_params(body)
    try:
        return parse_qsl(body.decode(), keep_blank_values=True)
    except UnicodeDecodeError:
        return None


def oauth_request(request: Request, params: Params) -> OAuthRequest:
    # TLS ends at the reverse proxy in front of Pillbox, as for the API, where Authlib's check of
    # the URL's scheme cannot see it: the request is described to Authlib as the https it was.
    uri = str(request.url.replace(scheme="https"))
    return OAuthRequest(request.method, uri, request.headers, params)


def to_response(reply: Reply) -> Response:
    status, body, headers = reply
    content = orjson.dumps(body) if isinstance(body, dict) else body
    return Response(content, status_code=status, headers=dict(headers))


async def answer(request: Request, call: Callable[[OAuthServer], Reply]) -> Response:
    """Runs Authlib on a transaction that commits only if the answer is not an error."""

    def work(conn: sa.Connection) -> Reply:
        reply = call(OAuthServer(conn, base_url(request)))
        if reply[0] >= 400:
            raise _Refused(reply)
        return reply

    try:
        return to_response(await database(request).write(work))
    except _Refused as refused:
        return to_response(refused.reply)


def _bad_body() -> Response:
    error: Any = InvalidRequestError("The body is neither a form nor a JSON object.")
    return to_response(error())


async def token(request: Request) -> Response:
    params = await body_params(request)
    if params is None:
        return _bad_body()
    oauth = oauth_request(request, params)
    return await answer(request, lambda server: server.create_token_response(oauth))


async def revoke(request: Request) -> Response:
    params = await body_params(request)
    if params is None:
        return _bad_body()
    oauth = oauth_request(request, params)
    return await answer(
        request, lambda server: server.create_endpoint_response("revocation", oauth)
    )


async def discovery(request: Request) -> Response:
    return json_response(discovery_document(base_url(request)))


async def jwks(request: Request) -> Response:
    return json_response(await database(request).write(openid.public_keys))


def _bearer_refusal(error: str, status: int) -> Response:
    header = f'Bearer error="{error}"' + (
        ', scope="openid"' if error == "insufficient_scope" else ""
    )
    return Response(
        orjson.dumps({"error": error}),
        status_code=status,
        media_type="application/json",
        headers={"WWW-Authenticate": header},
    )


async def userinfo(request: Request) -> Response:
    """OpenID Connect's user info, for an app's access token granted `openid`."""
    token = bearer_token(request.scope)

    def claims(conn: sa.Connection) -> dict[str, Any] | str:
        principal = find_principal(conn, token) if token else None
        if principal is None or principal.app_id is None:
            return "invalid_token"
        if "openid" not in principal.scope.split():
            return "insufficient_scope"
        return openid.user_claims(conn, principal.user_id, principal.scope) or "invalid_token"

    found = await database(request).read(claims)
    if found == "invalid_token":
        return _bearer_refusal("invalid_token", 401)
    if found == "insufficient_scope":
        return _bearer_refusal("insufficient_scope", 403)
    return json_response(found)
