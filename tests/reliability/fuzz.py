"""Fuzzing at volume against a live server: `make fuzz N=… CLIENTS=…`.

One `pillbox serve` (one worker, a fresh SQLite database) and several client processes. Each client
sends, round after round, requests drawn by hypothesis for every operation of the server's own
OpenAPI document (API v2 and v1, OAuth, health) and every API v1 route, v1 XML and JSON bodies
included (`tests/reliability/fuzz_requests.py`), on a keep-alive connection, until N requests have
been sent in all or the time is up; the first client also sends schemathesis's cases for every v2
operation each round, for schema coverage. Every 5xx (and any request the server did not answer)
is printed at once with a curl command that reproduces it; the exit status is 1 if there was any.
"""

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from pillbox.api import v2
from tests.reliability import fuzz_requests
from tests.reliability.fuzz_requests import Request, basic_auth, curl, variant
from tests.reliability.live import Server, new_token, sqlite_database

BATCH = 25  # drawn requests per operation per round
VARIANTS = 3  # cheap variants sent after each drawn request
GIVE_UP_AFTER = 50  # requests in a row without an answer: the server is gone


@dataclass
class Target:
    base_url: str
    token: str
    own: list[str]  # ids of the account's records, grown by the run's own creates


@dataclass
class Report:
    deadline: float  # time.time() at which to stop
    wanted: int
    sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # "status curl …"
    unanswered: int = 0  # in a row

    @property
    def done(self) -> bool:
        return (
            self.sent >= self.wanted
            or time.time() >= self.deadline
            or self.unanswered >= GIVE_UP_AFTER
        )

    def record(self, status: int, reproducer: Callable[[], str]) -> None:
        self.sent += 1
        self.statuses[status] += 1
        self.unanswered = self.unanswered + 1 if status == 0 else 0
        if self.sent % 10_000 == 0:
            print(f"{time.strftime('%H:%M:%S')} {self.sent} requests", flush=True)
        if status >= 500 or status == 0:
            self.failures.append(f"{status or 'no answer'} {reproducer()}")
            print(self.failures[-1], flush=True)


def _generated(report: Report, examples: int, strategy: Any, call: Callable[[Any], None]) -> None:
    @given(drawn=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # failures are collected, not shrunk: keep sending
        suppress_health_check=list(HealthCheck),
    )
    def one(drawn: Any) -> None:
        if not report.done:
            call(drawn)

    if not report.done:
        one()


def send(client: httpx.Client, target: Target, request: Request, report: Report) -> None:
    """One drawn request; its answer and, for a 5xx, how to send it again, go to the report."""
    path = request.filled(target.own)
    basic = basic_auth(target.token)
    headers = {
        name: value.replace("{token}", target.token).replace("{basic}", basic)
        for name, value in request.headers
    }
    url = httpx.URL(target.base_url + path, params=list(request.query))
    status = 0
    for _ in range(2):  # a kept-alive connection the server has just closed: once more, anew
        try:
            response = client.request(request.method, url, content=request.body, headers=headers)
        except httpx.TransportError:
            continue
        status = response.status_code
        break
    if status == 201:
        _note_new_id(response.content, target.own)
    report.record(status, lambda: curl(str(url), request.method, headers, request.body))


def _note_new_id(body: bytes, own: list[str]) -> None:
    try:
        record = next(iter(orjson.loads(body).values()))
        own.append(str(int(record["id"])))
    except (ValueError, TypeError, KeyError, StopIteration, AttributeError):
        return
    del own[:-64]


def fuzz_drawn(
    client: httpx.Client, target: Target, examples: int, variants: int, report: Report
) -> None:
    """`examples` drawn requests per operation, each followed by `variants` variants of it."""
    document = client.get("/api/v2/openapi.json").json()
    operations = fuzz_requests.document_operations(document) + fuzz_requests.v1_operations()
    rng = random.Random()
    for _, strategy in operations:
        earlier: list[Request] = []

        def call(request: Request, earlier: list[Request] = earlier) -> None:
            send(client, target, request, report)
            for _ in range(variants if earlier else 0):
                if not report.done:
                    send(client, target, variant(request, earlier, rng), report)
            earlier.append(request)
            del earlier[:-32]

        _generated(report, examples, strategy, call)


def fuzz_schemathesis(target: Target, examples: int, report: Report) -> None:
    """schemathesis's cases for every v2 operation: slower to draw, but they follow the schema."""
    schema = schemathesis.openapi.from_url(f"{target.base_url}/api/v2/openapi.json")
    session = requests.Session()
    auth = {"Authorization": f"Bearer {target.token}"}
    for endpoint in v2.endpoints():
        operation = schema[f"/api/v2{endpoint.path}"][endpoint.method]

        def call(case: Any) -> None:
            try:
                response = case.call(
                    base_url=target.base_url, session=session, headers=auth, timeout=30
                )
                status = response.status_code
            except requests.ConnectionError:
                status = 0
            report.record(
                status, lambda: case.as_curl_command(headers=auth, base_url=target.base_url)
            )

        _generated(report, examples, operation.as_strategy(), call)


def run(
    target: Target,
    wanted: int,
    deadline: float,
    *,
    batch: int = BATCH,
    variants: int = VARIANTS,
    schema_examples: int = 1,
) -> Report:
    """Rounds over every operation until `wanted` requests are sent or `deadline` has passed."""
    report = Report(deadline, wanted)
    rounds = 0
    started = time.monotonic()
    with httpx.Client(base_url=target.base_url, timeout=30) as client:
        while not report.done:
            if schema_examples:
                fuzz_schemathesis(target, schema_examples, report)
            fuzz_drawn(client, target, batch, variants, report)
            rounds += 1
            rate = report.sent / (time.monotonic() - started)
            print(
                f"round {rounds}: {report.sent} requests ({rate:.0f}/s), "
                f"{len(report.failures)} 5xx or unanswered",
                flush=True,
            )
    return report


def _client(target: Target, wanted: int, deadline: float, index: int) -> Report:
    return run(target, wanted, deadline, schema_examples=1 if index == 0 else 0)


def seeded_target(base_url: str, token: str) -> Target:
    """A few records of the account, so that requests find real ids from the start."""
    own = []
    for body in (
        {"party": {"type": "organisation", "name": "Fuzz"}},
        {
            "party": {
                "type": "person",
                "lastName": "Fuzz",
                "emailAddresses": [{"address": "f@x.io"}],
            }
        },
    ):
        created = httpx.post(
            f"{base_url}/api/v2/parties", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        own.append(str(created.json()["party"]["id"]))
    return Target(base_url, token, own)


def fuzz(target: Target, wanted: int, minutes: float, clients: int) -> Report:
    deadline = time.time() + minutes * 60
    shares = [wanted // clients + (i < wanted % clients) for i in range(clients)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(clients, mp_context=context) as pool:
        futures = [pool.submit(_client, target, shares[i], deadline, i) for i in range(clients)]
        reports = [future.result() for future in futures]
    total = Report(deadline, wanted)
    for report in reports:
        total.sent += report.sent
        total.statuses.update(report.statuses)
        total.failures += report.failures
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = sqlite_database(Path(tmp))
        token = new_token(database.engine)
        server = Server(database.url, Path(tmp))
        server.start()
        started = time.monotonic()
        try:
            target = seeded_target(f"http://127.0.0.1:{server.port}", token)
            report = fuzz(target, args.requests, args.minutes, args.clients)
        finally:
            server.stop()
            database.close()
        if report.failures:
            print(server.log(), file=sys.stderr)  # the tracebacks
    took = time.monotonic() - started
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(report.statuses.items()))
    print(
        f"fuzz: {report.sent} requests in {took:.0f} s ({report.sent / took:.0f}/s), "
        f"{len(report.failures)} 5xx or unanswered; by status: {statuses}"
    )
    for failure in report.failures[:50]:
        print(failure)
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
