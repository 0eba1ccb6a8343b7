"""Database engines for both backends, set up the way the rest of the store relies on."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url

WRITE = "pillbox_write"
MMAP_BYTES = 256 * 1024 * 1024
CACHE_KIB = 32 * 1024


def create_engine(url: str, pool_size: int = 10) -> sa.Engine:
    """An engine for `url` (sqlite:///… or postgresql+psycopg://…).

    PostgreSQL connections are not pinged at checkout (a round trip as dear as the query): a
    connection found dead raises a disconnect error, which invalidates the pool, and the caller
    retries (api/database.py).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return _postgresql_engine(url, pool_size)


def _postgresql_engine(url: str, pool_size: int) -> sa.Engine:
    # psycopg prepares a statement run five times on a connection; PostgreSQL then plans it for
    # any parameters once a generic plan looks no dearer than the custom ones (its default
    # `plan_cache_mode = auto`). Planning each execution (`force_custom_plan`, as before) cost
    # more than running: 2.9 ms to plan a page of 100 opportunities (a join of seven tables)
    # that then ran in 0.8 (docs/performance.md).
    return sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size)


def read_only_engine(engine: sa.Engine) -> sa.Engine:
    """The PostgreSQL engine's pool and observers, for reads whose statements each commit alone.

    No BEGIN and COMMIT round trips around a read (under READ COMMITTED each statement sees its
    own snapshot anyway). A write slipped into a read would commit on its own, so it is refused.
    """
    reader = engine.execution_options(isolation_level="AUTOCOMMIT")
    event.listen(reader, "before_cursor_execute", _refuse_writes)
    return reader


_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "ALTER", "CREATE", "DROP")


def _refuse_writes(
    _conn: Any, _cursor: Any, statement: str, _args: Any, _context: Any, _many: bool
) -> None:
    if statement.lstrip()[:8].upper().startswith(_WRITES):
        raise sa.exc.InvalidRequestError(f"a read may not write: {statement[:60]}")


def is_sqlite(engine: sa.Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module (see on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA temp_store = MEMORY")
        # Pages read through a memory map (no read call, no copy) and up to 32 MB of them kept
        # per connection, where SQLite keeps 2 MB: a list page's rows lie scattered over a
        # large database, and a page of 100 tasks with their parties cost 3.6 ms of CPU instead
        # of 3.0-3.2 (docs/performance.md). The map is a bound, never allocated memory.
        cursor.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if make_url(url).database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        # A write transaction takes the write lock up front: a deferred transaction that
        # upgrades later can fail with SQLITE_BUSY at once instead of waiting its turn.
        # Straight to the driver: this runs on every request, and the SQLAlchemy statement
        # machinery would cost several times the BEGIN itself.
        write = connection.get_execution_options().get(WRITE, False)
        driver: Any = connection.connection.driver_connection
        if not driver.in_transaction:  # the caller may have begun it on the driver already
            driver.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def update_statistics(conn: sa.Connection, only_used: bool = False) -> None:
    """Refreshes the statistics the query planner chooses indexes by (after a bulk load, and
    as a connection closes). Without them SQLite cannot tell a tag held by 20,000 parties from
    a city of 2,000, and a three-condition party filter on 100,000 parties ran ~4x slower.

    On SQLite `only_used` runs `PRAGMA optimize`, which analyses only the tables this connection
    queried whose statistics are missing or stale (what SQLite advises before closing a
    connection); otherwise `ANALYZE`, sampling at most 400 rows per index either way."""
    if conn.dialect.name != "sqlite":
        if not only_used:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        return
    driver: Any = conn.connection.driver_connection
    driver.execute("PRAGMA analysis_limit = 400")
    driver.execute("PRAGMA optimize" if only_used else "ANALYZE")
