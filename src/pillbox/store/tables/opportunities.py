"""Opportunities, their pipelines, milestones and lost reasons, and additional parties."""

import sqlalchemy as sa

from pillbox.store.tables.base import (
    account_ref,
    additional_parties,
    metadata,
    record_search,
    stage_container,
    timestamp,
)

pipelines = stage_container("pipelines")

milestones = sa.Table(
    "milestones",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column(
        "pipeline_id",
        sa.Integer,
        sa.ForeignKey("pipelines.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("probability", sa.Integer, nullable=False),
    sa.Column("complete", sa.Boolean, nullable=False),
    sa.Column("days_until_stale", sa.Integer),
    sa.Column("display_order", sa.Integer, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "pipeline_id", "display_order"),
    sa.Index(None, "account_id"),
)

lost_reasons = sa.Table(
    "lost_reasons",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("included_for_conversion", sa.Boolean, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("deleted_at", nullable=True),  # kept for the opportunities that carry it
    sa.Index(None, "account_id"),
)

opportunities = sa.Table(
    "opportunities",
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
    sa.Column("milestone_id", sa.Integer, sa.ForeignKey("milestones.id"), nullable=False),
    sa.Column(
        "last_open_milestone_id",
        sa.Integer,
        sa.ForeignKey("milestones.id", ondelete="SET NULL"),
    ),
    sa.Column("lost_reason_id", sa.Integer, sa.ForeignKey("lost_reasons.id", ondelete="SET NULL")),
    # A decimal in text ("1250.50"): exact on both databases, turned into a JSON number on the
    # way out.
    sa.Column("value_amount", sa.String(40)),
    sa.Column("value_currency", sa.String(3)),
    sa.Column("expected_close_on", sa.String(10)),
    sa.Column("probability", sa.Integer, nullable=False),
    sa.Column("duration_basis", sa.String(10), nullable=False),
    sa.Column("duration", sa.Integer),
    sa.Column("closed_on", sa.String(10)),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("last_contacted_at", nullable=True),
    timestamp("last_stage_changed_at", nullable=True),
    sa.Index(None, "account_id", "id"),
    sa.Index(None, "account_id", "updated_at", "id"),
    sa.Index(None, "party_id"),
    sa.Index(None, "milestone_id"),
    # A board column's first cards, a month's opportunities, and value totals by milestone and
    # currency read from the index alone.
    sa.Index(None, "milestone_id", "expected_close_on", "id"),
    sa.Index(None, "account_id", "expected_close_on"),
    sa.Index(
        "ix_opportunities_value_totals",
        "account_id",
        "milestone_id",
        "value_currency",
        "value_amount",
    ),
)

opportunity_parties = additional_parties("opportunity_parties", "opportunity")

opportunity_search = record_search("opportunity")
