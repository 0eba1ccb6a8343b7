"""Shared request counters per user and hourly window, so several server processes agree.

Each process counts locally and adds its count here in batches (see api/ratelimit.py); `add`
returns the total across processes. Two backends: the database, or Redis when configured.
"""

from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from pillbox.store.tables import rate_limit_windows


class CounterStore(Protocol):
    def add(self, user_id: int, window_start: int, delta: int) -> int: ...


class DatabaseCounters:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        dialect = sqlite if engine.dialect.name == "sqlite" else postgresql
        insert = dialect.insert(rate_limit_windows)
        self._upsert = insert.on_conflict_do_update(
            index_elements=["user_id", "window_start"],
            set_={"count": rate_limit_windows.c.count + insert.excluded["count"]},
        ).returning(rate_limit_windows.c.count)

    def add(self, user_id: int, window_start: int, delta: int) -> int:
        with self.engine.begin() as conn:
            conn.execute(
                rate_limit_windows.delete().where(
                    rate_limit_windows.c.user_id == user_id,
                    rate_limit_windows.c.window_start < window_start,
                )
            )
            values = {"user_id": user_id, "window_start": window_start, "count": delta}
            return int(conn.execute(self._upsert, values).scalar_one())


class RedisCounters:
    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)

    def add(self, user_id: int, window_start: int, delta: int) -> int:
        key = f"pillbox:ratelimit:{user_id}:{window_start}"
        pipe = self.client.pipeline()
        pipe.incrby(key, delta)
        pipe.expire(key, 2 * 3600)
        total, _ = pipe.execute()
        return int(total)
