"""Capsule's rate limit: N requests per user per hourly window, with X-RateLimit-* headers.

Several server processes share each user's allowance without a database write per request:
a process reserves a batch of the user's remaining allowance from the shared store (the database,
or Redis), serves that batch from memory, and reserves again when it is used up. The store never
grants past the limit, so all processes together never admit more than the limit. A batch is 1%
of what remained when it was reserved (at least 1, at most 100), so near the limit each request
reserves for itself; what the cost is instead: allowance reserved by a process that then gets no
more of the user's requests is lost for the hour, at most about 1% of the limit per process.
Once the store grants nothing, a process refuses the user until the window ends without asking
it again. X-RateLimit-Remaining counts other processes' unused reservations as used.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from pillbox.store.ratelimits import CounterStore

WINDOW_SECONDS = 3600
BATCH_SHARE = 100  # a reservation asks for 1/BATCH_SHARE of what remains
MAX_BATCH = 100


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
    reserved: int = 0  # reserved by all processes, as of this process's last reservation
    left: int = 0  # reserved by this process and not used yet
    exhausted: bool = False  # the store granted nothing more this window


class RateLimiter:
    def __init__(
        self,
        limit: int,
        counters: CounterStore,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = limit
        self.counters = counters
        self.clock = clock
        self._windows: dict[int, _UserWindow] = {}
        self._lock = threading.Lock()

    def needs_sync(self, user_id: int) -> bool:
        """Whether the next hit will talk to the shared store (callers may run it off-loop)."""
        window = self._windows.get(user_id)
        return (
            window is None
            or window.start != _window_start(self.clock())
            or (window.left == 0 and not window.exhausted)
        )

    def hit(self, user_id: int) -> Quota:
        """Counts one request. Thread-safe; the shared store is called outside the lock."""
        start = _window_start(self.clock())
        with self._lock:
            window = self._windows.get(user_id)
            if window is None or window.start != start:
                window = self._windows[user_id] = _UserWindow(start)
        for _ in range(2):  # a batch reserved by this call can be taken by another thread
            with self._lock:
                if window.left > 0:
                    window.left -= 1
                    return self._quota(window, allowed=True)
                if window.exhausted:
                    return self._quota(window, allowed=False)
                want = max(1, min(MAX_BATCH, (self.limit - window.reserved) // BATCH_SHARE))
            granted, reserved = self.counters.reserve(user_id, start, want, self.limit)
            with self._lock:
                window.left += granted
                window.reserved = max(window.reserved, reserved)
                window.exhausted = granted == 0
        return self._quota(window, allowed=False)

    def _quota(self, window: _UserWindow, allowed: bool) -> Quota:
        return Quota(
            limit=self.limit,
            remaining=max(0, self.limit - window.reserved + window.left),
            reset=window.start + WINDOW_SECONDS,
            allowed=allowed,
        )


def _window_start(now: float) -> int:
    return int(now // WINDOW_SECONDS) * WINDOW_SECONDS
