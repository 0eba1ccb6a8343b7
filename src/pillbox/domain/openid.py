"""OpenID Connect on top of the OAuth server: ID tokens, their signing keys, and user info.

Rules:
- An app that asks for the `openid` scope in the authorisation-code flow gets an `id_token`
  with its tokens: a JWT signed RS256 with the server's key, `iss` the server's base URL, `aud`
  the app's client id, `sub` the user's id, valid for an hour, with the request's `nonce` (a
  nonce already used by a live code of the app is refused). `profile` adds `name`, `given_name`,
  `family_name`, `locale`; `email` adds `email`; `tenant` adds `tenant` and `subdomain` (the
  account's), as Capsule's discovery document lists. Refreshed tokens carry no new ID token.
- `GET /oauth/userinfo` answers those claims for an access token granted `openid`.
- The signing key is made when first needed and kept in the database (so every process signs
  with the same key); `/.well-known/jwks.json` publishes its public half.
"""

from typing import Any

import orjson
import sqlalchemy as sa
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey

from pillbox import clock
from pillbox.domain.site import subdomain
from pillbox.store import oauth as store

ALGORITHM = "RS256"
ID_TOKEN_SECONDS = 3600
CLAIMS = (
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "nonce",
    "name",
    "given_name",
    "family_name",
    "locale",
    "email",
    "tenant",
    "subdomain",
)


def signing_key(conn: sa.Connection) -> RSAKey:
    """The key ID tokens are signed with: the oldest stored, or a new one when there is none."""
    keys = store.signing_keys(conn)
    if not keys:
        key = RSAKey.generate_key(2048, auto_kid=True)
        store.add_signing_key(conn, str(key.kid), orjson.dumps(key.as_dict(private=True)).decode())
        return key
    return RSAKey.import_key(orjson.loads(keys[0].private_jwk))


def public_keys(conn: sa.Connection) -> dict[str, Any]:
    """The JWK set of every signing key's public half (one made first if there is none)."""
    signing_key(conn)
    keys = [RSAKey.import_key(orjson.loads(row.private_jwk)) for row in store.signing_keys(conn)]
    published = [{**key.as_dict(private=False), "use": "sig", "alg": ALGORITHM} for key in keys]
    return {"keys": published}


def user_claims(conn: sa.Connection, user_id: int, scope: str) -> dict[str, Any] | None:
    """The claims about a user a token of `scope` may read; None for a deleted user."""
    profile = store.user_profile(conn, user_id)
    if profile is None:
        return None
    granted = set(scope.split())
    claims: dict[str, Any] = {"sub": str(user_id)}
    if "profile" in granted:
        given, _, family = profile.name.partition(" ")
        claims.update(
            name=profile.name, given_name=given, family_name=family, locale=profile.locale
        )
    if "email" in granted:
        claims["email"] = profile.email
    if "tenant" in granted:
        claims.update(tenant=profile.account, subdomain=subdomain(profile.account))
    return claims


def discovery(base_url: str) -> dict[str, Any]:
    """What OpenID Connect discovery adds to the RFC 8414 document."""
    return {
        "userinfo_endpoint": f"{base_url}/oauth/userinfo",
        "jwks_uri": f"{base_url}/.well-known/jwks.json",
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "claims_supported": list(CLAIMS),
    }


class IdTokens(OpenIDCode):
    """Authlib's OpenID extension of the code grant, over one transaction and one issuer."""

    def __init__(self, conn: sa.Connection, issuer: str) -> None:
        super().__init__(require_nonce=False)
        self.conn = conn
        self.issuer = issuer

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return store.nonce_used(self.conn, request.client.id, nonce)

    def resolve_client_private_key(self, client: Any) -> RSAKey:
        return signing_key(self.conn)

    def get_client_algorithm(self, client: Any) -> str:
        return ALGORITHM

    def get_client_claims(self, client: Any) -> dict[str, Any]:
        now = int(clock.epoch())
        return {
            "iss": self.issuer,
            "aud": [client.client_id],
            "iat": now,
            "exp": now + ID_TOKEN_SECONDS,
        }

    def get_encode_header(self, client: Any) -> dict[str, Any]:
        return {"alg": ALGORITHM, "kid": signing_key(self.conn).kid}

    def generate_user_info(self, user: Any, scope: str) -> UserInfo:
        return UserInfo(user_claims(self.conn, user.id, scope) or {"sub": str(user.id)})
