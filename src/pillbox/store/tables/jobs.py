"""Long-running operations (Capsule's 202 + `/jobs/{id}`), run by the worker.

A job is claimed with a lease (`locked_until`): a worker that dies mid-job stops renewing it, and
another worker (or the same one restarted) takes the job over where its last committed step left it.
"""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),  # a UUID: job URLs are not guessable
    account_ref(),
    sa.Column("kind", sa.String(40), nullable=False),  # which step function runs it
    sa.Column("action", sa.String(100), nullable=False),  # Capsule's label: "Deleting Tag"
    sa.Column("target_id", sa.Integer, nullable=False),  # the record the job works on
    sa.Column("total", sa.Integer, nullable=False),  # units of work when scheduled, for progress
    sa.Column("status", sa.String(20), nullable=False),  # pending, running, completed, failed
    sa.Column("progress", sa.Integer, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("locked_until", sa.Float),  # epoch seconds; a lapsed lease frees the job
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "status", "created_at"),
)
