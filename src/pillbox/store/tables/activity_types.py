"""Activity types an account adds to Capsule's built-in ones (which live in code, not here)."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

activity_types = sa.Table(
    "activity_types",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("icon_id", sa.String(30), nullable=False),
    sa.Column("update_last_contacted", sa.Boolean, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id"),
)
