"""Tasks: an index per parent (party, opportunity, project) in due order.

Revision ID: 0021
Revises: 0020
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_COLUMNS = ("status", "due_on", "due_time", "id")
_PARENTS = ("party_id", "opportunity_id", "kase_id")


def _name(parent: str) -> str:
    return "ix_tasks_account_id_" + "_".join((parent, *_COLUMNS))


def upgrade() -> None:
    for parent in _PARENTS:
        op.create_index(_name(parent), "tasks", ["account_id", parent, *_COLUMNS])


def downgrade() -> None:
    for parent in _PARENTS:
        op.drop_index(_name(parent), table_name="tasks")
