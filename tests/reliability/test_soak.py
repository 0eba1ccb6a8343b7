"""Soak: mixed reads and writes against a real server, its worker delivering REST hooks to a
receiver on loopback, for 20 s in `make test` and 10 minutes in `make reliability`
(PILLBOX_SOAK_SECONDS sets another length).

After a warm-up (the first fifth), resident memory may not grow by 10% or more, open descriptors
(sockets, database files) may not grow beyond what the delivery threads' own connections add,
and the 99th percentile latency of the last fifth may not exceed twice that of the
second fifth (plus 50 ms of scheduling noise on a shared machine). Every hook event is delivered
within 30 s of the load's end (the worker may trail the load a little), and nothing answers 5xx.
"""

import http.client
import http.server
import os
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.reliability.live import Database, Server, new_token, scaled

CLIENTS = 4
DELIVERY_THREADS = 8  # pillbox.deliveries: each may hold a database connection
DRAIN_SECONDS = 30  # after the load, for the last deliveries


class Receiver(http.server.ThreadingHTTPServer):
    # The delivery threads connect at once: with socketserver's backlog of 5, the connections
    # past it lost their SYN and were retried a second later, and deliveries fell far behind.
    request_queue_size = 128

    def __init__(self) -> None:
        self.deliveries = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.deliveries += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def load(
    server: Server,
    token: str,
    number: int,
    until: float,
    log: list[tuple[float, float]],
    errors: list[str],
) -> None:
    """Mixed traffic on one keep-alive connection: (time, latency) of each request into `log`."""
    rng = random.Random(number)
    conn = http.client.HTTPConnection(*server.address, timeout=30)
    mine: list[int] = []
    while time.monotonic() < until:
        roll = rng.random()
        if not mine or roll < 0.2:
            method, path, body = (
                "POST",
                "/api/v2/parties",
                {
                    "party": {
                        "type": "person",
                        "lastName": f"Soak {number}",
                        "tags": [{"name": "s"}],
                    }
                },
            )
        elif roll < 0.35:
            method, path = "PUT", f"/api/v2/parties/{rng.choice(mine)}"
            body = {"party": {"about": f"at {time.time()}"}}
        elif roll < 0.4 and len(mine) > 20:
            method, path, body = "DELETE", f"/api/v2/parties/{mine.pop(0)}", None
        elif roll < 0.7:
            method, path, body = "GET", f"/api/v2/parties/{rng.choice(mine)}?embed=tags", None
        elif roll < 0.85:
            method, path, body = "GET", "/api/v2/parties?perPage=50&embed=tags", None
        else:
            method, path, body = "GET", "/api/v2/parties/search?q=Soak", None
        started = time.monotonic()
        status, _, answer = server.request(method, path, body, token=token, connection=conn)
        log.append((started, time.monotonic() - started))
        if status >= 500:
            errors.append(f"{method} {path}: {status}")
        elif method == "POST" and status == 201:
            mine.append(orjson.loads(answer)["party"]["id"])
    conn.close()


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[int(len(ordered) * 0.99)]


def test_a_soak_of_mixed_traffic_leaks_nothing(
    sqlite_database: Database, tmp_path: Path, receiver: Receiver
):
    seconds = int(os.environ.get("PILLBOX_SOAK_SECONDS") or scaled(20, 600))
    server = Server(sqlite_database.url, tmp_path, env={"PILLBOX_HOOKS_ALLOW_PRIVATE": "true"})
    server.start()
    token = new_token(sqlite_database.engine)
    url = f"http://127.0.0.1:{receiver.server_address[1]}/hooks"
    for event in ("party/created", "party/updated", "party/deleted"):
        hook = {"restHook": {"event": event, "targetUrl": url}}
        assert server.request("POST", "/api/v2/resthooks", hook, token=token)[0] == 201
    started = time.monotonic()
    until = started + seconds
    log: list[tuple[float, float]] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=load, args=(server, token, n, until, log, errors))
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    samples: list[tuple[float, int, int]] = []  # (time, RSS kB, open descriptors)
    try:
        while time.monotonic() < until:
            time.sleep(min(1.0, seconds / 20))
            samples.append((time.monotonic(), server.rss_kb(), server.open_fds()))
        for thread in threads:
            thread.join(timeout=60)
        stopped = time.monotonic()
        expected = _events(sqlite_database)
        at_stop = receiver.deliveries
        while receiver.deliveries < expected and time.monotonic() < stopped + DRAIN_SECONDS:
            time.sleep(0.1)  # the worker may trail the load a little
        drained = time.monotonic() - stopped
        with sqlite_database.engine.connect() as conn:
            states = conn.exec_driver_sql(
                "SELECT status, attempts, count(*) FROM hook_deliveries GROUP BY 1, 2"
            ).all()
    finally:
        server.stop()
    fifth = seconds / 5
    warm = [s for s in samples if s[0] - started >= fifth]
    first = [latency for at, latency in log if fifth <= at - started < 2 * fifth]
    last = [latency for at, latency in log if at - started >= 4 * fifth]
    rss_growth = warm[-1][1] / warm[0][1] - 1
    print(
        f"soak {seconds} s: {len(log)} requests, {receiver.deliveries}/{expected} hook deliveries "
        f"({at_stop} when the load stopped, {receiver.deliveries} {drained:.0f} s after; "
        f"status, attempts, count: {[tuple(r) for r in states]}), "
        f"RSS {warm[0][1]} -> {warm[-1][1]} kB ({rss_growth:+.1%}), descriptors "
        f"{warm[0][2]} -> {warm[-1][2]}, p99 {p99(first) * 1000:.1f} -> {p99(last) * 1000:.1f} ms"
    )
    assert errors == []
    assert receiver.deliveries >= expected
    assert rss_growth < 0.10
    # Sockets come and go with each delivery and request, and the delivery pool starts its 8
    # threads (each with its own database connection) only as deliveries pile up: allow for
    # those, while a leak per request or per delivery (thousands of each here) would show.
    early = [d for at, _, d in samples if fifth <= at - started < 2 * fifth]
    late = [d for at, _, d in samples if at - started >= 4 * fifth]
    assert max(late) <= max(early) + DELIVERY_THREADS * 2
    assert p99(last) <= p99(first) * 2 + 0.050


def _events(database: Database) -> int:
    with database.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM hook_deliveries").scalar_one())
