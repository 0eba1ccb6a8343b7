"""Boards and lists of opportunities and projects: indexes for a column's first cards (by
expected close date), a month's opportunities, and value totals read from the index alone.

Revision ID: 0023
Revises: 0022
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

INDEXES = (
    (
        "ix_opportunities_milestone_id_expected_close_on_id",
        "opportunities",
        ["milestone_id", "expected_close_on", "id"],
    ),
    (
        "ix_opportunities_account_id_expected_close_on",
        "opportunities",
        ["account_id", "expected_close_on"],
    ),
    (
        "ix_opportunities_value_totals",
        "opportunities",
        ["account_id", "milestone_id", "value_currency", "value_amount"],
    ),
    (
        "ix_kases_stage_id_status_expected_close_on_id",
        "kases",
        ["stage_id", "status", "expected_close_on", "id"],
    ),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
