"""Server time of the web interface's screens, from the server's own request log.

Usage: python bench/screens.py DATABASE_URL EMAIL PASSWORD [--requests 100] [PATH ...]
Serves the database with one worker and JSON logs, signs in as EMAIL, asks for each screen
REQUESTS times one after another, and prints p50/p99 of the `duration_ms` the server logged for
them (the time in the server, without the client or the network). PATHs add screens to the
standard ones; a seeded account (`pillbox seed --profile smallbiz`) gives them data.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import httpx

PORT = 8931
SEARCHES = ("smith", "acme", "john", "ltd", "garcia")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("email")
    parser.add_argument("password")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("paths", nargs="*")
    args = parser.parse_intermixed_args()
    env = {**os.environ, "PILLBOX_DATABASE_URL": args.database_url, "PILLBOX_LOG_FORMAT": "json"}
    command = [sys.executable, "-m", "pillbox", "serve", "--port", str(PORT)]
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        try:
            client = signed_in(args.email, args.password)
            screens = standard_screens(client)
            screens.update({path: (lambda p=path: p) for path in args.paths})
            names = ask(client, screens, args.requests)
            time.sleep(0.5)  # the last lines reach the log
        finally:
            server.terminate()
            server.wait()
        report(names, durations(log.name))


def signed_in(email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=f"http://127.0.0.1:{PORT}", follow_redirects=False)
    for _ in range(300):
        try:
            client.get("/_health")
            break
        except httpx.TransportError:
            time.sleep(0.1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert csrf, "the sign-in page has no CSRF token"
    form = {"csrf": csrf[1], "email": email, "password": password}
    assert client.post("/login", data=form).status_code == 303, "signing in failed"
    return client


def standard_screens(client: httpx.Client) -> dict[str, Callable[[], str]]:
    party_ids = re.findall(r'href="/parties/(\d+)"', client.get("/parties?page=5").text)
    return {
        "/": lambda: "/",
        "/parties/{id}": lambda: f"/parties/{random.choice(party_ids)}",
        "/parties?page=N": lambda: f"/parties?page={random.randint(1, 100)}",
        "/parties?q=": lambda: f"/parties?q={random.choice(SEARCHES)}",
        "/tasks": lambda: "/tasks",
        "/settings/tokens": lambda: "/settings/tokens",
    }


def ask(client: httpx.Client, screens: dict[str, Callable[[], str]], requests: int) -> list[str]:
    """Each screen, warmed up, then `requests` times; the screen of each request, in order."""
    for make in screens.values():
        for _ in range(10):
            client.get(make())
    client.get("/_health")  # marks where the measured requests begin
    names = []
    for name, make in screens.items():
        for _ in range(requests):
            path = make()
            status = client.get(path).status_code
            assert status == 200, f"{path}: {status}"
            names.append(name)
    return names


def durations(log_path: str) -> list[float]:
    """The logged requests after the last /_health, in order."""
    found: list[float] = []
    with open(log_path) as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("route") == "/_health":
                found = []
            elif "duration_ms" in record:
                found.append(record["duration_ms"])
    return found


def report(names: list[str], found: list[float]) -> None:
    assert len(found) == len(names), f"{len(found)} requests logged, {len(names)} made"
    by_screen: dict[str, list[float]] = {}
    for name, duration in zip(names, found, strict=True):
        by_screen.setdefault(name, []).append(duration)
    print(f"load average {os.getloadavg()[0]:.2f}; server time per request, ms")
    print(f"{'screen':<32}{'p50':>8}{'p99':>8}{'max':>8}")
    for name, times in by_screen.items():
        times.sort()
        p50, p99 = times[len(times) // 2], times[min(len(times) - 1, int(0.99 * len(times)))]
        print(f"{name:<32}{p50:>8.1f}{p99:>8.1f}{times[-1]:>8.1f}")


if __name__ == "__main__":
    main()
