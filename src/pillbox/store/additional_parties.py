"""Parties linked to an opportunity or a project besides its main party."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.sql import delete_rows
from pillbox.store.tables.kases import kase_parties, kases
from pillbox.store.tables.opportunities import opportunities, opportunity_parties


@dataclass(frozen=True)
class PartyLinks:
    """The links of one record type: its link table, the record column in it, its own table."""

    links: sa.Table
    column: str
    records: sa.Table

    def party_ids(self, conn: sa.Connection, record_id: int, offset: int, limit: int) -> list[int]:
        query = (
            sa.select(self.links.c.party_id)
            .where(self.links.c[self.column] == record_id)
            .order_by(self.links.c.party_id)
            .limit(limit)
            .offset(offset)
        )
        return list(conn.scalars(query))

    def has(self, conn: sa.Connection, record_id: int, party_id: int) -> bool:
        query = sa.select(self.links.c.party_id).where(
            self.links.c[self.column] == record_id, self.links.c.party_id == party_id
        )
        return conn.scalar(query) is not None

    def add(self, conn: sa.Connection, record_id: int, party_id: int) -> None:
        conn.execute(self.links.insert().values({self.column: record_id, "party_id": party_id}))
        self._touch(conn, record_id)

    def remove(self, conn: sa.Connection, record_id: int, party_id: int) -> None:
        delete_rows(conn, self.links, {self.column: record_id, "party_id": party_id})
        self._touch(conn, record_id)

    def _touch(self, conn: sa.Connection, record_id: int) -> None:
        values: dict[str, Any] = {"updated_at": timestamps.now()}
        conn.execute(self.records.update().where(self.records.c.id == record_id).values(values))


OPPORTUNITIES = PartyLinks(opportunity_parties, "opportunity_id", opportunities)
KASES = PartyLinks(kase_parties, "kase_id", kases)
