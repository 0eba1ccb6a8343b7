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


def stage_container(name: str) -> sa.Table:
    """A board or a pipeline: named, archived rather than deleted (as Capsule "deletes" one),
    holding stages of its own."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        account_ref(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("archived_at", nullable=True),
        sa.Index(None, "account_id"),
    )


def additional_parties(name: str, record: str) -> sa.Table:
    """The parties linked to an opportunity or project (`record`) besides its main party."""
    return sa.Table(
        name,
        metadata,
        sa.Column(
            f"{record}_id",
            sa.Integer,
            sa.ForeignKey(f"{record_table(record)}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "party_id",
            sa.Integer,
            sa.ForeignKey("parties.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Index(None, "party_id"),
    )


def record_search(record: str) -> sa.Table:
    """The search index of opportunities or projects (names; descriptions and custom field
    values), shaped like party_search and, like it, created by its migration per dialect."""
    return sa.Table(
        f"{record}_search",
        metadata,
        sa.Column(f"{record}_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("names", sa.Text, nullable=False),
        sa.Column("other", sa.Text, nullable=False),
        info={"dialect_specific": True},
    )


def record_table(record: str) -> str:
    return {"kase": "kases", "opportunity": "opportunities"}[record]
