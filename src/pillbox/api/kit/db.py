"""One transaction per request, run where the backend wants it.

SQLite calls take microseconds, so they run inline on the event loop; a thread hop would cost
more than the query. PostgreSQL calls wait on the network, so they run in the thread pool.
A transaction commits when the function returns and rolls back when it raises: a 4xx changes
nothing.
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

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        return await self._run(self.read_sync, fn, *args)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        return await self._run(self.write_sync, fn, *args)

    def read_sync(self, fn: Callable[..., T], *args: Any) -> T:
        with self.engine.connect() as conn, conn.begin():
            return fn(conn, *args)

    def write_sync(self, fn: Callable[..., T], *args: Any) -> T:
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                return fn(conn, *args)

    async def _run(self, runner: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return runner(*args)
        return await run_in_threadpool(runner, *args)
