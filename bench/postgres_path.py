"""The database path of a party show on PostgreSQL, before and after the changes in api/database.py.

Usage: python bench/postgres_path.py postgresql+psycopg://…/db TOKEN
Against a database seeded by `make bench DB=postgres` (a copy of it: a run of `make bench`
recreates its own). Runs the token lookup and the show's statements for 300 parties, 5 rounds,
interleaving the previous path (pre-ping at checkout, a transaction around reads, PostgreSQL's
generic plans) with today's `Database`, and prints the median CPU and wall ms per request.
"""

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from pillbox.api.database import Database
from pillbox.api.kit.resource import _show_ids
from pillbox.api.v2.parties import PARTIES
from pillbox.store.accounts import find_principal
from pillbox.store.engine import create_engine

Call = Callable[..., Any]


def previous_path(url: str) -> Call:
    engine = sa.create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)

    def call(fn: Call, *args: Any) -> Any:
        with engine.connect() as conn, conn.begin():
            return fn(conn, *args)

    return call


def current_path(url: str) -> Call:
    db = Database(create_engine(url))
    return lambda fn, *args: db._pooled(False, fn, args)


def main() -> None:
    url, token = sys.argv[1], sys.argv[2]
    with sa.create_engine(url).connect() as conn:
        ids = list(conn.scalars(sa.text("SELECT id FROM parties ORDER BY id LIMIT 300")))
    paths = {"before": previous_path(url), "now": current_path(url)}
    principal = paths["now"](find_principal, token)

    def requests(call: Call, n: int = 300) -> tuple[float, float]:
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(n):
            call(find_principal, token)
            call(_show_ids, PARTIES, principal, [ids[i % len(ids)]], frozenset())
        return 1000 * (time.process_time() - cpu) / n, 1000 * (time.perf_counter() - wall) / n

    for call in paths.values():
        requests(call, 100)  # warm: connections, prepared statements
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
    for _ in range(5):
        for name, call in paths.items():
            figures[name].append(requests(call))
    for name, runs in figures.items():
        cpu = statistics.median(c for c, _ in runs)
        wall = statistics.median(w for _, w in runs)
        print(f"{name:<7} CPU {cpu:.3f} ms per request, wall {wall:.3f} ms")


if __name__ == "__main__":
    main()
