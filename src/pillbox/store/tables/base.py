"""Shared metadata and column helpers.

Timestamps are stored as text in the API's own form (2015-11-30T16:20:05Z): it sorts and compares
correctly as text on both databases, and reading a page of records needs no conversion at all.
"""

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def timestamp(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(20), nullable=nullable)


def account_ref() -> sa.Column[int]:
    return sa.Column(
        "account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    )
