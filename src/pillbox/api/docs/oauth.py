"""OAuth 2.0 in the OpenAPI document: the authorisation, token, revocation and discovery
endpoints of api/oauth, described after Capsule's reference."""

from typing import Any

from pillbox.api.docs.operations import json_content, operation, operation_id
from pillbox.api.oauth import oauth_routes

TAG = "OAuth 2.0"
DESCRIPTION = (
    "Apps used by other people get tokens through OAuth 2.0's authorisation-code flow "
    "(RFC 6749, PKCE per RFC 7636), as on Capsule: send the user to `/oauth/authorise`, trade "
    "the code for tokens at `/oauth/token`. Access tokens last 604,799 seconds; a refresh "
    "returns a new pair and revokes the old one. OpenID Connect: the `openid` scope brings an "
    "RS256-signed `id_token` (keys at `/.well-known/jwks.json`) and user info."
)
_FORM = {"type": "object", "additionalProperties": {"type": "string"}}
_BODY = {"application/x-www-form-urlencoded": {"schema": _FORM}, **json_content(_FORM)}
_OAUTH_ERROR = json_content(
    {
        "type": "object",
        "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
        "required": ["error"],
    }
)
_TOKEN = json_content(
    {
        "type": "object",
        "properties": {
            "access_token": {"type": "string"},
            "token_type": {"const": "bearer"},
            "expires_in": {"type": "integer"},
            "refresh_token": {"type": "string"},
            "scope": {"type": "string"},
            "subdomain": {"type": "string"},
        },
        "required": ["access_token", "token_type", "expires_in", "scope"],
    }
)
_HTML = {"text/html": {"schema": {"type": "string"}}}
# HTTP Basic, or client_id and client_secret in the body
_CLIENT: list[dict[str, list[str]]] = [{"clientBasic": []}, {}]


def _query(name: str, description: str, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": {"type": "string"},
        "description": description,
    }


_AUTHORISE_QUERY = [
    _query("response_type", "Always `code`.", required=True),
    _query("client_id", "The app's client id.", required=True),
    _query("redirect_uri", "One of the app's registered redirect URIs, exactly."),
    _query("scope", "Space-separated: `read`, `write`, `user_preference` (default `read write`)."),
    _query("state", "Echoed back to the redirect URI."),
    _query("code_challenge", "PKCE challenge."),
    _query("code_challenge_method", "`plain` or `S256`."),
]
_REVOKE = (
    "Revokes an access or refresh token (`token`, optional `token_type_hint`) and the other "
    "token of its pair; `200` whether or not the token was known. The reference names this "
    "path and `/oauth/revoke` both; both are served."
)
_METADATA = {"200": {"description": "The metadata", "content": json_content({"type": "object"})}}
_KEYS = json_content(
    {"type": "object", "properties": {"keys": {"type": "array"}}, "required": ["keys"]}
)
_USER_INFO: dict[str, Any] = {
    "description": (
        "For an app's access token granted `openid`: `sub`, with `profile` `name`, "
        "`given_name`, `family_name`, `locale`; with `email` `email`; with `tenant` `tenant` and "
        "`subdomain`."
    ),
    "security": [{"bearer": []}],
    "responses": {
        "200": {"description": "The claims", "content": json_content({"type": "object"})},
        "401": {"description": "No valid app token", "content": _OAUTH_ERROR},
        "403": {"description": "The token was not granted `openid`", "content": _OAUTH_ERROR},
    },
}
# (method, path) -> (summary, operation keywords)
OPERATIONS: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {
    ("GET", "/oauth/authorise"): (
        "Ask the user to sign in and authorise the app",
        {
            "parameters": _AUTHORISE_QUERY,
            "security": [],
            "responses": {
                "200": {"description": "The sign-in or consent page", "content": _HTML},
                "302": {"description": "Back to the redirect URI with `code` (or `error`)"},
                "400": {"description": "Unknown app or redirect URI", "content": _HTML},
            },
        },
    ),
    ("POST", "/oauth/authorise"): (
        "Submit the sign-in or consent form",
        {
            "security": [],
            "request": {"application/x-www-form-urlencoded": {"schema": _FORM}},
            "responses": {
                "200": {"description": "The page again, with what to correct", "content": _HTML},
                "302": {"description": "Back to the redirect URI with `code` or `error`"},
                "303": {"description": "Signed in: back to the consent page"},
                "400": {"description": "A form not sent by this server", "content": _HTML},
            },
        },
    ),
    ("POST", "/oauth/token"): (
        "Trade a code, a refresh token or a personal token for tokens",
        {
            "description": (
                "`grant_type` `authorization_code` (`code`, `redirect_uri`, `code_verifier`), "
                "`refresh_token` (`refresh_token`), or `password` (Capsule's API-key migration: "
                "a personal token as `username`). Form-encoded or JSON body."
            ),
            "security": _CLIENT,
            "request": _BODY,
            "responses": {
                "200": {"description": "The tokens", "content": _TOKEN},
                "400": {"description": "RFC 6749 error", "content": _OAUTH_ERROR},
                "401": {"description": "`invalid_client`", "content": _OAUTH_ERROR},
            },
        },
    ),
    ("POST", "/oauth/token/revoke"): (
        "Revoke a token",
        {"description": _REVOKE, "security": _CLIENT, "request": _BODY},
    ),
    ("POST", "/oauth/revoke"): (
        "Revoke a token (the discovery document's path)",
        {"description": _REVOKE, "security": _CLIENT, "request": _BODY},
    ),
    ("GET", "/.well-known/oauth-authorization-server"): (
        "Authorization server metadata (RFC 8414)",
        {"security": [], "responses": _METADATA},
    ),
    ("GET", "/.well-known/openid-configuration"): (
        "OpenID Connect discovery (the same document)",
        {"security": [], "responses": _METADATA},
    ),
    ("GET", "/.well-known/jwks.json"): (
        "The public keys ID tokens are signed with (a JWK set)",
        {
            "security": [],
            "responses": {"200": {"description": "The key set", "content": _KEYS}},
        },
    ),
    ("GET", "/oauth/userinfo"): ("Claims about the token's user (OpenID Connect)", _USER_INFO),
    ("POST", "/oauth/userinfo"): ("Claims about the token's user (OpenID Connect)", _USER_INFO),
}
_REVOKED = {
    "200": {"description": "Revoked (or unknown)"},
    "400": {"description": "RFC 6749 error", "content": _OAUTH_ERROR},
    "401": {"description": "`invalid_client`", "content": _OAUTH_ERROR},
}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every OAuth route."""
    found = []
    for route in oauth_routes():
        path: str = getattr(route, "path")  # noqa: B009 (BaseRoute declares no path)
        for method in sorted(set(getattr(route, "methods")) - {"HEAD"}):  # noqa: B009
            # A route not described above is still listed (tests/api/test_docs.py asks for it).
            summary, keywords = OPERATIONS.get((method, path), (f"{method} {path}", {}))
            keywords = {"responses": _REVOKED, "security": [], **keywords}
            item = operation(path, summary, TAG, **keywords)
            item["operationId"] = operation_id(method, path)
            found.append((method, path, item))
    return found
