"""Tasks, track definitions with their task definitions, and tracks.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_INDEXES = {
    "track_definitions": [["account_id", "capture_rule"]],
    "task_definitions": [["definition_id", "display_order"]],
    "tracks": [["account_id", "id"], ["kase_id"], ["opportunity_id"], ["party_id"]],
    "tasks": [
        ["account_id", "id"],
        ["account_id", "status", "due_on", "due_time", "id"],
        ["account_id", "due_on", "due_time", "id"],
        ["account_id", "updated_at", "id"],
        ["kase_id"],
        ["opportunity_id"],
        ["party_id"],
        ["track_id", "track_position"],
        ["completion_entry_id"],
        ["category_id"],
    ],
}


def _index_name(table: str, columns: list[str]) -> str:
    return f"ix_{table}_{'_'.join(columns)}"


def upgrade() -> None:
    op.create_table(
        "track_definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("tag", sa.String(length=500), nullable=True),
        sa.Column("capture_rule", sa.String(length=11), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_track_definitions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_track_definitions")),
    )
    op.create_table(
        "task_definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("days_after_rule", sa.String(length=11), nullable=False),
        sa.Column("days_after", sa.Integer(), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("day_delay_rule", sa.String(length=14), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("assignee_type", sa.String(length=20), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
            name=op.f("fk_task_definitions_assignee_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["task_categories.id"],
            name=op.f("fk_task_definitions_category_id_task_categories"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["track_definitions.id"],
            name=op.f("fk_task_definitions_definition_id_track_definitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_definitions")),
    )
    op.create_table(
        "tracks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("track_date_on", sa.String(length=10), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("kase_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_tracks_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["track_definitions.id"],
            name=op.f("fk_tracks_definition_id_track_definitions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["kase_id"], ["kases.id"], name=op.f("fk_tracks_kase_id_kases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_tracks_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_tracks_party_id_parties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracks")),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.String(length=10), nullable=False),
        sa.Column("due_time", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=9), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("kase_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.String(length=20), nullable=True),
        sa.Column("completion_entry_id", sa.Integer(), nullable=True),
        sa.Column("track_id", sa.Integer(), nullable=True),
        sa.Column("track_position", sa.Integer(), nullable=True),
        sa.Column("days_after", sa.Integer(), nullable=True),
        sa.Column("task_delay_rule", sa.String(length=11), nullable=True),
        sa.Column("day_delay_rule", sa.String(length=14), nullable=False),
        sa.Column("repeat_frequency", sa.String(length=7), nullable=True),
        sa.Column("repeat_interval", sa.Integer(), nullable=True),
        sa.Column("repeat_on", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_tasks_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["task_categories.id"],
            name=op.f("fk_tasks_category_id_task_categories"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_id"],
            ["users.id"],
            name=op.f("fk_tasks_completed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["completion_entry_id"],
            ["entries.id"],
            name=op.f("fk_tasks_completion_entry_id_entries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["kase_id"], ["kases.id"], name=op.f("fk_tasks_kase_id_kases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_tasks_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_tasks_owner_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_tasks_party_id_parties"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["track_id"], ["tracks.id"], name=op.f("fk_tasks_track_id_tracks"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    for table, indexes in _INDEXES.items():
        for columns in indexes:
            op.create_index(op.f(_index_name(table, columns)), table, columns)


def downgrade() -> None:
    for table in ("tasks", "tracks", "task_definitions", "track_definitions"):
        for columns in _INDEXES[table]:
            op.drop_index(op.f(_index_name(table, columns)), table_name=table)
        op.drop_table(table)
