"""CSV imports: how far each has got, so that one cut short resumes, and the rows it refused."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("entity", sa.String(20), nullable=False),  # parties, opportunities, kases, tasks
    # SHA-256 of the file and the options: the same command again finds its unfinished import.
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("options", sa.Text, nullable=False),  # JSON: mapping and matching, for the worker
    sa.Column("storage_key", sa.String(100)),  # the uploaded file of an import sent to the API
    sa.Column("finished", sa.Boolean, nullable=False, default=False),
    sa.Column("rows_done", sa.Integer, nullable=False, default=0),  # data rows committed
    sa.Column("byte_offset", sa.BigInteger, nullable=False, default=0),  # where they end
    sa.Column("created", sa.Integer, nullable=False, default=0),
    sa.Column("updated", sa.Integer, nullable=False, default=0),
    sa.Column("unchanged", sa.Integer, nullable=False, default=0),
    sa.Column("failed", sa.Integer, nullable=False, default=0),
    sa.Column("organisations", sa.Integer, nullable=False, default=0),  # made from a Company
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id", "entity", "digest"),
)

import_rejects = sa.Table(
    "import_rejects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "import_id", sa.Integer, sa.ForeignKey("imports.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("row", sa.Integer, nullable=False),  # 1: the first row after the header
    sa.Column("column", sa.String(200)),  # the CSV column at fault, when one is
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # JSON: the row's values, in the file's order
    sa.Index(None, "import_id", "row"),
)
