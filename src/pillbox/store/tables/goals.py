"""Goals of users, the periods each is broken into, and saved filters of records."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

goals = sa.Table(
    "goals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("frequency", sa.String(7), nullable=False),  # DAILY, WEEKLY, MONTHLY, YEARLY, FIXED
    sa.Column("start_on", sa.String(10), nullable=False),
    sa.Column("end_on", sa.String(10), nullable=False),
    sa.Column("type", sa.String(36), nullable=False),  # one of Capsule's goal type UUIDs
    # A decimal in text ("13666.5"), as opportunity values are kept.
    sa.Column("value", sa.String(40), nullable=False),
    sa.Column("currency", sa.String(3)),  # sum goals only
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("pipeline_id", sa.Integer, sa.ForeignKey("pipelines.id", ondelete="SET NULL")),
    sa.Column("milestone_id", sa.Integer, sa.ForeignKey("milestones.id", ondelete="SET NULL")),
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id", "id"),
    sa.Index(None, "user_id"),
    sa.Index(None, "pipeline_id"),
    sa.Index(None, "milestone_id"),
    sqlite_autoincrement=True,
)

# The blocks of time a goal is measured in; rebuilt when its dates or frequency change.
goal_periods = sa.Table(
    "goal_periods",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("goal_id", sa.Integer, sa.ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
    sa.Column("start_on", sa.String(10), nullable=False),
    sa.Column("end_on", sa.String(10), nullable=False),
    sa.Index(None, "goal_id", "start_on"),
    sqlite_autoincrement=True,
)

# A filter of parties, opportunities or projects kept under a name, to be run again later.
saved_filters = sa.Table(
    "saved_filters",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("entity", sa.String(13), nullable=False),  # parties, opportunities, kases
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("conditions", sa.Text, nullable=False),  # the filter's conditions, as JSON
    sa.Column("order_by", sa.Text, nullable=False),  # its orderBy, as JSON
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id", "entity", "id"),
    sqlite_autoincrement=True,
)
