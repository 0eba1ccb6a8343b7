"""One transaction per request, run where the backend wants it.

SQLite calls take microseconds, so they run inline on the event loop, one after another, on one
long-lived connection whose transactions are begun and ended on the driver itself: a thread hop,
a pool checkout or SQLAlchemy's transaction bookkeeping would each cost more than the query (the
store's engine setup skips its own BEGIN inside a transaction already open). That connection
never waits for a lock: when another process (a second worker, the job worker, a command) holds
the write lock, SQLite answers busy at once, and the call is run again in this process's one
waiting thread, which waits its turn there (busy_timeout) while the event loop serves on. PostgreSQL
calls wait on the network, so they run in the thread pool on pooled connections: a write in a
transaction, a read on a read-only connection whose statements each commit alone (no BEGIN and
COMMIT round trips). A transaction commits when the function returns and rolls back when it
raises: a 4xx changes nothing. Pooled connections are not pinged before use; one that turns out
dead (the server restarted) fails before its transaction could commit, so the call is run once
more on a fresh connection.
"""

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool

from pillbox.store.engine import WRITE, is_sqlite, read_only_engine
from pillbox.store.hooks import QUEUED

T = TypeVar("T")


class Database:
    def __init__(self, engine: sa.Engine, on_queued: Callable[[], None] = lambda: None) -> None:
        self.engine = engine
        self.on_queued = on_queued  # after a commit that queued REST hook deliveries
        self.inline = is_sqlite(engine)
        self.reader = engine if self.inline else read_only_engine(engine)
        self._loop_connection: sa.Connection | None = None
        self._waiting_connection: sa.Connection | None = None
        self._waiting_thread: ThreadPoolExecutor | None = None

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return await self._sqlite(False, fn, args)
        return await run_in_threadpool(self._pooled, False, fn, args)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return await self._sqlite(True, fn, args)
        return await run_in_threadpool(self._pooled, True, fn, args)

    def close(self) -> None:
        if self._waiting_thread is not None:
            self._waiting_thread.shutdown()
            self._waiting_thread = None
        for conn in (self._loop_connection, self._waiting_connection):
            if conn is not None:
                conn.close()
        self._loop_connection = self._waiting_connection = None

    async def _sqlite(self, write: bool, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        try:
            return self._run(self._inline_connection(), write, fn, args)
        except (sqlite3.OperationalError, sa.exc.OperationalError) as error:
            if not _busy(error):
                raise
        # Rolled back, nothing written: run it again where waiting for the lock blocks no one.
        if self._waiting_thread is None:
            self._waiting_thread = ThreadPoolExecutor(1, thread_name_prefix="pillbox-sqlite")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._waiting_thread, self._wait_and_run, write, fn, args)

    def _inline_connection(self) -> sa.Connection:
        if self._loop_connection is None or self._loop_connection.closed:
            self._loop_connection = self.engine.connect()
            driver: Any = self._loop_connection.connection.driver_connection
            driver.execute("PRAGMA busy_timeout = 0")  # busy at once, never a wait on the loop
        return self._loop_connection

    def _wait_and_run(self, write: bool, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        if self._waiting_connection is None or self._waiting_connection.closed:
            self._waiting_connection = self.engine.connect()  # the engine's busy_timeout
        return self._run(self._waiting_connection, write, fn, args)

    def _run(
        self, conn: sa.Connection, write: bool, fn: Callable[..., T], args: tuple[Any, ...]
    ) -> T:
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
        """Runs the work; again, up to _ATTEMPTS in all, when its connection died in the pool or
        PostgreSQL chose it as a deadlock's victim (its transaction rolled back, nothing kept)."""
        for attempt in range(1, _ATTEMPTS + 1):
            committing: list[bool] = []
            try:
                return self._checked_out(write, fn, args, committing)
            except sa.exc.DBAPIError as error:
                again = error.connection_invalidated or _conflict(error)
                # A lost COMMIT may have landed: never run the work twice.
                if committing or not again or attempt == _ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _checked_out(
        self, write: bool, fn: Callable[..., T], args: tuple[Any, ...], committing: list[bool]
    ) -> T:
        with (self.engine if write else self.reader).connect() as conn:
            try:
                if write:
                    result = self._in_transaction(conn, fn, args, committing)
                else:
                    result = fn(conn, *args)
            finally:
                queued = not conn.invalidated and conn.info.pop(QUEUED, False)
            if queued:
                self.on_queued()
            return result

    @staticmethod
    def _in_transaction(
        conn: sa.Connection, fn: Callable[..., T], args: tuple[Any, ...], committing: list[bool]
    ) -> T:
        conn.execution_options(**{WRITE: True})
        transaction = conn.begin()
        try:
            result = fn(conn, *args)
        except BaseException:
            transaction.rollback()
            raise
        committing.append(True)
        transaction.commit()
        return result


_ATTEMPTS = 3
# PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back.
_CONFLICTS = ("40P01", "40001")


def _conflict(error: sa.exc.DBAPIError) -> bool:
    return getattr(error.orig, "sqlstate", None) in _CONFLICTS


def _busy(error: Exception) -> bool:
    """Whether SQLite refused for a lock another connection holds (SQLITE_BUSY or _LOCKED)."""
    driver_error = getattr(error, "orig", error)
    code = getattr(driver_error, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
