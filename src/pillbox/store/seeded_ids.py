"""Deterministic ids: a sandbox account with an id seed numbers its new rows from the seed.

Normally a new row takes the database's next id, which depends on everything any account did
before. An account given a seed instead takes, in each table, ids from a block of its own: the
block is chosen by the seed, the account's name and the table, so the same seed and name give
the same ids run after run, whatever else the database holds, and a party id never looks like
an opportunity id. Within the block a row takes the next id not in use, so rows of other
accounts that happen to fall in it are stepped over rather than collided with.

Blocks lie between 1,000,000,000 and 2,000,000,000: within the store's 32-bit ids, and far above
what a database's own counters reach in a sandbox.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from pillbox.store.tables.sandbox import seeded_id_blocks

BASE = 1_000_000_000
BLOCK = 100_000
BLOCKS = 10_000

_current: ContextVar["IdSeed | None"] = ContextVar("pillbox_id_seed", default=None)


@dataclass(frozen=True)
class IdSeed:
    seed: int
    account_name: str

    def block(self, table: str) -> tuple[int, int]:
        digest = hashlib.sha256(f"{self.seed}:{self.account_name}:{table}".encode()).digest()
        start = BASE + int.from_bytes(digest[:8], "big") % BLOCKS * BLOCK
        return start, start + BLOCK - 1


@contextmanager
def seeded(seed: "IdSeed | None") -> Iterator[None]:
    """New rows written inside take their ids from `seed` (None: the database's own)."""
    token = _current.set(seed)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> "IdSeed | None":
    return _current.get()


def next_id(conn: sa.Connection, table: sa.Table) -> int | None:
    """The id a new row of `table` takes under the current seed; None without one.

    Past the block's highest id in use and the highest it ever handed out, so that the id of a
    deleted row never comes back."""
    seed = _current.get()
    if seed is None or "id" not in table.c or not isinstance(table.c.id.type, sa.Integer):
        return None
    low, high = seed.block(table.name)
    used = conn.scalar(sa.select(sa.func.max(table.c.id)).where(table.c.id.between(low, high)))
    handed_out = conn.scalar(
        sa.select(seeded_id_blocks.c.last_id).where(seeded_id_blocks.c.block_start == low)
    )
    last = max(low - 1, used or 0, handed_out or 0)
    if last >= high:
        raise OverflowError(f"the seeded id block of {table.name} is full")
    _remember(conn, low, last + 1)
    return last + 1


def _remember(conn: sa.Connection, block_start: int, last_id: int) -> None:
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(
        seeded_id_blocks
    )
    conn.execute(
        insert.values(block_start=block_start, last_id=last_id).on_conflict_do_update(
            index_elements=[seeded_id_blocks.c.block_start], set_={"last_id": last_id}
        )
    )
