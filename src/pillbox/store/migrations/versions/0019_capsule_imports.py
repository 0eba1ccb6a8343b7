"""Imports from Capsule: their progress and the ids given to Capsule's records.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "capsule_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=500), nullable=False),
        sa.Column("phase", sa.String(length=40), nullable=True),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.String(length=20), nullable=False),
        sa.Column("synced_at", sa.String(length=20), nullable=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_capsule_imports_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capsule_imports")),
        sa.UniqueConstraint("account_id", name=op.f("uq_capsule_imports_account_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "capsule_import_ids",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_capsule_import_ids_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "entity", "source_id", name=op.f("pk_capsule_import_ids")
        ),
    )


def downgrade() -> None:
    op.drop_table("capsule_import_ids")
    op.drop_table("capsule_imports")
