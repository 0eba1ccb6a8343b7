"""Imports from Capsule: where each one stands (to resume it) and the ids its records were given.

An import keeps Capsule's ids; `capsule_import_ids` says which local row each Capsule record
became (the same id, or another one where that id was already taken), so that an interrupted or
repeated import finds the records it wrote instead of writing them twice.
"""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

capsule_imports = sa.Table(
    "capsule_imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("origin", sa.String(500), nullable=False),
    # The run under way: the phase and page to go on from (NULL once it finished).
    sa.Column("phase", sa.String(40)),
    sa.Column("page", sa.Integer, nullable=False),
    timestamp("started_at"),  # of the run under way or last finished
    # When the last finished run started: `--since-last` fetches what changed after it.
    timestamp("synced_at", nullable=True),
    sa.Column("report", sa.Text, nullable=False),  # JSON: counts, skipped, remapped ids
    sa.UniqueConstraint("account_id"),
    sqlite_autoincrement=True,
)

capsule_import_ids = sa.Table(
    "capsule_import_ids",
    metadata,
    account_ref(),
    sa.Column("entity", sa.String(40), nullable=False),  # the table's name
    sa.Column("source_id", sa.Integer, nullable=False),
    sa.Column("local_id", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("account_id", "entity", "source_id"),
)
