"""What the `capsule` fixture needs from a Pillbox, wherever it runs: its address and a way to
open a fresh account with a write token.

Both kinds of Pillbox (served by the session itself, or already running elsewhere) answer to
this one protocol, so the fixture and the handle it builds never ask which one they have.
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class AccountAccess:
    """A new account and the write token of its administrator."""

    account_id: int
    name: str
    token: str


class Sandbox(Protocol):
    @property
    def base_url(self) -> str:
        """The server's root (scheme://host:port), without `/api/v2`."""
        ...

    def open_account(self) -> AccountAccess: ...

    def stop(self) -> None: ...
