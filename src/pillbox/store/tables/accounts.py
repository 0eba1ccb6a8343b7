"""Accounts (Capsule "sites"), their users, teams, person titles, API tokens and rate limits."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    timestamp("created_at"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("username", sa.String(100), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("is_admin", sa.Boolean, nullable=False, default=False),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
    # The user's own person record; users are people of their account too.
    sa.Column(
        "party_id",
        sa.Integer,
        sa.ForeignKey("parties.id", ondelete="SET NULL", use_alter=True),
    ),
    sa.Column("status", sa.String(20), nullable=False, server_default="ACTIVE"),
    sa.Column("locale", sa.String(10), nullable=False, server_default="en_GB"),
    sa.Column("currency", sa.String(3), nullable=False, server_default="GBP"),
    sa.Column("timezone", sa.String(64), nullable=False, server_default="Europe/London"),
    sa.Column("task_reminder", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("email_preference", sa.String(20)),
    sa.Column("click_to_call_preference", sa.String(20)),
    sa.Column("preferred_email_from_address", sa.String(320)),
    sa.Column("password_hash", sa.String(200)),  # argon2; signs in to authorise OAuth apps
    timestamp("last_login_at", nullable=True),
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.UniqueConstraint("account_id", "username"),
    sa.UniqueConstraint("account_id", "email"),
)

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("name", sa.String(200), nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id"),
)

titles = sa.Table(
    "titles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("title", sa.String(100), nullable=False),
    sa.Column("title_key", sa.String(100), nullable=False),  # lower(title): one of each per account
    timestamp("created_at"),
    sa.UniqueConstraint("account_id", "title_key"),
)

team_members = sa.Table(
    "team_members",
    metadata,
    sa.Column(
        "team_id", sa.Integer, sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # SHA-256 of the token: the token itself is shown once and never stored.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("scope", sa.String(100), nullable=False),  # space-separated: "read write"
    # The token's first characters, shown to tell tokens apart (personal tokens made since the
    # column exists); not enough to use it.
    sa.Column("prefix", sa.String(12)),
    timestamp("created_at"),
    timestamp("revoked_at", nullable=True),
    timestamp("last_used_at", nullable=True),  # to the minute or so: see api/token_uses.py
    # Set for tokens issued to an OAuth app, which expire and come with a refresh token;
    # personal tokens have neither.
    sa.Column("app_id", sa.Integer, sa.ForeignKey("apps.id", ondelete="CASCADE")),
    timestamp("expires_at", nullable=True),
    sa.Column("refresh_token_hash", sa.String(64), unique=True),
    sa.Index(None, "app_id"),
)

rate_limit_windows = sa.Table(
    "rate_limit_windows",
    metadata,
    sa.Column("user_id", sa.Integer, primary_key=True),
    sa.Column("window_start", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("count", sa.BigInteger, nullable=False),
)
