"""One transaction per request, run where the backend wants it.

SQLite calls take microseconds, so they run inline on the event loop, one after another, on one
long-lived connection whose transactions are begun and ended on the driver itself: a thread hop,
a pool checkout or SQLAlchemy's transaction bookkeeping would each cost more than the query (the
store's engine setup skips its own BEGIN inside a transaction already open). PostgreSQL
calls wait on the network, so they run in the thread pool on pooled connections. A transaction
commits when the function returns and rolls back when it raises: a 4xx changes nothing.
"""

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool

from pillbox.store.engine import WRITE, is_sqlite
from pillbox.store.hooks import QUEUED

T = TypeVar("T")


class Database:
    def __init__(self, engine: sa.Engine, on_queued: Callable[[], None] = lambda: None) -> None:
        self.engine = engine
        self.on_queued = on_queued  # after a commit that queued REST hook deliveries
        self.inline = is_sqlite(engine)
        self._loop_connection: sa.Connection | None = None

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return self._inline(False, fn, args)
        return await run_in_threadpool(self._pooled, False, fn, args)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return self._inline(True, fn, args)
        return await run_in_threadpool(self._pooled, True, fn, args)

    def close(self) -> None:
        if self._loop_connection is not None:
            self._loop_connection.close()
            self._loop_connection = None

    def _inline_connection(self) -> sa.Connection:
        if self._loop_connection is None or self._loop_connection.closed:
            self._loop_connection = self.engine.connect()
        return self._loop_connection

    def _inline(self, write: bool, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        conn = self._inline_connection()
        driver: Any = conn.connection.driver_connection
        # A write takes the write lock up front; a deferred one could fail to upgrade later.
        driver.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            result = fn(conn, *args)
        except BaseException:
            self._end(conn, driver, commit=False)
            conn.info.pop(QUEUED, None)
            raise
        self._end(conn, driver, commit=True)
        self._after_commit(conn)
        return result

    def _after_commit(self, conn: sa.Connection) -> None:
        if conn.info.pop(QUEUED, False):
            self.on_queued()

    @staticmethod
    def _end(conn: sa.Connection, driver: Any, commit: bool) -> None:
        """Ends the transaction through SQLAlchemy if the work used it, else on the driver."""
        if conn.in_transaction():
            (conn.commit if commit else conn.rollback)()
        else:
            (driver.commit if commit else driver.rollback)()

    def _pooled(self, write: bool, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        with self.engine.connect() as conn:
            try:
                result = self._in_transaction(conn, write, fn, args)
            finally:
                queued = conn.info.pop(QUEUED, False)
            if queued:
                self.on_queued()
            return result

    @staticmethod
    def _in_transaction(
        conn: sa.Connection, write: bool, fn: Callable[..., T], args: tuple[Any, ...]
    ) -> T:
        conn.execution_options(**{WRITE: write})
        with conn.begin():
            return fn(conn, *args)
