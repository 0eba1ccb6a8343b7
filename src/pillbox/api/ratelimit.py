"""Capsule's rate limit: N requests per user per hourly window, with X-RateLimit-* headers.

Counting is in memory per process; every `sync_seconds` (and on a user's first request) a process
adds its local count to the shared store and learns the total from all processes. No request
pays a database write, and processes agree to within what the others served in one sync
interval (documented in the README).
"""

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from pillbox.store.ratelimits import CounterStore

WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class Quota:
    limit: int
    remaining: int
    reset: int  # epoch seconds when the window ends
    allowed: bool

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


@dataclass
class _UserWindow:
    start: int
    shared_total: int = 0  # all processes' count at the last sync, ours included
    pending: int = 0  # counted here since the last sync
    synced_at: float = -math.inf


class RateLimiter:
    def __init__(
        self,
        limit: int,
        counters: CounterStore,
        sync_seconds: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = limit
        self.counters = counters
        self.sync_seconds = sync_seconds
        self.clock = clock
        self._windows: dict[int, _UserWindow] = {}
        self._lock = threading.Lock()

    def needs_sync(self, user_id: int) -> bool:
        """Whether the next hit should talk to the shared store (callers may run it off-loop)."""
        now = self.clock()
        window = self._windows.get(user_id)
        return (
            window is None
            or window.start != _window_start(now)
            or now - window.synced_at >= self.sync_seconds
        )

    def hit(self, user_id: int) -> Quota:
        """Counts one request. Thread-safe; the shared store is called outside the lock."""
        now = self.clock()
        start = _window_start(now)
        with self._lock:
            window = self._windows.get(user_id)
            if window is None or window.start != start:
                window = self._windows[user_id] = _UserWindow(start)
            window.pending += 1
            delta = 0
            if now - window.synced_at >= self.sync_seconds:
                delta, window.pending, window.synced_at = window.pending, 0, now
        if delta:
            total = self.counters.add(user_id, start, delta)
            with self._lock:
                window.shared_total = max(window.shared_total, total)
        used = window.shared_total + window.pending
        return Quota(
            limit=self.limit,
            remaining=max(0, self.limit - used),
            reset=start + WINDOW_SECONDS,
            allowed=used <= self.limit,
        )


def _window_start(now: float) -> int:
    return int(now // WINDOW_SECONDS) * WINDOW_SECONDS
