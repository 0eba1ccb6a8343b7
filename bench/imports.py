"""The import scenario of `make bench`: `pillbox import csv` of a generated parties file.

Usage: python bench/imports.py [--rows 1000000] [--memory-mb 1024]
Writes a CSV of people (one organisation for every ten, an email each, a phone, a city, tags),
imports it into a new SQLite database under an address-space limit, and reports rows per
second and the importer's peak memory. A second run of the same file is timed too: every row
is then `unchanged`.
"""

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PYTHON = sys.executable
TARGET_ROWS_PER_S = 1000


def write_file(path: Path, rows: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["First Name", "Last Name", "Company", "Email", "Phone", "City", "Tags"])
        for i in range(rows):
            out.writerow(
                [
                    f"First{i}",
                    f"Last{i % 5000}",
                    f"Company {i // 10}",
                    f"person{i}@example.com",
                    f"+44 20 7946 {i % 10000:04d}",
                    ("London", "Leeds", "York", "Bath")[i % 4],
                    ("customer", "lead; newsletter", "")[i % 3],
                ]
            )


def _pillbox(env: dict[str, str], *args: str, memory_mb: int | None = None) -> tuple[str, float]:
    """Runs `pillbox ARGS`; returns its last line of output and its own peak memory in MB (that
    process's, not the most any child of this process ever used, such as a server run before)."""

    def limit() -> None:
        if memory_mb:
            size = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    process = subprocess.Popen(
        [PYTHON, "-m", "pillbox", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=limit,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"pillbox {' '.join(args)} failed with status {process.returncode}")
    lines = output.strip().splitlines()
    return (lines[-1] if lines else ""), usage.ru_maxrss / 1024


def measure(rows: int, memory_mb: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp())
    env = {**os.environ, "PILLBOX_DATABASE_URL": f"sqlite:///{work / 'import.db'}"}
    _pillbox(env, "db", "upgrade")
    _pillbox(env, "accounts", "create", "bench")
    user = ["--account", "bench", "--email", "admin@bench.example", "--name", "Admin", "--admin"]
    _pillbox(env, "users", "create", *user)
    path = work / "parties.csv"
    write_file(path, rows)
    command = ["import", "csv", str(path), "--account", "bench", "--type", "parties"]
    started, cpu = time.monotonic(), _children_cpu()
    first, peak_mb = _pillbox(env, *command, memory_mb=memory_mb)
    seconds, cpu_seconds = time.monotonic() - started, _children_cpu() - cpu
    started, cpu = time.monotonic(), _children_cpu()
    second, second_peak_mb = _pillbox(env, *command, memory_mb=memory_mb)
    again, again_cpu = time.monotonic() - started, _children_cpu() - cpu
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "rows_per_cpu_s": rows / cpu_seconds,
        "peak_rss_mb": max(peak_mb, second_peak_mb),
        "memory_limit_mb": memory_mb,
        "first_run": first,
        "second_run": second,
        "second_rows_per_s": rows / again,
        "second_rows_per_cpu_s": rows / again_cpu,
    }


def _children_cpu() -> float:
    """CPU seconds of finished child processes: the rate on a core of its own, whatever else
    the machine is doing at the time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def report(result: dict[str, Any]) -> None:
    print(
        f"\nimport csv, {result['rows']:,} parties into SQLite under a "
        f"{result['memory_limit_mb']} MB address-space limit:\n"
        f"  first run   {result['rows_per_s']:>8.0f} rows/s, {result['rows_per_cpu_s']:>6.0f} "
        f"rows per CPU second  ({result['first_run']})\n"
        f"  second run  {result['second_rows_per_s']:>8.0f} rows/s, "
        f"{result['second_rows_per_cpu_s']:>6.0f} rows per CPU second  ({result['second_run']})\n"
        f"  peak memory {result['peak_rss_mb']:>8.0f} MB"
    )
    verdict = "PASS" if result["rows_per_s"] >= TARGET_ROWS_PER_S else "MISS"
    load = os.getloadavg()[0]
    print(f"  target      >= {TARGET_ROWS_PER_S} rows/s: {verdict} (load average {load:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--memory-mb", type=int, default=1024)
    args = parser.parse_args()
    report(measure(args.rows, args.memory_mb))


if __name__ == "__main__":
    main()
