"""Users' preferences and person records, person titles, jobs, and soft-deleting tags and fields.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The titles every account starts with (Capsule's built-in ones).
DEFAULT_TITLES = ("Mr", "Master", "Mrs", "Miss", "Ms", "Dr", "Prof")


def upgrade() -> None:
    with op.batch_alter_table("tags") as batch:
        batch.alter_column("name_key", existing_type=sa.String(200), nullable=True)
        batch.add_column(sa.Column("deleted_at", sa.String(20), nullable=True))
    with op.batch_alter_table("field_definitions") as batch:
        batch.add_column(sa.Column("deleted_at", sa.String(20), nullable=True))
    with op.batch_alter_table("field_values") as batch:
        batch.create_index(batch.f("ix_field_values_definition_id"), ["definition_id"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("party_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("status", sa.String(20), server_default="ACTIVE", nullable=False)
        )
        batch.add_column(sa.Column("locale", sa.String(10), server_default="en_GB", nullable=False))
        batch.add_column(sa.Column("currency", sa.String(3), server_default="GBP", nullable=False))
        batch.add_column(
            sa.Column("timezone", sa.String(64), server_default="Europe/London", nullable=False)
        )
        batch.add_column(
            sa.Column("task_reminder", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(sa.Column("email_preference", sa.String(20), nullable=True))
        batch.add_column(sa.Column("click_to_call_preference", sa.String(20), nullable=True))
        batch.add_column(sa.Column("preferred_email_from_address", sa.String(320), nullable=True))
        batch.add_column(sa.Column("last_login_at", sa.String(20), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_users_party_id_parties"),
            "parties",
            ["party_id"],
            ["id"],
            ondelete="SET NULL",
        )
    titles = op.create_table(
        "titles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("title_key", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_titles_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_titles")),
        sa.UniqueConstraint("account_id", "title_key", name=op.f("uq_titles_account_id_title_key")),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("locked_until", sa.Float(), nullable=True),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_jobs_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_status_created_at"), "jobs", ["status", "created_at"])
    _add_default_titles(titles)


def _add_default_titles(titles: sa.Table) -> None:
    bind = op.get_bind()
    accounts = bind.execute(sa.text("SELECT id, created_at FROM accounts")).all()
    rows = [
        {"account_id": account_id, "title": t, "title_key": t.lower(), "created_at": created_at}
        for account_id, created_at in accounts
        for t in DEFAULT_TITLES
    ]
    if rows:
        op.bulk_insert(titles, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_jobs_status_created_at"), table_name="jobs")
    op.drop_table("jobs")
    op.drop_table("titles")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(batch.f("fk_users_party_id_parties"), type_="foreignkey")
        for column in (
            "last_login_at",
            "preferred_email_from_address",
            "click_to_call_preference",
            "email_preference",
            "task_reminder",
            "timezone",
            "currency",
            "locale",
            "status",
            "party_id",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("field_values") as batch:
        batch.drop_index(batch.f("ix_field_values_definition_id"))
    with op.batch_alter_table("field_definitions") as batch:
        batch.drop_column("deleted_at")
    op.execute("DELETE FROM tags WHERE name_key IS NULL")
    with op.batch_alter_table("tags") as batch:
        batch.drop_column("deleted_at")
        batch.alter_column("name_key", existing_type=sa.String(200), nullable=False)
