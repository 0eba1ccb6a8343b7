"""REST hooks (webhook subscriptions) and their deliveries, the outbox the worker sends from."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

rest_hooks = sa.Table(
    "rest_hooks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("event", sa.String(40), nullable=False),  # party/created, …
    sa.Column("target_url", sa.String(2000), nullable=False),
    sa.Column("description", sa.String(500)),
    sa.Column("embed", sa.String(200)),  # extras of the payload records: "tags,fields"
    sa.Column("secret", sa.String(64), nullable=False),  # signs each delivery (HMAC-SHA256)
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id", "event"),
)

# One row per change and hook: written in the transaction of the change, so a committed change
# is never lost and a rolled-back one never sent. The worker delivers them in id order per record.
hook_deliveries = sa.Table(
    "hook_deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "hook_id", sa.Integer, sa.ForeignKey("rest_hooks.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("event", sa.String(40), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),  # pending, delivered, failed
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", sa.Float, nullable=False),  # epoch seconds
    sa.Column("locked_until", sa.Float, nullable=False),  # a worker's lease while it sends
    sa.Column("response_status", sa.Integer),  # of the last attempt; null: no answer
    sa.Column("latency_ms", sa.Integer),
    sa.Column("error", sa.String(500)),
    timestamp("created_at"),
    timestamp("delivered_at", nullable=True),
    sa.Index(None, "status", "next_attempt_at"),
    sa.Index(None, "hook_id", "record_id", "id"),
)
