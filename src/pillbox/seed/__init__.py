"""Synthetic data: `pillbox seed` fills an account with coherent records, quickly.

A profile describes a kind of account; `smallbiz` (the only one so far) is a small business's
CRM after two years of use. Seeding is reproducible: the same profile, seed, party count and base
date give the same records, field for field; dates are counted from the base date (by default
today), so a seed run next year still has tasks due next month.

The rows are the ones the API would write (the same columns and derived values: organisation
keys, search index entries, `lastContactedAt`, completion entries of completed tasks), but written
in batches straight to the store's tables: 100,000 parties take well under a minute on SQLite,
where creating them one by one through the domain would take hours. Seeded records are not
announced to REST hooks: they are history, not events.

Everything happens in the caller's transaction, so a failed seed leaves nothing behind. On
SQLite that should be a write transaction from the start (BEGIN IMMEDIATE, as `pillbox seed`
opens): new ids are counted on from the largest in use.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from pillbox.seed import account, smallbiz
from pillbox.seed.account import SeedRefused
from pillbox.seed.bulk import roomy_cache
from pillbox.seed.clock import Clock
from pillbox.seed.world import World

PROFILES: dict[str, Callable[[World, int, Callable[[int], None]], None]] = {
    "smallbiz": smallbiz.populate,
}

__all__ = ["PROFILES", "SeedRefused", "Seeded", "seed_account"]


@dataclass(frozen=True)
class Seeded:
    account_id: int
    account_name: str
    admin_id: int  # the administrator a token can be made for
    rows: dict[str, int]  # rows written per table


def seed_account(
    conn: sa.Connection,
    *,
    profile: str,
    parties: int,
    seed: int,
    base_date: date,
    account_name: str | None = None,
    progress: Callable[[int], None] = lambda parties: None,
) -> Seeded:
    """Seeds the named account (created if missing) or else a new one named after the profile
    and seed; `progress` hears how many more parties have been written."""
    prepared = account.prepare(conn, account_name, f"{profile}-{seed}")
    world = World(conn, random.Random(seed), Clock(base_date), prepared)
    try:
        with roomy_cache(conn):
            PROFILES[profile](world, parties, progress)
            rows = world.bulk.finish()
    finally:
        world.bulk.stop()
    return Seeded(prepared.id, prepared.name, prepared.admin_id, rows)
