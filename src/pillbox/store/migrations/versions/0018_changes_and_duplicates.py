"""Change history of records, and indexes for finding likely duplicate parties.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# The same expressions as store/tables/parties.py builds (a database matches them by structure).
PHONE_KEY = (
    "replace(replace(replace(replace(replace(replace(replace(number, ' ', ''), '-', ''), "
    "'(', ''), ')', ''), '.', ''), '+', ''), '/', '')"
)
PERSON_NAME_KEY = "lower((coalesce(first_name, '') || ' ') || coalesce(last_name, ''))"


def upgrade() -> None:
    op.create_table(
        "record_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=20), nullable=True),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_record_changes_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_record_changes_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_changes")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_record_changes_account_id_entity_record_id_id"),
        "record_changes",
        ["account_id", "entity", "record_id", "id"],
    )
    op.create_index("ix_party_phone_numbers_phone_key", "party_phone_numbers", [sa.text(PHONE_KEY)])
    op.create_index(
        "ix_parties_person_name_key", "parties", ["account_id", sa.text(PERSON_NAME_KEY)]
    )


def downgrade() -> None:
    op.drop_index("ix_parties_person_name_key", table_name="parties")
    op.drop_index("ix_party_phone_numbers_phone_key", table_name="party_phone_numbers")
    op.drop_index(
        op.f("ix_record_changes_account_id_entity_record_id_id"), table_name="record_changes"
    )
    op.drop_table("record_changes")
