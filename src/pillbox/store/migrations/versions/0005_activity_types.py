"""Activity types of an account (Capsule's built-in ones, with negative ids, are not stored).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("icon_id", sa.String(30), nullable=False),
        sa.Column("update_last_contacted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_activity_types_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_types")),
    )
    op.create_index(op.f("ix_activity_types_account_id"), "activity_types", ["account_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_activity_types_account_id"), table_name="activity_types")
    op.drop_table("activity_types")
