"""OAuth 2.0: apps, authorization codes, app tokens that expire and refresh, user passwords.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "apps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("redirect_uris", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("revoked_at", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_apps_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apps")),
        sa.UniqueConstraint("client_id", name=op.f("uq_apps_client_id")),
    )
    op.create_index(op.f("ix_apps_account_id"), "apps", ["account_id"])
    op.create_table(
        "authorization_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("redirect_uri", sa.String(length=2000), nullable=True),
        sa.Column("scope", sa.String(length=100), nullable=False),
        sa.Column("code_challenge", sa.String(length=128), nullable=True),
        sa.Column("code_challenge_method", sa.String(length=10), nullable=True),
        sa.Column("expires_at", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"],
            ["apps.id"],
            name=op.f("fk_authorization_codes_app_id_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_authorization_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorization_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_authorization_codes_code_hash")),
    )
    op.create_index(
        op.f("ix_authorization_codes_expires_at"), "authorization_codes", ["expires_at"]
    )
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("app_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("expires_at", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("refresh_token_hash", sa.String(length=64), nullable=True))
        batch.alter_column(
            "scope",
            existing_type=sa.String(length=20),
            type_=sa.String(length=100),
            existing_nullable=False,
        )
        batch.create_index(batch.f("ix_tokens_app_id"), ["app_id"])
        batch.create_unique_constraint(
            batch.f("uq_tokens_refresh_token_hash"), ["refresh_token_hash"]
        )
        batch.create_foreign_key(
            batch.f("fk_tokens_app_id_apps"), "apps", ["app_id"], ["id"], ondelete="CASCADE"
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_hash")
    op.execute("DELETE FROM tokens WHERE app_id IS NOT NULL")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_constraint(batch.f("fk_tokens_app_id_apps"), type_="foreignkey")
        batch.drop_constraint(batch.f("uq_tokens_refresh_token_hash"), type_="unique")
        batch.drop_index(batch.f("ix_tokens_app_id"))
        batch.alter_column(
            "scope",
            existing_type=sa.String(length=100),
            type_=sa.String(length=20),
            existing_nullable=False,
        )
        batch.drop_column("refresh_token_hash")
        batch.drop_column("expires_at")
        batch.drop_column("app_id")
    op.drop_index(op.f("ix_authorization_codes_expires_at"), table_name="authorization_codes")
    op.drop_table("authorization_codes")
    op.drop_index(op.f("ix_apps_account_id"), table_name="apps")
    op.drop_table("apps")
