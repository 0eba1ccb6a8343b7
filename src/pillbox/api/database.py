"""One transaction per request, run where the backend wants it.

SQLite calls take microseconds, so they run inline on the event loop, one after another, on two
long-lived connections (one for writes, one for reads) whose transactions are begun and ended on
the driver itself: a thread hop, a pool checkout or SQLAlchemy's transaction bookkeeping would
each cost more than the query (the store's engine setup skips its own BEGIN inside a transaction
already open). They never wait for a lock: when another process (a second worker, the job
worker, a command) holds the write lock, SQLite answers busy at once, and the call is run again
in this process's one waiting thread, which waits its turn there (busy_timeout) while the event
loop serves on. PostgreSQL calls wait on the network, so they run in the thread pool on pooled
connections: a write in a transaction, a read on a read-only connection whose statements each
commit alone (no BEGIN and COMMIT round trips). A transaction commits when the function returns
and rolls back when it raises: a 4xx changes nothing. Pooled connections are not pinged before
use; one that turns out dead (the server restarted) fails before its transaction could commit,
so the call is run once more on a fresh connection.

SQLite writes commit in groups: each runs at once, the first in a transaction left open and each
later one in a savepoint of it, and the transaction commits in the event loop's next turn, with
every write made in this one; each write is answered after that commit, so an acknowledged write
is as durable as before. What a commit costs SQLite is mostly per transaction (the pages it
changed written to the WAL, the full-text index's new segment), so N writes committed together
cost far less than N commits. Reads run on a connection of their own, outside the group, so they
see only committed (acknowledged) writes and never end a group early; a write that raises rolls
back to its savepoint, leaving the others of its group untouched.
"""

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool

from pillbox.store.engine import WRITE, is_sqlite, read_only_engine, update_statistics
from pillbox.store.hooks import QUEUED

T = TypeVar("T")


class Database:
    def __init__(self, engine: sa.Engine, on_queued: Callable[[], None] = lambda: None) -> None:
        self.engine = engine
        self.on_queued = on_queued  # after a commit that queued REST hook deliveries
        self.inline = is_sqlite(engine)
        self.reader = engine if self.inline else read_only_engine(engine)
        self._loop_connection: sa.Connection | None = None  # writes, and their open group
        self._loop_reader: sa.Connection | None = None  # reads: what has been committed
        self._waiting_connection: sa.Connection | None = None
        self._waiting_thread: ThreadPoolExecutor | None = None
        self._group: list[asyncio.Future[None]] | None = None  # writes awaiting the commit

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return await self._sqlite(False, fn, args)
        return await run_in_threadpool(self._pooled, False, fn, args)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return await self._sqlite(True, fn, args)
        return await run_in_threadpool(self._pooled, True, fn, args)

    def close(self) -> None:
        self.commit_group()
        if self._waiting_thread is not None:
            self._waiting_thread.shutdown()
            self._waiting_thread = None
        for conn in (self._loop_connection, self._loop_reader, self._waiting_connection):
            if conn is not None:
                if not conn.closed:
                    # Best effort: another process may hold the write lock just now.
                    with contextlib.suppress(sqlite3.Error, sa.exc.DBAPIError):
                        update_statistics(conn, only_used=True)
                conn.close()
        self._loop_connection = self._loop_reader = self._waiting_connection = None

    async def _sqlite(self, write: bool, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        try:
            if write:
                return await self._grouped(fn, args)
            return self._run(self._inline_reader(), write, fn, args)
        except (sqlite3.OperationalError, sa.exc.OperationalError) as error:
            if not _busy(error):
                raise
        # Rolled back, nothing written: run it again where waiting for the lock blocks no one.
        if self._waiting_thread is None:
            self._waiting_thread = ThreadPoolExecutor(1, thread_name_prefix="pillbox-sqlite")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._waiting_thread, self._wait_and_run, write, fn, args)

    async def _grouped(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        """Runs the write now in a savepoint of the open group; returns once the group committed."""
        conn = self._inline_connection()
        driver: Any = conn.connection.driver_connection
        if self._group is None:  # the group's first write: its transaction is its own so far
            result = self._run(conn, True, fn, args, commit=False)
            self._group = []
            asyncio.get_running_loop().call_soon(self.commit_group)
        else:
            queued = conn.info.get(QUEUED, False)
            driver.execute("SAVEPOINT pillbox_write")
            try:
                result = fn(conn, *args)
            except BaseException:
                driver.execute("ROLLBACK TO pillbox_write")
                driver.execute("RELEASE pillbox_write")
                conn.info[QUEUED] = queued  # hooks queued by this write went with it
                raise
            driver.execute("RELEASE pillbox_write")
        committed = asyncio.get_running_loop().create_future()
        self._group.append(committed)
        await committed
        return result

    def commit_group(self) -> None:
        """Commits the open group and answers its writes (with the error, if the commit failed:
        then none of them was kept). Called too before the event loop writes to SQLite on a
        connection of its own (the rate limiter's store), which would wait on the group's lock."""
        group, self._group = self._group, None
        if group is None:
            return
        conn = self._inline_connection()
        driver: Any = conn.connection.driver_connection
        failed: BaseException | None = None
        try:
            self._end(conn, driver, commit=True)
        except Exception as error:
            failed = error
            if driver.in_transaction:
                with contextlib.suppress(Exception):  # every write of the group gets `error`
                    self._end(conn, driver, commit=False)
            conn.info.pop(QUEUED, None)
        else:
            self._after_commit(conn)
        for committed in group:
            if committed.done():  # its request was cancelled meanwhile
                continue
            if failed is None:
                committed.set_result(None)
            else:
                committed.set_exception(failed)

    def _inline_reader(self) -> sa.Connection:
        if self._loop_reader is None or self._loop_reader.closed:
            self._loop_reader = self._loop_connect()
        return self._loop_reader

    def _inline_connection(self) -> sa.Connection:
        if self._loop_connection is None or self._loop_connection.closed:
            self._loop_connection = self._loop_connect()
        return self._loop_connection

    def _loop_connect(self) -> sa.Connection:
        conn = self.engine.connect()
        driver: Any = conn.connection.driver_connection
        driver.execute("PRAGMA busy_timeout = 0")  # busy at once, never a wait on the loop
        return conn

    def _wait_and_run(self, write: bool, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        if self._waiting_connection is None or self._waiting_connection.closed:
            self._waiting_connection = self.engine.connect()  # the engine's busy_timeout
        return self._run(self._waiting_connection, write, fn, args)

    def _run(
        self,
        conn: sa.Connection,
        write: bool,
        fn: Callable[..., T],
        args: tuple[Any, ...],
        commit: bool = True,
    ) -> T:
        """Runs the work in a transaction of its own: committed when it returns (left open with
        `commit=False`), rolled back when it raises."""
        driver: Any = conn.connection.driver_connection
        # A write takes the write lock up front; a deferred one could fail to upgrade later.
        driver.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            result = fn(conn, *args)
        except BaseException:
            self._end(conn, driver, commit=False)
            conn.info.pop(QUEUED, None)
            raise
        if commit:
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
