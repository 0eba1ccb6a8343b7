"""Projects (Capsule's "kases"), their additional parties and their search rows."""

import sqlalchemy as sa

from pillbox.store.tables.base import (
    account_ref,
    additional_parties,
    metadata,
    record_search,
    timestamp,
)

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
    sa.Index(None, "account_id", "status", "stage_id"),  # a board's open projects per stage
)

kase_parties = additional_parties("kase_parties", "kase")

kase_search = record_search("kase")
