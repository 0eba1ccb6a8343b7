"""The change history of records: one row per field a write changed."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

# `entity` is the API collection (parties, opportunities, kases, tasks) and `record_id` the
# record's id, with no foreign key: a deleted record keeps its history. Values are JSON text.
record_changes = sa.Table(
    "record_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("entity", sa.String(20), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    timestamp("at"),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("via", sa.String(20)),
    sa.Column("field", sa.String(100), nullable=False),
    sa.Column("old_value", sa.Text),
    sa.Column("new_value", sa.Text),
    sa.Index(None, "account_id", "entity", "record_id", "id"),
    sqlite_autoincrement=True,
)
