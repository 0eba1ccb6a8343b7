"""Task categories: the account's named colours for tasks."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

task_categories = sa.Table(
    "task_categories",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("colour", sa.String(7)),  # "#d16c1a"
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id"),
)
