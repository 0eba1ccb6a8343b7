"""Entries (notes, emails, completed tasks) on records, and their attachments."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp


def _record_ref(name: str, table: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(f"{table}.id", ondelete="CASCADE"))


entries = sa.Table(
    "entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("type", sa.String(10), nullable=False),  # note, email, task
    _record_ref("party_id", "parties"),
    _record_ref("opportunity_id", "opportunities"),
    _record_ref("kase_id", "kases"),
    sa.Column("creator_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
    # Built-in types have negative ids that live in code, so no foreign key.
    sa.Column("activity_type_id", sa.Integer, nullable=False),
    sa.Column("subject", sa.Text),
    sa.Column("content", sa.Text),
    timestamp("entry_at"),
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id", "id"),  # loading a page by ids, account-scoped
    sa.Index(None, "account_id", "entry_at", "id"),
    sa.Index(None, "party_id", "entry_at"),
    sa.Index(None, "opportunity_id", "entry_at"),
    sa.Index(None, "kase_id", "entry_at"),
)

# The parties an email is filed against (notes and tasks have one `party_id` instead).
entry_parties = sa.Table(
    "entry_parties",
    metadata,
    sa.Column(
        "entry_id", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "party_id", sa.Integer, sa.ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Index(None, "party_id"),
)

# Senders and recipients of an email.
entry_participants = sa.Table(
    "entry_participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "entry_id", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("address", sa.String(320), nullable=False),
    sa.Column("name", sa.String(200)),
    sa.Column("role", sa.String(4), nullable=False),  # FROM, TO, CC
    sa.Index(None, "entry_id"),
)

# A file uploaded and not yet attached: the token is what a client puts in `attachments`.
uploads = sa.Table(
    "uploads",
    metadata,
    sa.Column("token", sa.String(120), primary_key=True),
    account_ref(),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("content_type", sa.String(255), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("storage_key", sa.String(80), nullable=False),
    timestamp("created_at"),
    sa.Index(None, "created_at"),
)

attachments = sa.Table(
    "attachments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column(
        "entry_id", sa.Integer, sa.ForeignKey("entries.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("content_type", sa.String(255), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("storage_key", sa.String(80), nullable=False),
    timestamp("created_at"),
    sa.Index(None, "entry_id"),
)

# Stored files nothing refers to any more, removed by the worker after the change commits (a
# rolled-back delete must not lose a file).
orphan_files = sa.Table(
    "orphan_files",
    metadata,
    sa.Column("storage_key", sa.String(80), primary_key=True),
    timestamp("created_at"),
)
