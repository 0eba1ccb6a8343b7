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

# The highest id handed out in each seeded block (store/seeded_ids.py), so that a deleted row's
# id is never handed out again, as with the databases' own numbering.
seeded_id_blocks = sa.Table(
    "seeded_id_blocks",
    metadata,
    sa.Column("block_start", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("last_id", sa.BigInteger, nullable=False),
)
