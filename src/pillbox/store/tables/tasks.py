"""Tasks, track definitions (templates) and tracks (applied templates)."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp


def _ref(name: str, table: str, ondelete: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(f"{table}.id", ondelete=ondelete))


track_definitions = sa.Table(
    "track_definitions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("tag", sa.String(500)),  # comma-separated tag names applied with the track
    sa.Column("capture_rule", sa.String(11), nullable=False),  # PARTY, OPPORTUNITY, CASEFILE
    sa.Column("direction", sa.String(10), nullable=False),  # START_DATE, END_DATE
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id", "capture_rule"),
)

# The task templates of a track definition, in `display_order`.
task_definitions = sa.Table(
    "task_definitions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "definition_id",
        sa.Integer,
        sa.ForeignKey("track_definitions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("days_after_rule", sa.String(11), nullable=False),  # TRACK_START, LAST_TASK
    sa.Column("days_after", sa.Integer, nullable=False),
    sa.Column("display_order", sa.Integer, nullable=False),
    sa.Column("day_delay_rule", sa.String(14), nullable=False),  # TRACK_DAYS/_WORKDAYS/_WEEKS
    _ref("category_id", "task_categories", "SET NULL"),
    sa.Column("assignee_type", sa.String(20), nullable=False),  # ENTITY_OWNER, USER, …
    _ref("assignee_id", "users", "SET NULL"),  # the user, for assignee type USER
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "definition_id", "display_order"),
)

tracks = sa.Table(
    "tracks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    _ref("definition_id", "track_definitions", "SET NULL"),  # applied tracks outlive it
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("direction", sa.String(10), nullable=False),
    sa.Column("track_date_on", sa.String(10), nullable=False),
    _ref("party_id", "parties", "CASCADE"),
    _ref("opportunity_id", "opportunities", "CASCADE"),
    _ref("kase_id", "kases", "CASCADE"),
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id", "id"),
    sa.Index(None, "party_id"),
    sa.Index(None, "opportunity_id"),
    sa.Index(None, "kase_id"),
)

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("description", sa.String(500), nullable=False),
    sa.Column("detail", sa.Text),
    _ref("category_id", "task_categories", "SET NULL"),  # a deleted category leaves it bare
    sa.Column("due_on", sa.String(10), nullable=False),
    sa.Column("due_time", sa.String(8)),  # HH:MM:SS in the owner's time zone
    sa.Column("status", sa.String(9), nullable=False),  # OPEN, COMPLETED, PENDING
    _ref("party_id", "parties", "CASCADE"),
    _ref("opportunity_id", "opportunities", "CASCADE"),
    _ref("kase_id", "kases", "CASCADE"),
    _ref("owner_id", "users", "SET NULL"),
    _ref("completed_by_id", "users", "SET NULL"),
    timestamp("completed_at", nullable=True),
    # The "Task completed" entry its completion left on its record; reopening removes it.
    _ref("completion_entry_id", "entries", "SET NULL"),
    # Track tasks: their track, place in it and how their due date is worked out.
    _ref("track_id", "tracks", "SET NULL"),
    sa.Column("track_position", sa.Integer),
    sa.Column("days_after", sa.Integer),
    sa.Column("task_delay_rule", sa.String(11)),  # TRACK_START, END_DATE, LAST_TASK
    sa.Column("day_delay_rule", sa.String(14), nullable=False),  # TRACK_DAYS for other tasks
    # Repeating tasks: {"interval": 3, "frequency": "MONTHLY", "on": "1"}.
    sa.Column("repeat_frequency", sa.String(7)),
    sa.Column("repeat_interval", sa.Integer),
    sa.Column("repeat_on", sa.String(20)),
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.Index(None, "account_id", "id"),  # loading a page by ids, account-scoped
    # Lists in due order: one status (the default, open) and several, read in index order.
    sa.Index(None, "account_id", "status", "due_on", "due_time", "id"),
    sa.Index(None, "account_id", "due_on", "due_time", "id"),
    sa.Index(None, "account_id", "updated_at", "id"),
    # A record's open tasks in due order (its page, its API list): without these SQLite's planner
    # walks the account's whole due-order index and filters on the parent.
    sa.Index(None, "account_id", "party_id", "status", "due_on", "due_time", "id"),
    sa.Index(None, "account_id", "opportunity_id", "status", "due_on", "due_time", "id"),
    sa.Index(None, "account_id", "kase_id", "status", "due_on", "due_time", "id"),
    sa.Index(None, "party_id"),
    sa.Index(None, "opportunity_id"),
    sa.Index(None, "kase_id"),
    sa.Index(None, "track_id", "track_position"),
    # Foreign keys whose parent rows are deleted: no table scan per deleted entry or category.
    sa.Index(None, "completion_entry_id"),
    sa.Index(None, "category_id"),
)
