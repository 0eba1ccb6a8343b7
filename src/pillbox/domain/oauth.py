"""OAuth 2.0 for third-party apps, on Authlib's authorization server.

The rules:
- An app belongs to one account; only that account's users may authorise it, and its redirect
  URIs match exactly. Clients authenticate with their secret (HTTP Basic or the body).
- Every token may read; `write` and `user_preference` are granted when asked for, and an app
  that asks for no scope gets `read write`. The OpenID Connect scopes (`openid`, `profile`,
  `email`, `tenant`) are granted when asked for: they open no API, but bring an ID token and
  user info (see openid).
- Codes live 10 minutes and are used once (PKCE `plain` or `S256` when the app sends a
  challenge). Access tokens live 604,799 seconds; a refresh revokes the old access and refresh
  token and issues a new pair.
- The migration grant (`password`) trades a personal token of the app's account, given as
  `username`, for an app token; a read-only personal token yields a read-only app token.
"""

import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    ClientMixin,
    InvalidGrantError,
    InvalidRequestError,
    TokenMixin,
    UnauthorizedClientError,
    UnsupportedResponseTypeError,
    grants,
)
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge

from pillbox import clock, timestamps
from pillbox.domain import openid
from pillbox.domain.oauth_requests import OAuthRequest as OAuthRequest
from pillbox.domain.oauth_users import User as User
from pillbox.domain.oauth_users import sign_in as sign_in
from pillbox.domain.oauth_users import signed_in_user as signed_in_user
from pillbox.domain.oauth_users import user_by_email as user_by_email
from pillbox.domain.oauth_users import user_of
from pillbox.store import oauth as store
from pillbox.store.accounts import find_principal, hash_token

ACCESS_TOKEN_SECONDS = 604_799
CODE_SECONDS = 600
SCOPES = ("read", "write", "user_preference")
OIDC_SCOPES = ("openid", "profile", "email", "tenant")
PUBLISHED_SCOPES = ("read", "email", "tenant", "openid", "profile", "user_preference", "write")
DEFAULT_SCOPE = "read write"
AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
GRANT_TYPES = ("authorization_code", "refresh_token", "password")
MAX_REDIRECT_URI = 2000
# What OAuth allows in an error's description (RFC 6749 §5.2): printable ASCII but " and \.
DESCRIBABLE = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*")

# (status, body, headers) as Authlib answers
Reply = tuple[int, Any, list[tuple[str, str]]]


def granted_scope(requested: str | None) -> str:
    """The scope a request for `requested` grants, in canonical order: "read write"."""
    asked = set((requested or DEFAULT_SCOPE).split()) or set(DEFAULT_SCOPE.split())
    return " ".join(s for s in (*SCOPES, *OIDC_SCOPES) if s == "read" or s in asked)


def discovery_document(base_url: str) -> dict[str, Any]:
    """RFC 8414 metadata with OpenID Connect's, with Capsule's published values and the grants
    served here."""
    return {
        "issuer": base_url,
        "authorization_endpoint": f"{base_url}/oauth/authorise",
        "token_endpoint": f"{base_url}/oauth/token",
        "revocation_endpoint": f"{base_url}/oauth/revoke",
        "scopes_supported": list(PUBLISHED_SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": list(GRANT_TYPES),
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
        "code_challenge_methods_supported": ["plain", "S256"],
        **openid.discovery(base_url),
    }


# -- apps -----------------------------------------------------------------------------------------


class InvalidRedirectUri(ValueError):
    def __init__(self, uri: str) -> None:
        super().__init__(f"{uri!r} is not an absolute URI without a fragment or spaces.")


def register_app(
    conn: sa.Connection, account_id: int, name: str, redirect_uris: list[str]
) -> tuple[str, str]:
    """Registers an app; returns its client id and its secret, which is stored only hashed."""
    for uri in redirect_uris:
        parts = urlsplit(uri)
        if not parts.scheme or not (parts.netloc or parts.path) or parts.fragment:
            raise InvalidRedirectUri(uri)
        if " " in uri or len(uri) > MAX_REDIRECT_URI:
            raise InvalidRedirectUri(uri)
    client_id, secret = secrets.token_hex(16), secrets.token_hex(32)
    store.create_app(
        conn,
        account_id,
        client_id=client_id,
        secret_hash=hash_token(secret),
        name=name,
        redirect_uris=redirect_uris,
    )
    return client_id, secret


@dataclass(frozen=True)
class App(ClientMixin):
    id: int
    account_id: int
    client_id: str
    secret_hash: str
    name: str
    redirect_uris: tuple[str, ...]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str | None) -> str:
        return granted_scope(scope)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(hash_token(client_secret), self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANT_TYPES


# -- Authlib's model objects ----------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    user_id: int
    redirect_uri: str | None
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None
    nonce: str | None

    def get_redirect_uri(self) -> str | None:
        return self.redirect_uri

    # What Authlib's OpenID extension reads from a code.
    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int | None:
        return None

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str]:
        return []

    def get_scope(self) -> str:
        return self.scope


@dataclass(frozen=True)
class AppToken(TokenMixin):
    id: int
    app_id: int
    user_id: int
    scope: str

    def check_client(self, client: App) -> bool:
        return self.app_id == client.id

    def get_scope(self) -> str:
        return self.scope


def _app_token(row: Any) -> AppToken | None:
    return AppToken(row.id, row.app_id, row.user_id, row.scope) if row else None


# -- grants ---------------------------------------------------------------------------------------


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    server: "OAuthServer"

    def save_authorization_code(self, code: str, request: OAuthRequest) -> None:
        data = request.payload.data
        store.save_code(
            self.server.conn,
            code_hash=hash_token(code),
            app_id=request.client.id,
            user_id=request.user.id,
            redirect_uri=data.get("redirect_uri"),
            scope=request.scope,
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
            nonce=data.get("nonce"),
            expires_at=timestamps.format_epoch(clock.epoch() + CODE_SECONDS),
        )

    def query_authorization_code(self, code: str, client: App) -> Code | None:
        row = store.take_code(self.server.conn, hash_token(code), client.id)
        return Code(*row) if row else None

    def delete_authorization_code(self, authorization_code: Code) -> None:
        """Taken when queried already: a code never outlives its first exchange."""

    def authenticate_user(self, authorization_code: Code) -> User | None:
        return self.server.user(authorization_code.user_id)


class _RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: "OAuthServer"

    def authenticate_refresh_token(self, refresh_token: str) -> AppToken | None:
        return _app_token(store.app_token_by_refresh(self.server.conn, hash_token(refresh_token)))

    def authenticate_user(self, refresh_token: AppToken) -> User | None:
        return self.server.user(refresh_token.user_id)

    def revoke_old_credential(self, refresh_token: AppToken) -> None:
        store.revoke_app_token(self.server.conn, refresh_token.id)


class _MigrationGrant(grants.ResourceOwnerPasswordCredentialsGrant):
    """Capsule's API-key migration: `username` is a personal token; `password` is ignored."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    server: "OAuthServer"

    def validate_token_request(self) -> None:
        client = self.authenticate_token_endpoint_client()
        if not client.check_grant_type(self.GRANT_TYPE):
            raise UnauthorizedClientError()
        username = self.request.form.get("username")
        if not username:
            raise InvalidRequestError("Missing 'username' in request.")
        principal = find_principal(self.server.conn, username)
        if principal is None or principal.app_id is not None:
            raise InvalidGrantError("'username' is not a live personal access token.")
        if principal.account_id != client.account_id:
            raise InvalidGrantError("The token belongs to another account than the app.")
        self.validate_requested_scope()
        scope = granted_scope(self.request.payload.scope)
        self.request.client = client
        self.request.user = self.server.user(principal.user_id)
        self.request.scope = scope if principal.can_write else "read"

    def create_token_response(self) -> Reply:
        token = self.generate_token(user=self.request.user, scope=self.request.scope)
        self.save_token(token)
        return 200, token, self.TOKEN_RESPONSE_HEADER


class _Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS
    server: "OAuthServer"

    def query_token(self, token_string: str, token_type_hint: str | None) -> AppToken | None:
        return _app_token(store.app_token_by_either(self.server.conn, hash_token(token_string)))

    def revoke_token(self, token: AppToken, request: OAuthRequest) -> None:
        store.revoke_app_token(self.server.conn, token.id)


# -- the server -----------------------------------------------------------------------------------


class OAuthServer(AuthorizationServer):
    """Authlib's server over one transaction: built per request, answers (status, body, headers)."""

    def __init__(self, conn: sa.Connection, issuer: str = "") -> None:
        """`issuer`: the server's base URL, named in the ID tokens it signs."""
        super().__init__(scopes_supported=[*SCOPES, *OIDC_SCOPES])
        self.conn = conn
        self.register_token_generator("default", self._new_token)
        id_tokens = openid.IdTokens(conn, issuer)
        self.register_grant(_CodeGrant, [CodeChallenge(required=False), id_tokens])
        self.register_grant(_RefreshGrant)
        self.register_grant(_MigrationGrant)
        self.register_endpoint(_Revocation)

    def get_authorization_grant(self, request: OAuthRequest) -> Any:
        # Authlib quotes an unsupported response type in its error's description, and raises
        # ValueError for one that cannot go there: that one is refused here, unquoted.
        if DESCRIBABLE.fullmatch(request.payload.response_type or ""):
            return super().get_authorization_grant(request)
        client = self.query_client(request.payload.client_id or "")
        asked = request.payload.redirect_uri
        back = None  # as Authlib: redirect only to a checked address of a known app
        if client is not None:
            back = asked if asked and client.check_redirect_uri(asked) else None
            back = back if asked else client.get_default_redirect_uri()
        raise UnsupportedResponseTypeError("", "unsupported response type", redirect_uri=back)

    def query_client(self, client_id: str) -> App | None:
        row = store.live_app(self.conn, client_id)
        if row is None:
            return None
        return App(*row[:5], tuple(row.redirect_uris.split()))

    def user(self, user_id: int) -> User | None:
        return user_of(store.live_user(self.conn, user_id))

    def _new_token(
        self, grant_type: str, client: App, user: User, scope: str, **_: Any
    ) -> dict[str, Any]:
        return {
            "access_token": secrets.token_hex(32),
            "token_type": "bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
            "refresh_token": secrets.token_hex(32),
            "scope": granted_scope(scope),
            "subdomain": user.subdomain,
        }

    def save_token(self, token: dict[str, Any], request: OAuthRequest) -> None:
        store.save_app_token(
            self.conn,
            user_id=request.user.id,
            app_id=request.client.id,
            token_hash=hash_token(token["access_token"]),
            refresh_token_hash=hash_token(token["refresh_token"]),
            scope=token["scope"],
            expires_at=timestamps.format_epoch(clock.epoch() + token["expires_in"]),
        )

    def create_oauth2_request(self, request: OAuthRequest) -> OAuthRequest:
        return request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Reply:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Authlib's hook for framework signals; nothing listens here."""
