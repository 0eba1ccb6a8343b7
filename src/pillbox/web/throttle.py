"""Sign-in throttling: after too many failures for one email or from one address in a window,
further attempts are refused (429) until the window has moved past them.

Counted in memory per server process: with several workers, an attacker gets at most that many
times the allowance, a documented tolerance traded for no database write per attempt.
"""

import time
from collections import defaultdict, deque
from collections.abc import Callable

MAX_FAILURES = 10
WINDOW_SECONDS = 15 * 60


class SignInThrottle:
    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.now = now
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures[key]
        cutoff = self.now() - self.window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            del self._failures[key]  # keeps the map as small as the live failures
            return deque()
        return failures

    def blocked(self, email: str, address: str) -> bool:
        keys = (f"email:{email.strip().lower()}", f"address:{address}")
        return any(len(self._recent(key)) >= self.max_failures for key in keys)

    def failed(self, email: str, address: str) -> None:
        at = self.now()
        for key in (f"email:{email.strip().lower()}", f"address:{address}"):
            self._failures[key].append(at)

    def retry_after(self, email: str, address: str) -> int:
        """Seconds until the oldest counted failure leaves the window."""
        keys = (f"email:{email.strip().lower()}", f"address:{address}")
        oldest = [self._recent(key)[0] for key in keys if self._recent(key)]
        return max(1, int(min(oldest) + self.window - self.now())) if oldest else 0
