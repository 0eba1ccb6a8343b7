"""What a sandbox server keeps in memory: per-account settings, fault rules and the journal.

A sandbox is served by one process (`pillbox serve --sandbox` runs one worker), so this state
lives with the application object rather than in the database. Snapshots are data, and are kept
in the database (store/snapshots.py).
"""

import itertools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pillbox.store.seeded_ids import IdSeed

if TYPE_CHECKING:
    from pillbox.api.sandbox.faults import FaultRule

JOURNAL_SIZE = 1000  # requests kept per account


@dataclass
class AccountState:
    strict: str = "off"  # off | report | fail
    id_seed: IdSeed | None = None  # new rows numbered from a seed (store/seeded_ids.py)
    journal: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=JOURNAL_SIZE))


@dataclass
class SandboxState:
    default_strict: str = "off"
    accounts: dict[int, AccountState] = field(default_factory=dict)
    faults: dict[int, "FaultRule"] = field(default_factory=dict)  # every account's, oldest first
    fault_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    request_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))  # journal

    def account(self, account_id: int) -> AccountState:
        found = self.accounts.get(account_id)
        if found is None:
            found = self.accounts[account_id] = AccountState(strict=self.default_strict)
        return found
