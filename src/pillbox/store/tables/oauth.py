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
    timestamp("expires_at"),
    sa.Index(None, "expires_at"),
)
