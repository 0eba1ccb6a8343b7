"""The table `make bench` prints, its targets, and the run added to bench/history.py's history."""

import argparse

import history

# The second performance round's targets (web screens: the web interface's own).
TARGETS = [
    ("show", "ratio", ">=", 0.3),
    ("opportunity show", "ratio", ">=", 0.3),
    ("project show", "ratio", ">=", 0.3),
    *((name, "rps", ">=", 500) for name in ("list, first page", "opportunity list")),
    *((name, "rps", ">=", 500) for name in ("project list", "entries by date", "task list")),
    ("search", "p99_ms", "<=", 10),
    ("party filter, 3 conditions", "rps", ">=", 300),
    ("create", "rps", ">=", 2500),
    ("web party page", "p99_ms", "<=", 50),
    ("web party list", "p99_ms", "<=", 50),
    ("web party search", "p99_ms", "<=", 50),
    ("web opportunity page", "p99_ms", "<=", 50),
    ("web project page", "p99_ms", "<=", 50),
    ("web search", "p99_ms", "<=", 50),
    ("web live search", "p99_ms", "<=", 50),
    ("web pipeline board", "p99_ms", "<=", 50),
    ("web opportunities", "p99_ms", "<=", 50),
]


def report(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    bare = results["bare"]["rps"]
    deep = max(1, args.parties // 100 - 10)
    workers = "one worker" if args.workers == 1 else f"{args.workers} workers"
    print(
        f"\n{args.parties:,} parties on {args.db}, {workers} ({args.server}), wrk -t2, "
        f"{args.duration} s per scenario; deep page = page {deep}; search, filter and web "
        "screens with 4 connections, the others with 32; cpu ms = the server's CPU time per "
        "request; load = 1-minute load average\n"
    )
    print(
        f"{'scenario':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'x bare':>8}"
        f"{'cpu ms':>8}{'load':>7}"
    )
    for name, r in results.items():
        r["ratio"] = r["rps"] / bare
        print(
            f"{name:<28}{r['rps']:>9.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}"
            f"{r['non_2xx']:>9}{r['ratio']:>8.2f}{r['cpu_ms']:>8.3f}{r['load']:>7.2f}"
        )
    errors = sum(int(r["non_2xx"]) for r in results.values())
    if errors:
        print(f"\nWARNING: {errors} responses were not 2xx; the figures above are not valid.")
    print("\ntargets:")
    for scenario, metric, op, goal in targets(args):
        if scenario not in results:
            continue
        value = results[scenario][metric]
        met = value >= goal if op == ">=" else value <= goal
        verdict = "PASS" if met else "MISS"
        print(f"  {scenario:<26} {metric:<7} {op} {goal:<6} measured {value:>9.2f}  {verdict}")
    report_depth(results)
    keep(results, args)


DEPTH_PAIRS = [
    ("list, first page", "list, deep page"),
    *((name, f"{name}, deep page") for name in ("opportunity list", "project list")),
    *((name, f"{name}, deep page") for name in ("entries by date", "task list")),
]


def report_depth(results: dict[str, dict[str, float]]) -> None:
    """A deep page's requests/s against its list's first page (target: within 20%)."""
    pairs = [(first, deep) for first, deep in DEPTH_PAIRS if first in results and deep in results]
    if pairs:
        print("\ndeep page / first page (req/s):")
    for first, deep in pairs:
        ratio = results[deep]["rps"] / results[first]["rps"]
        verdict = "PASS" if ratio >= 0.8 else "MISS"
        print(f"  {first:<18} {ratio:>6.2f}  {verdict}")


def targets(args: argparse.Namespace) -> list[tuple[str, str, str, float]]:
    if args.db == "postgres":  # per worker, and within 2x of SQLite (compared below)
        return [("show", "rps", ">=", 2000 * args.workers)]
    return TARGETS


def keep(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    """Adds the run to the history and prints how it compares with earlier ones."""
    profile = {
        "db": args.db,
        "parties": args.parties,
        "workers": args.workers,
        "server": args.server,
        "duration": args.duration,
    }
    run = history.record(profile, results)
    print()
    print("\n".join(history.compare(run, history.previous(run))))
    if args.db == "postgres":
        sqlite = history.previous(run, db="sqlite")
        print("\n".join(history.against(run, sqlite, "SQLite")))
