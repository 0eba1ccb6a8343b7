"""Ordered, archivable containers of stages: boards of stages, pipelines of milestones.

A container has a name and a description and is archived rather than deleted; its stages are
kept in an order of their own (`display_order`), a new one going to the end. store/boards.py
and store/pipelines.py each declare one `StageContainers` and keep what differs: the stages'
own columns, how their lists filter, and what a stage in use means.
"""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.scoped import Scoped
from pillbox.store.sql import insert_id


class StageContainers:
    """The account's rows of `table` (boards), whose stages are rows of `stages` linked by
    `parent` (`board_id`)."""

    def __init__(self, table: sa.Table, stages: sa.Table, parent: str) -> None:
        self.table = table
        self.stages = stages
        self.parent = stages.c[parent]
        self.scoped = Scoped(table)
        self.scoped_stages = Scoped(stages)

    def create(
        self, conn: sa.Connection, account_id: int, name: str, description: str | None
    ) -> int:
        now = timestamps.now()
        values = dict(
            account_id=account_id,
            name=name,
            description=description,
            created_at=now,
            updated_at=now,
        )
        return insert_id(conn, self.table.insert().values(**values))

    def load(self, conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
        table = self.table
        query = sa.select(table).where(table.c.account_id == account_id, table.c.id.in_(ids))
        return {row.id: row for row in conn.execute(query)}

    def find(self, conn: sa.Connection, account_id: int, container_id: int) -> Any:
        return self.scoped.find(conn, account_id, container_id)

    def page_ids(
        self,
        conn: sa.Connection,
        account_id: int,
        offset: int,
        limit: int,
        name: str | None,
        *conditions: sa.ColumnElement[bool],
    ) -> list[int]:
        """A page in id order of the containers meeting `conditions`, and whose name holds
        `name` (any case) when given."""
        table = self.table
        query = sa.select(table.c.id).where(table.c.account_id == account_id, *conditions)
        if name:
            query = query.where(sa.func.lower(table.c.name).contains(name.lower(), autoescape=True))
        return list(conn.scalars(query.order_by(table.c.id).limit(limit).offset(offset)))

    @property
    def active(self) -> sa.ColumnElement[bool]:
        return self.table.c.archived_at.is_(None)

    def active_count(self, conn: sa.Connection, account_id: int) -> int:
        query = sa.select(sa.func.count()).where(self.table.c.account_id == account_id, self.active)
        return int(conn.scalar(query) or 0)

    def update(
        self, conn: sa.Connection, account_id: int, container_id: int, values: dict[str, Any]
    ) -> None:
        self.scoped.update(
            conn, account_id, container_id, {**values, "updated_at": timestamps.now()}
        )

    def create_stage(
        self, conn: sa.Connection, account_id: int, container_id: int, **values: Any
    ) -> int:
        """A stage at the end of its container unless `values` give its `display_order`."""
        now = timestamps.now()
        last = sa.select(sa.func.max(self.stages.c.display_order)).where(
            self.parent == container_id
        )
        row = {
            "account_id": account_id,
            self.parent.name: container_id,
            "display_order": int(conn.scalar(last) or 0) + 1,
            "created_at": now,
            "updated_at": now,
        }
        return insert_id(conn, self.stages.insert().values(**{**row, **values}))

    def update_stage(
        self, conn: sa.Connection, account_id: int, stage_id: int, values: dict[str, Any]
    ) -> None:
        self.scoped_stages.update(
            conn, account_id, stage_id, {**values, "updated_at": timestamps.now()}
        )
