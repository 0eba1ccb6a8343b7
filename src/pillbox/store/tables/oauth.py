"""OAuth 2.0: registered apps (clients) and the short-lived authorization codes they exchange.

Secrets and codes are stored as SHA-256 hashes, like API tokens: each is shown once, never kept.
The access and refresh tokens apps receive live in `tokens`, beside personal ones.
"""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

apps = sa.Table(
    "apps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("client_id", sa.String(64), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("redirect_uris", sa.Text, nullable=False),  # space-separated, matched exactly
    timestamp("created_at"),
    timestamp("revoked_at", nullable=True),
    sa.Index(None, "account_id"),
)

authorization_codes = sa.Table(
    "authorization_codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("app_id", sa.Integer, sa.ForeignKey("apps.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("redirect_uri", sa.String(2000)),  # as sent with the authorisation request, if sent
    sa.Column("scope", sa.String(100), nullable=False),
    sa.Column("code_challenge", sa.String(128)),
    sa.Column("code_challenge_method", sa.String(10)),
    sa.Column("nonce", sa.String(200)),  # OpenID Connect: echoed in the ID token
    timestamp("expires_at"),
    sa.Index(None, "expires_at"),
)

# The keys ID tokens are signed with (RS256), as private JWKs; the oldest signs, and every one is
# published at /.well-known/jwks.json. Made when first needed.
signing_keys = sa.Table(
    "signing_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kid", sa.String(64), nullable=False, unique=True),
    sa.Column("private_jwk", sa.Text, nullable=False),
    timestamp("created_at"),
    sqlite_autoincrement=True,
)
