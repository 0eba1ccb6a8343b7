"""How long each party filter of the filter tests takes on a large seeded account, in process.

Usage: python bench/filters.py [--parties 1000000] [--runs 15]
The seeded bench database (bench/databases.py; seeded once and cached, ~4 min for a million
parties) is copied, and each condition of tests/api/v2/test_filters.py's party table that the
`smallbiz` seed can answer (it has no custom fields and no teams) is run the way the API runs it
(`domain.filters.page_ids`, a page of 50 in id order), then the benchmark's 3-condition filter.
Prints the median and the slowest of `--runs` runs per filter, slowest first, against the
round's target (every filter ≤ 20 ms at a million parties).
"""

import argparse
import statistics
import time
from typing import Any

import databases  # bench/databases.py: the seeded database

from pillbox.domain import filters
from pillbox.store.accounts import find_principal
from pillbox.store.engine import create_engine, update_statistics

TARGET_MS = 20.0


def conditions(owner_id: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """(label, conditions): the test table's fields and operators, with the seed's values."""
    single = [
        ("id", "is greater than", 500_000),
        ("name", "is", "emma walker"),
        ("name", "is not", "Emma Walker"),
        ("name", "starts with", "b"),
        ("name", "ends with", "SON"),
        ("name", "contains", "ford"),
        ("name", "is", None),
        ("title", "is", "ms"),
        ("jobTitle", "contains", "buy"),
        ("jobTitle", "is", None),
        ("type", "is", "organisation"),
        ("email", "is", "emma.walker@example.com"),
        ("email", "ends with", "example.net"),
        ("email", "is not", "emma.walker@example.com"),
        ("email", "is", None),
        ("phone", "contains", "496"),
        ("website", "starts with", "www"),
        ("city", "is", "leeds"),
        ("city", "is not", "Leeds"),
        ("zip", "starts with", "LS"),
        ("country", "is", "united kingdom"),
        ("tag", "is", "VIP"),
        ("tag", "is not", "vip"),
        ("tag", "starts with", "cu"),
        ("tag", "is", None),
        ("tag", "is", "Nonexistent"),
        ("owner", "is", owner_id),
        ("owner", "is not", owner_id),
        ("hasEmailAddress", "is", True),
        ("hasPhoneNumber", "is not", True),
        ("hasAddress", "is", False),
        ("hasPeople", "is", True),
        ("hasTags", "is", False),
        ("hasOpenTasks", "is", True),
        ("hasOpportunities", "is", True),
        ("hasCases", "is", True),
        ("addedOn", "is before", "2025-01-01"),
        ("addedOn", "is within last", 30),
        ("updatedOn", "is before", "2025-01-01"),
        ("lastContactedOn", "is within last", 7),
        ("lastContactedOn", "is", None),
        ("org.name", "starts with", "harbour"),
        ("org.tag", "is", "VIP"),
    ]
    chosen = [
        (f"{field} {operator} {value!r}", [{"field": field, "operator": operator, "value": value}])
        for field, operator, value in single
    ]
    bench = [
        {"field": "type", "operator": "is", "value": "person"},
        {"field": "tag", "operator": "is", "value": "Newsletter"},
        {"field": "city", "operator": "is", "value": "Leeds"},
    ]
    return [*chosen, ("person, tag Newsletter, city Leeds", bench)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    url, token = databases.prepare("sqlite", args.parties)
    try:
        timings = _timings(url, token, args.runs)
    finally:
        databases.discard(url)
    print(f"\n{args.parties:,} parties, {args.runs} runs each, a page of 50, in process (ms):")
    print(f"{'median':>8} {'slowest':>8}  filter")
    for median, slowest, label in sorted(timings, reverse=True):
        flag = "" if median <= TARGET_MS else f"  over {TARGET_MS:.0f} ms"
        print(f"{median:8.2f} {slowest:8.2f}  {label}{flag}")
    over = sum(1 for median, _, _ in timings if median > TARGET_MS)
    print(f"{over} of {len(timings)} over the target (median > {TARGET_MS:.0f} ms)")


def _timings(url: str, token: str, runs: int) -> list[tuple[float, float, str]]:
    """(median ms, slowest ms, label) of each filter, `runs` times each."""
    engine = create_engine(url)
    timings = []
    with engine.connect() as conn:
        update_statistics(conn)
        who = find_principal(conn, token)
        assert who is not None, "the seeded token is unknown"
        for label, wanted in conditions(who.user_id):
            data = filters.FilterInput.model_validate({"conditions": wanted})
            seconds = []
            for _ in range(runs):
                started = time.perf_counter()
                filters.page_ids(conn, who, "parties", data, 0, 50)
                seconds.append(time.perf_counter() - started)
            timings.append((statistics.median(seconds) * 1000, max(seconds) * 1000, label))
    engine.dispose()
    return timings


if __name__ == "__main__":
    main()
