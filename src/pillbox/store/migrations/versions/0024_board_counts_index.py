"""Projects: an index counting a board's open projects per stage from the index alone.

Revision ID: 0024
Revises: 0023
"""

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_NAME = "ix_kases_account_id_status_stage_id"


def upgrade() -> None:
    op.create_index(_NAME, "kases", ["account_id", "status", "stage_id"])


def downgrade() -> None:
    op.drop_index(_NAME, table_name="kases")
