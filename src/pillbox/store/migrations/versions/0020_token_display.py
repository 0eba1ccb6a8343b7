"""Tokens: a short prefix to tell them apart by, and when each was last used.

Revision ID: 0020
Revises: 0019
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prefix", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("last_used_at", sa.String(length=20), nullable=True))


def downgrade() -> None:
    # Rebuilding tokens reflects the tables it refers to, parties among them, whose index on an
    # expression (0018) SQLAlchemy cannot reflect and says so; that index is not touched here.
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based index", sa.exc.SAWarning
        )
        # A rebuilt SQLite table keeps AUTOINCREMENT only when told (migration 0014)
        with op.batch_alter_table(
            "tokens", schema=None, table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op:
            batch_op.drop_column("last_used_at")
            batch_op.drop_column("prefix")
