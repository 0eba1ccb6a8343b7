"""Writing seeded rows fast: ids handed out up front, rows buffered per table, batched inserts.

The API inserts a row at a time and lets the database pick its id; seeding writes thousands per
statement (executemany), so it must know the ids of records that others refer to before writing
any of them. `Ids` hands them out: on SQLite counting on from the table's largest id (seeding
holds the write lock, so nobody else takes one meanwhile); on PostgreSQL drawn from the table's
own sequence, so the API's later inserts never collide with them.

`Bulk` buffers rows and writes them table by table in an order where every row's references are
already written (foreign keys are enforced on both databases), and the search index rows with
them, in the columns `store.search` defines. The indexes are filled as the API fills them, one
row per record, only many rows per statement; at the end SQLite's full-text indexes are merged
into one segment, as the migration that built them does. On SQLite a thread of its own writes
each batch while the next is made (measured: 100,000 parties in 24 s instead of 28 s on an idle
2-core machine, 40 s instead of 56 s on a busy one).
"""

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from pillbox.store import id_counters, search
from pillbox.store.tables.entries import entries
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import (
    addresses,
    email_addresses,
    parties,
    phone_numbers,
    websites,
)
from pillbox.store.tables.records import record_tags
from pillbox.store.tables.tasks import tasks

# Referenced tables before those that refer to them.
TABLES = (
    parties,
    addresses,
    email_addresses,
    phone_numbers,
    websites,
    opportunities,
    kases,
    entries,
    tasks,
    record_tags,
)
INDEXES = (search.PARTIES, search.OPPORTUNITIES, search.KASES)
_MAX_CHUNK = 10_000
_SQLITE_CACHE_KIB = 256 * 1024


@contextmanager
def roomy_cache(conn: sa.Connection) -> Iterator[None]:
    """On SQLite, a page cache of 256 MB (instead of 2 MB) while seeding: the index pages of
    large tables then stay in memory between batches instead of being written out and read
    back, which saves about a quarter of the inserts' time."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or 0)}")


class Ids:
    """New ids of one table, for rows inserted with their id given."""

    def __init__(self, conn: sa.Connection, table: sa.Table) -> None:
        self._conn, self._table = conn, table
        self._free: list[int] = []
        self._chunk = 100  # ids drawn at once, growing: a small seed wastes few of a sequence
        self._next: int | None = None  # SQLite: the id past every id the table ever held
        if conn.dialect.name == "sqlite":
            self._next = id_counters.next_sqlite_id(conn, table)

    def take(self) -> int:
        if self._next is not None:
            self._next += 1
            return self._next - 1
        if not self._free:
            self._draw()
        return self._free.pop()

    def _draw(self) -> None:
        """The next ids of the table's sequence (PostgreSQL), handed out in increasing order."""
        drawn = self._conn.execute(
            sa.text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"table": self._table.name, "count": self._chunk},
        )
        self._free = sorted((int(row[0]) for row in drawn), reverse=True)
        self._chunk = min(2 * self._chunk, _MAX_CHUNK)


Statements = list[tuple[str, list[tuple[Any, ...]]]]  # (SQL, rows of values) in order


class _Writer:
    """Runs the inserts of each batch in order. On SQLite in a thread of its own: the driver lets
    go of the interpreter while SQLite works, so writing a batch overlaps with making the next,
    on a second core. At most one batch waits, which bounds the memory held."""

    def __init__(self, conn: sa.Connection, threaded: bool) -> None:
        self._conn = conn
        self._batches: queue.Queue[Statements | None] = queue.Queue(maxsize=1)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True) if threaded else None
        if self._thread is not None:
            self._thread.start()

    def send(self, statements: Statements) -> None:
        self._raise()
        if self._thread is None:
            self._write(statements)
        else:
            self._batches.put(statements)

    def wait(self) -> None:
        """Returns once every batch sent is written or failed (and stops the thread)."""
        if self._thread is not None:
            self._batches.put(None)
            self._thread.join()
            self._thread = None

    def close(self) -> None:
        """Waits for the batches sent; raises what failed."""
        self.wait()
        self._raise()

    def _run(self) -> None:
        while (statements := self._batches.get()) is not None:
            if self._failure is None:
                try:
                    self._write(statements)
                except BaseException as failure:  # raised in the seeding thread, by send/close
                    self._failure = failure

    def _write(self, statements: Statements) -> None:
        for sql, values in statements:
            self._conn.exec_driver_sql(sql, values)

    def _raise(self) -> None:
        if self._failure is not None:
            raise self._failure


class Bulk:
    """Rows waiting to be written, per table and per search index."""

    def __init__(self, conn: sa.Connection, account_id: int) -> None:
        self._conn, self._account_id = conn, account_id
        self._sqlite = conn.dialect.name == "sqlite"
        self._mark = "?" if self._sqlite else "%s"  # the driver's positional placeholder
        self.rows: dict[str, list[dict[str, Any]]] = {table.name: [] for table in TABLES}
        self._entries: dict[str, list[tuple[Any, ...]]] = {i.table.name: [] for i in INDEXES}
        self._written: dict[str, int] = dict.fromkeys(self.rows, 0)
        self._writer = _Writer(conn, threaded=self._sqlite)

    def add(self, table: sa.Table, row: dict[str, Any]) -> None:
        """Adds a row; every row of a table has the same keys (columns left out stay NULL)."""
        self.rows[table.name].append(row)

    def index(self, index: search.SearchIndex, record_id: int, entry: dict[str, str]) -> None:
        """Indexes a record by the texts `search.party_entry` or `search.record_entry` made."""
        texts = tuple(entry[column] for column in index.columns)
        # SQLite's index is an FTS5 table whose rowid is the record id, as search.reindex writes.
        ids = (record_id, record_id) if self._sqlite else (record_id,)
        self._entries[index.table.name].append((*ids, self._account_id, *texts))

    def tag(self, entity: str, record_id: int, tag_id: int) -> None:
        self.rows[record_tags.name].append(
            {"entity": entity, "record_id": record_id, "tag_id": tag_id}
        )

    def flush(self) -> None:
        """Writes the rows waiting, a statement per table, straight to the driver: SQLAlchemy's
        per-row parameter handling would cost more than the inserts themselves."""
        statements: Statements = []
        for table in TABLES:
            rows = self.rows[table.name]
            if rows:
                columns = tuple(rows[0])
                values = list(map(itemgetter(*columns), rows))
                statements.append((self._insert(table.name, columns), values))
                self._written[table.name] += len(rows)
                rows.clear()
        for index in INDEXES:
            found = self._entries[index.table.name]
            if found:
                ids = ("rowid", index.id_column) if self._sqlite else (index.id_column,)
                columns = (*ids, "account_id", *index.columns)
                statements.append((self._insert(index.table.name, columns), list(found)))
                found.clear()
        self._writer.send(statements)

    def finish(self) -> dict[str, int]:
        """Writes what is left, compacts the search indexes; returns rows written per table."""
        self.flush()
        self._writer.close()
        if self._sqlite:  # one segment per index instead of one per batch, as the migration does
            for index in INDEXES:
                name = index.table.name
                self._conn.exec_driver_sql(f"INSERT INTO {name} ({name}) VALUES ('optimize')")
        return dict(self._written)

    def stop(self) -> None:
        """Waits for the rows handed over so far, written or not: the connection is then the
        caller's alone again (to roll back, say)."""
        self._writer.wait()

    def _insert(self, table: str, columns: tuple[str, ...]) -> str:
        quote = self._conn.dialect.identifier_preparer.quote
        names = ", ".join(quote(column) for column in columns)
        marks = ", ".join(self._mark for _ in columns)
        return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"
