"""Personal API tokens get a name, given when made on the API Authentication Tokens screen.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("name", sa.String(length=100), nullable=True))


def downgrade() -> None:
    # SQLite rebuilds the table to drop a column: it keeps AUTOINCREMENT only when told.
    with op.batch_alter_table("tokens", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("name")
