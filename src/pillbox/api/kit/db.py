"""One transaction per request, run where the backend wants it.

SQLite calls take microseconds, so they run inline on the event loop, one after another, on one
long-lived connection: a thread hop or a pool checkout would cost more than the query. PostgreSQL
calls wait on the network, so they run in the thread pool on pooled connections. A transaction
commits when the function returns and rolls back when it raises: a 4xx changes nothing.
"""

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool

from pillbox.store.engine import WRITE, is_sqlite

T = TypeVar("T")


class Database:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.inline = is_sqlite(engine)
        self._loop_connection: sa.Connection | None = None

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return self._in_transaction(self._inline_connection(), False, fn, args)
        return await run_in_threadpool(self._pooled, False, fn, args)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return self._in_transaction(self._inline_connection(), True, fn, args)
        return await run_in_threadpool(self._pooled, True, fn, args)

    def close(self) -> None:
        if self._loop_connection is not None:
            self._loop_connection.close()
            self._loop_connection = None

    def _inline_connection(self) -> sa.Connection:
        if self._loop_connection is None or self._loop_connection.closed:
            self._loop_connection = self.engine.connect()
        return self._loop_connection

    def _pooled(self, write: bool, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        with self.engine.connect() as conn:
            return self._in_transaction(conn, write, fn, args)

    @staticmethod
    def _in_transaction(
        conn: sa.Connection, write: bool, fn: Callable[..., T], args: tuple[Any, ...]
    ) -> T:
        conn.execution_options(**{WRITE: write})
        with conn.begin():
            return fn(conn, *args)
