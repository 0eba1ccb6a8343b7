"""Projects (Capsule's "kases"), their additional parties and their search rows."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

kases = sa.Table(
    "kases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column(
        "party_id", sa.Integer, sa.ForeignKey("parties.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id", ondelete="SET NULL")),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("opportunity_id", sa.Integer, sa.ForeignKey("opportunities.id", ondelete="SET NULL")),
    sa.Column("stage_id", sa.Integer, sa.ForeignKey("stages.id", ondelete="SET NULL")),
    sa.Column("expected_close_on", sa.String(10)),
    sa.Column("start_on", sa.String(10)),
    sa.Column("closed_on", sa.String(10)),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("last_contacted_at", nullable=True),
    sa.Index(None, "account_id", "id"),
    sa.Index(None, "account_id", "updated_at", "id"),
    sa.Index(None, "account_id", "status", "id"),
    sa.Index(None, "party_id"),
    sa.Index(None, "opportunity_id"),
    sa.Index(None, "stage_id"),
    sa.Index(None, "stage_id", "status", "expected_close_on", "id"),  # a board column's cards
)

# Parties linked to a project besides its main party ("additional parties").
kase_parties = sa.Table(
    "kase_parties",
    metadata,
    sa.Column(
        "kase_id", sa.Integer, sa.ForeignKey("kases.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "party_id", sa.Integer, sa.ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Index(None, "party_id"),
)

# Search index of projects (names; descriptions and custom field values), shaped like
# party_search and, like it, created by its migration per dialect.
kase_search = sa.Table(
    "kase_search",
    metadata,
    sa.Column("kase_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("account_id", sa.Integer, nullable=False),
    sa.Column("names", sa.Text, nullable=False),
    sa.Column("other", sa.Text, nullable=False),
    info={"dialect_specific": True},
)
