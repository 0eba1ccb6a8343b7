"""The history of `make bench` runs: a JSON file per run in bench/results/, compared with the last.

Each file holds the date, the commit, the database, the profile (parties, workers, server), the
load average and every scenario's figures. A run is compared with the previous run of the same
database and profile in ratio terms (req/s over the bare app's req/s in the same run), because
the machine is shared: a scenario whose ratio fell by more than 15% is flagged.
"""

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
SLOWER = 0.15
PROFILE = ("db", "parties", "workers", "server")


def commit() -> str:
    """The checked-out commit, marked `+changes` when the work tree differs from it."""
    here = Path(__file__).parent

    def git(*args: str) -> str:
        run = subprocess.run(["git", *args], cwd=here, capture_output=True, text=True)
        return run.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "../src", ".", ":!results")  # runs don't count
    return head + ("+changes" if changed else "")


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def record(profile: dict[str, Any], figures: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Writes this run's file; returns the run as written."""
    now = datetime.now(UTC)
    run = {
        "date": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit(),
        **profile,
        "load_average": load_average(),
        "figures": figures,
    }
    RESULTS.mkdir(exist_ok=True)
    name = f"{now:%Y%m%dT%H%M%S}-{profile['db']}-{profile['parties']}"
    name += f"-{profile['workers']}w-{profile['server']}.json"
    (RESULTS / name).write_text(json.dumps(run, indent=1) + "\n")
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2))
    return run


def previous(run: dict[str, Any], **same: Any) -> dict[str, Any] | None:
    """The last run before `run` with its profile (changed by `same`, e.g. db="sqlite")."""
    wanted = {key: same.get(key, run[key]) for key in PROFILE}
    earlier = [
        other
        for other in map(_read, sorted(RESULTS.glob("*-*w-*.json")))
        if other and other["date"] < run["date"]
        if all(other.get(key) == value for key, value in wanted.items())
    ]
    return earlier[-1] if earlier else None


def _read(path: Path) -> dict[str, Any] | None:
    try:
        run = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return run if isinstance(run, dict) and "figures" in run else None


def compare(run: dict[str, Any], before: dict[str, Any] | None) -> list[str]:
    """Lines saying how each scenario's ratio changed since `before`; > 15% slower is flagged."""
    if before is None:
        return ["no earlier run of this database and profile in bench/results/ to compare with"]
    lines = [
        f"change since {before['date']} (commit {before['commit']}, "
        f"load {before['load_average'][0]}), in ratio to the bare app:"
    ]
    for name, now in run["figures"].items():
        then = before["figures"].get(name)
        if name == "bare" or not then or not then.get("ratio"):
            continue
        change = now["ratio"] / then["ratio"] - 1
        flag = "  SLOWER" if change < -SLOWER else ""
        cpu = f"  cpu ms {then.get('cpu_ms', '?')} -> {now.get('cpu_ms', '?')}"
        lines.append(
            f"  {name:<28}{then['ratio']:>7.3f} -> {now['ratio']:<7.3f}{change:>+8.0%}{cpu}{flag}"
        )
    return lines


def against(run: dict[str, Any], other: dict[str, Any] | None, label: str) -> list[str]:
    """Lines giving each scenario's req/s as a multiple of another database's last run."""
    if other is None:
        return [f"no {label} run of this profile in bench/results/ to compare with"]
    lines = [
        f"req/s against the last {label} run ({other['date']}, load "
        f"{other['load_average'][0]}), ratios to each run's bare app:"
    ]
    for name, now in run["figures"].items():
        then = other["figures"].get(name)
        if name == "bare" or not then:
            continue
        cpu = f"  cpu ms {now.get('cpu_ms', '?')} against {then.get('cpu_ms', '?')}"
        lines.append(f"  {name:<28}{now['ratio'] / then['ratio']:>7.2f}x{cpu}")
    return lines
