"""The gate in front of API v1 (`/api/…` outside `/api/v2`): HTTP Basic, then as for v2.

The API token is the Basic user name; the password is ignored (clients send `x`, nothing, or
the account name). Only personal tokens open v1, as its API keys did; tokens issued to OAuth
apps are for v2. Rate limit and scope are v2's (one quota per user across both APIs); the
refusals are v1's (`WWW-Authenticate: Basic`, body by `Accept`).
"""

import binascii
from base64 import b64decode

from starlette.types import ASGIApp, Scope

from pillbox.api.auth import ApiGate
from pillbox.api.errors import error_response, protocol_of
from pillbox.api.paths import is_v1_path
from pillbox.errors import ApiError
from pillbox.store.accounts import Principal


def basic_token(scope: Scope) -> str | None:
    """The user name of a Basic `Authorization` header, or None."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, encoded = bytes(value).decode("latin-1").partition(" ")
            if scheme.lower() != "basic":
                return None
            try:
                decoded = b64decode(encoded.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None
            token = decoded.partition(":")[0].strip()
            return token or None
    return None


class BasicGate(ApiGate):
    via = "api-v1"

    def guards(self, path: str) -> bool:
        return is_v1_path(path)

    def token(self, scope: Scope) -> str | None:
        return basic_token(scope)

    def admits(self, principal: Principal) -> bool:
        return principal.app_id is None

    def refusal(self, scope: Scope, error: ApiError, headers: dict[str, str]) -> ASGIApp:
        return error_response(error, headers, protocol_of(scope))
