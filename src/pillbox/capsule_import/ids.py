"""Which local row each Capsule record became, remembered in the database with the rows.

A record keeps its Capsule id unless a row of that table has it already (another account's, say):
then it gets a new id from the table's own sequence, and the change is listed. The pairings are
written in the transaction that writes their rows (a page's at once, when the page is saved), so
that after an interruption the import knows exactly which records it wrote and writes none of
them a second time. All of an account's pairings are read once, when the import starts.
"""

import sqlalchemy as sa

from pillbox.store.tables.base import metadata
from pillbox.store.tables.capsule_imports import capsule_import_ids

Key = tuple[str, int]  # (table, Capsule id)


class IdMap:
    """Capsule ids -> local ids of one account's import."""

    def __init__(self, conn: sa.Connection, account_id: int) -> None:
        self._conn, self._account_id = conn, account_id
        t = capsule_import_ids
        query = sa.select(t.c.entity, t.c.source_id, t.c.local_id).where(
            t.c.account_id == account_id
        )
        self._known: dict[Key, int] = {(e, s): local for e, s, local in conn.execute(query)}
        self._new: list[Key] = []  # paired since the last `flush`

    def local(self, table: str, source_id: int) -> int | None:
        """The local id of a record this import wrote, or None."""
        return self._known.get((table, source_id))

    def assign(self, table: str, source_id: int) -> int:
        """A local id for a record not written before: its own when free, else a new one."""
        target = metadata.tables[table]
        taken = self._conn.scalar(sa.select(target.c.id).where(target.c.id == source_id))
        local = source_id if taken is None else _fresh_id(self._conn, target)
        self.adopt(table, source_id, local)
        return local

    def adopt(self, table: str, source_id: int, local: int) -> None:
        """Pairs a Capsule record with a local row."""
        self._known[(table, source_id)] = local
        self._new.append((table, source_id))

    def mark(self) -> int:
        return len(self._new)

    def rollback(self, mark: int) -> None:
        """Forgets the pairings made since `mark` (their rows were rolled back)."""
        for key in self._new[mark:]:
            del self._known[key]
        del self._new[mark:]

    def flush(self) -> None:
        """Writes the pairings made since the last flush."""
        if self._new:
            rows = [
                {"account_id": self._account_id, "entity": e, "source_id": s, "local_id": local}
                for e, s in self._new
                for local in [self._known[(e, s)]]
            ]
            self._conn.execute(capsule_import_ids.insert(), rows)
            self._new.clear()

    def drop(self, table: str, source_id: int) -> None:
        """Forgets a record deleted here (flushed pairings only)."""
        self._known.pop((table, source_id), None)
        t = capsule_import_ids
        self._conn.execute(
            t.delete().where(
                t.c.account_id == self._account_id,
                t.c.entity == table,
                t.c.source_id == source_id,
            )
        )


def _fresh_id(conn: sa.Connection, table: sa.Table) -> int:
    if conn.dialect.name == "postgresql":
        # The sequence may not have passed ids this import wrote in the current page yet.
        sql = sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id'))")
        while True:
            candidate = int(conn.scalar(sql, {"table": table.name}))
            if conn.scalar(sa.select(table.c.id).where(table.c.id == candidate)) is None:
                return candidate
    # SQLite (AUTOINCREMENT): the next id after the largest ever given; the import holds the
    # write lock, so no one else takes it meanwhile.
    sql = sa.text("SELECT seq FROM sqlite_sequence WHERE name = :table")
    largest = conn.scalar(sql, {"table": table.name}) or 0
    current = conn.scalar(sa.select(sa.func.max(table.c.id))) or 0
    return int(max(largest, current)) + 1


def advance_sequences(conn: sa.Connection, tables: set[str]) -> None:
    """On PostgreSQL, moves each table's sequence past the largest id in it, so that rows the API
    creates next never collide with ids the import wrote. (SQLite's AUTOINCREMENT follows
    explicit ids by itself.)"""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    for name in sorted(tables):
        sequence = conn.scalar(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name})
        if sequence is None:
            continue
        # `sequence` comes from PostgreSQL itself, already quoted where it needs to be.
        conn.execute(
            sa.text(
                f"SELECT setval('{sequence}', GREATEST("
                f"(SELECT COALESCE(MAX(id), 0) FROM {quote(name)}), "
                f"(SELECT last_value FROM {sequence})))"
            )
        )
