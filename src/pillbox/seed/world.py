"""What every part of a profile shares while it seeds: randomness, time, the account, the writer.

One `random.Random` drawn from in a fixed order is what makes a seed reproducible: the same seed,
party count and base date give the same records, field for field (only ids depend on what the
database held before).
"""

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import sqlalchemy as sa

from pillbox.seed.account import Account
from pillbox.seed.bulk import Bulk, Ids
from pillbox.seed.clock import Clock
from pillbox.store.tables.entries import entries
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties


class Weights:
    """Relative weights of choices, drawn from faster than `random.choices` recomputes them."""

    def __init__(self, weights: tuple[int, ...]) -> None:
        self._cumulative = list(accumulate(weights))

    def draw(self, rng: random.Random) -> int:
        """The index of a choice, each as likely as its weight."""
        return bisect_right(self._cumulative, rng.random() * self._cumulative[-1])


@dataclass
class Record:
    """A seeded record as notes and tasks see it."""

    column: str  # the entry's or task's link to it: "party_id", "opportunity_id", "kase_id"
    id: int
    since: int  # the moments between which things happen to it
    until: int
    owner: int
    words: dict[str, str]  # what notes and tasks about it mention: first, company, product, …
    # Rows whose lastContactedAt a note on this record moves forward (a person's organisation's
    # too), as logging an entry through the API does.
    contacted: list[dict[str, Any]] = field(default_factory=list)


class World:
    """The state of one seeding, and the draws every part of a profile makes."""

    def __init__(
        self, conn: sa.Connection, rng: random.Random, clock: Clock, account: Account
    ) -> None:
        self.rng, self.clock, self.account = rng, clock, account
        self.bulk = Bulk(conn, account.id)
        self.party_ids = Ids(conn, parties)
        self.opportunity_ids = Ids(conn, opportunities)
        self.kase_ids = Ids(conn, kases)
        self.entry_ids = Ids(conn, entries)

    def user(self) -> int:
        """Any of the account's seeded users."""
        return self.rng.choice(self.account.user_ids)

    def between(self, start: int, end: int) -> int:
        """A moment in [start, end), or `start` when that is empty."""
        return start + int(self.rng.random() * (end - start)) if end > start else start

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability
