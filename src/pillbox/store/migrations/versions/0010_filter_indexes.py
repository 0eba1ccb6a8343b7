"""Indexes for filters: email addresses and cities in lower case.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_party_email_addresses_lower_address",
        "party_email_addresses",
        [sa.text("lower(address)")],
    )
    op.create_index("ix_party_addresses_lower_city", "party_addresses", [sa.text("lower(city)")])


def downgrade() -> None:
    op.drop_index("ix_party_addresses_lower_city", table_name="party_addresses")
    op.drop_index("ix_party_email_addresses_lower_address", table_name="party_email_addresses")
