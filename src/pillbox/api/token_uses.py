"""When each token was last used, kept without a database write per request.

The gates note each authenticated request's token here: one dictionary assignment. At most once
every `FLUSH_SECONDS` per process (and when the server stops), the tokens noted since the last
flush get their `last_used_at` in one batched statement, made by the request that comes due, in
the thread pool on PostgreSQL as the rate limiter's syncs are. So `pillbox tokens list` shows a
token's last use to within about a minute, and a server process with steady traffic writes it
once a minute, whatever the number of requests or tokens.

Times are the store's timestamps (UTC, to the second) of the request that used the token; the
clock is the system's, not a sandbox's settable one: it says when a token was really used.
"""

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime

from pillbox import timestamps
from pillbox.api.database import Database
from pillbox.store.accounts import record_token_uses

FLUSH_SECONDS = 60.0


class TokenUses:
    def __init__(
        self,
        db: Database,
        flush_seconds: float = FLUSH_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db = db
        self.flush_seconds = flush_seconds
        self.clock = clock
        self._pending: dict[int, float] = {}
        self._flushed_at = -math.inf

    async def note(self, token_id: int | None) -> None:
        """Notes a use of the token; flushes what is noted when a flush is due."""
        if token_id is None:
            return
        now = self.clock()
        self._pending[token_id] = now
        if now - self._flushed_at >= self.flush_seconds:
            await self.flush(now)

    async def flush(self, now: float | None = None) -> None:
        """Writes every use noted since the last flush."""
        self._flushed_at = self.clock() if now is None else now
        pending, self._pending = self._pending, {}  # taken on the event loop: no lock needed
        if not pending:
            return
        uses = {token_id: _stamp(at) for token_id, at in pending.items()}
        await self.db.write(record_token_uses, uses)  # inline on SQLite, pooled on PostgreSQL


def _stamp(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime(timestamps.FORMAT)
