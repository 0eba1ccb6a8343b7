"""Sandbox snapshots: an account's rows saved under a name, to be put back on request."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

sandbox_snapshots = sa.Table(
    "sandbox_snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # JSON: {table: [row, …]} (store/account_data)
    sa.Column("rows", sa.Integer, nullable=False),
    timestamp("created_at"),
    sa.UniqueConstraint("account_id", "name"),
)
