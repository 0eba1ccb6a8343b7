"""Filters and lists by a party's name: an index of every party's name as shown, in lower case
(a person's first and last name, an organisation's name). Filters by when a party was added or
last contacted: an index of each date per account.

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

# The expression of tables/parties.py's `display_name`, in lower case, as the queries write it.
LOWER_NAME = (
    "lower(CASE WHEN (type = 'person') THEN trim(coalesce(first_name, '') || ' ' || "
    "coalesce(last_name, '')) ELSE name END)"
)


DATES = ("created_at", "last_contacted_at")


def upgrade() -> None:
    op.create_index("ix_parties_lower_name", "parties", ["account_id", sa.text(LOWER_NAME)])
    for column in DATES:
        op.create_index(f"ix_parties_account_id_{column}", "parties", ["account_id", column])


def downgrade() -> None:
    for column in DATES:
        op.drop_index(f"ix_parties_account_id_{column}", table_name="parties")
    op.drop_index("ix_parties_lower_name", table_name="parties")
