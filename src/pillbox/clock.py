"""The one clock every timestamp, `since`, due date and expiry is read from.

Normally it is the system's. A sandbox server installs a settable clock (`install`), which the
sandbox admin API sets to a moment, freezes, or moves forward: record timestamps, "today" for due
dates and filters, token and upload expiry, and the REST hook retry schedule all follow it. Rate
limit windows keep real time (faults can force a 429 instead).
"""

import threading
import time
from datetime import UTC, date, datetime, timedelta


class SettableClock:
    """Real time shifted by an offset, or frozen at a moment; safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None

    def now(self) -> datetime:
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return datetime.now(UTC) + self._offset

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    @property
    def real(self) -> bool:
        return self._frozen_at is None and not self._offset

    def set(self, moment: datetime, frozen: bool) -> None:
        with self._lock:
            self._frozen_at = moment if frozen else None
            self._offset = timedelta(0) if frozen else moment - datetime.now(UTC)

    def advance(self, by: timedelta) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += by
            else:
                self._offset += by

    def reset(self) -> None:
        with self._lock:
            self._offset, self._frozen_at = timedelta(0), None


_installed: SettableClock | None = None


def install(clock: SettableClock | None) -> None:
    """Makes `clock` the process's clock (None: the system's again)."""
    global _installed
    _installed = clock


def now() -> datetime:
    return _installed.now() if _installed is not None else datetime.now(UTC)


def today() -> date:
    return now().date()


def epoch() -> float:
    """Now as epoch seconds."""
    return now().timestamp() if _installed is not None else time.time()
