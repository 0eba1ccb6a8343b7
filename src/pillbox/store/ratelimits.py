"""Shared request allowances per user and hourly window, so several server processes agree.

A process does not count requests here one by one: it reserves a batch of the user's remaining
allowance (`reserve`), serves that many from memory, then reserves again (see api/ratelimit.py).
A reservation is atomic and never grants past the limit, so all processes together can never
admit more than the limit. Two backends: the database, or Redis when configured.
"""

from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from pillbox.store.engine import WRITE
from pillbox.store.tables.accounts import rate_limit_windows

KEEP_SECONDS = 2 * 3600


class CounterStore(Protocol):
    def reserve(self, user_id: int, window_start: int, want: int, limit: int) -> tuple[int, int]:
        """Grants up to `want` more requests of the window, never past `limit`:
        (granted, reserved by all processes so far, this grant included)."""
        ...


class DatabaseCounters:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        dialect = sqlite if engine.dialect.name == "sqlite" else postgresql
        self._create = (
            dialect.insert(rate_limit_windows)
            .values(count=0)
            .on_conflict_do_nothing(index_elements=["user_id", "window_start"])
        )
        self._locking = engine.dialect.name != "sqlite"  # SQLite's write lock covers it

    def reserve(self, user_id: int, window_start: int, want: int, limit: int) -> tuple[int, int]:
        row = (rate_limit_windows.c.user_id == user_id) & (
            rate_limit_windows.c.window_start == window_start
        )
        with self.engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
            conn.execute(
                rate_limit_windows.delete().where(
                    rate_limit_windows.c.user_id == user_id,
                    rate_limit_windows.c.window_start < window_start,
                )
            )
            conn.execute(self._create, {"user_id": user_id, "window_start": window_start})
            query = sa.select(rate_limit_windows.c.count).where(row)
            used = int(
                conn.execute(query.with_for_update() if self._locking else query).scalar_one()
            )
            granted = max(0, min(want, limit - used))
            if granted:
                conn.execute(rate_limit_windows.update().where(row).values(count=used + granted))
            return granted, used + granted


# Atomic in Redis: read what is reserved, grant what is left up to the wish, count it.
_RESERVE = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local granted = math.max(0, math.min(tonumber(ARGV[1]), tonumber(ARGV[2]) - used))
if granted > 0 then redis.call('INCRBY', KEYS[1], granted) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return {granted, used + granted}
"""


class RedisCounters:
    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self._reserve = self.client.register_script(_RESERVE)

    def reserve(self, user_id: int, window_start: int, want: int, limit: int) -> tuple[int, int]:
        key = f"pillbox:ratelimit:{user_id}:{window_start}"
        granted, used = self._reserve(keys=[key], args=[want, limit, KEEP_SECONDS])
        return int(granted), int(used)
