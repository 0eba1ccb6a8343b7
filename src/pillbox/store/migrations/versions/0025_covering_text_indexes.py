"""Filters: the lower-case indexes of a party's texts (cities, email addresses, phone numbers, …)
also hold the party's id, so the parties a condition names are read from the index alone.

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# (table, column) of each index `ix_{table}_lower_{column}`, now `…_party_id`.
TEXTS = (
    ("party_email_addresses", "address"),
    ("party_addresses", "city"),
    ("party_addresses", "zip"),
    ("party_addresses", "state"),
    ("party_addresses", "country"),
    ("party_phone_numbers", "number"),
    ("party_websites", "address"),
)


def upgrade() -> None:
    for table, column in TEXTS:
        op.drop_index(f"ix_{table}_lower_{column}", table_name=table)
        op.create_index(
            f"ix_{table}_lower_{column}_party_id",
            table,
            [sa.text(f"lower({column})"), sa.text("party_id")],
        )


def downgrade() -> None:
    for table, column in TEXTS:
        op.drop_index(f"ix_{table}_lower_{column}_party_id", table_name=table)
        op.create_index(f"ix_{table}_lower_{column}", table, [sa.text(f"lower({column})")])
