"""Boards and their stages: the ordered, archivable columns projects move through."""

import sqlalchemy as sa

from pillbox.store.tables.base import (
    account_ref,
    metadata,
    stage_container,
    timestamp,
)

boards = stage_container("boards")

stages = sa.Table(
    "stages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column(
        "board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("display_order", sa.Integer, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("archived_at", nullable=True),  # kept for the closed projects that sit on it
    sa.Index(None, "board_id", "display_order"),
    sa.Index(None, "account_id"),
)
