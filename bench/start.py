"""How long `pillbox serve` takes from exec to its first 200 on /_health.

Usage: python bench/start.py [--runs 3] [--no-bytecode-cache]
Migrates a new SQLite database, starts the server once unmeasured (Python writes its modules'
bytecode caches, as an installed package has them), then starts it `--runs` times and prints
each time, with the server's own CPU seconds to that point (what a busy machine does not change)
and the load average. `--no-bytecode-cache` gives the server an empty bytecode cache it may not
write to: every module, the dependencies' too, is compiled from source at each start.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PORT = 8379


def start_once(env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, the server's CPU seconds) from exec to the first 200 on /_health."""
    command = [sys.executable, "-m", "pillbox", "serve", "--port", str(PORT)]
    started = time.monotonic()
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/_health", timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("the server stopped before answering") from None
                time.sleep(0.01)
        seconds = time.monotonic() - started
        fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return seconds, cpu
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-bytecode-cache", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    env = {**os.environ, "PILLBOX_DATABASE_URL": f"sqlite:///{work / 'start.db'}"}
    env.setdefault("PILLBOX_SECRET_KEY", "bench")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.no_bytecode_cache:
        env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=str(work / "no-cache"))
    subprocess.run([sys.executable, "-m", "pillbox", "db", "upgrade"], env=env, check=True)
    start_once(env)  # unmeasured: writes what bytecode caches are missing
    for _ in range(args.runs):
        seconds, cpu = start_once(env)
        load = os.getloadavg()[0]
        print(f"first 200 after {seconds:.2f} s ({cpu:.2f} CPU s; load average {load:.1f})")


if __name__ == "__main__":
    main()
