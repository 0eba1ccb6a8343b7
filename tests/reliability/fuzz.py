"""Fuzzing at volume against a live server: `make fuzz N=…` (python -m tests.reliability.fuzz).

Every API v2 operation is fuzzed by schemathesis from the server's own OpenAPI document, and every
API v1 route by hypothesis strategies of XML and JSON bodies (and query strings), round after
round until N requests have been sent or the time is up. Every 5xx is reported with a curl
command that reproduces it; the exit status is 1 if there was any.
"""

import argparse
import base64
import json
import math
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pillbox.api import v2
from pillbox.api.v1.routes import v1_routes
from tests.reliability.live import Server, new_token, sqlite_database

V1_NAMES = [
    *("person", "organisation", "opportunity", "kase", "task", "historyItem", "customField"),
    *("customFields", "tag", "firstName", "lastName", "name", "title", "jobTitle", "about"),
    *("organisationId", "contacts", "email", "emailAddress", "phone", "phoneNumber", "address"),
    *("website", "webAddress", "id", "type", "description", "value", "currency", "milestone"),
    *("milestoneId", "probability", "expectedCloseDate", "durationBasis", "duration", "owner"),
    *("dueDate", "dueDateTime", "category", "detail", "note", "subject", "entryDate", "label"),
    *("text", "date", "boolean", "partyId", "status", "closeDate", "@size", "x"),
]
texts = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["", "1", "-3", "99999999999", "9" * 5000, "2011-01-01T00:00:00Z", "20110101", "true"]
    ),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(V1_NAMES), inner),
    max_leaves=10,
)
trees = st.recursive(
    st.tuples(st.sampled_from(V1_NAMES[:-2]), texts),
    lambda inner: st.tuples(st.sampled_from(V1_NAMES[:-2]), st.lists(inner, max_size=4)),
    max_leaves=12,
)


def _xml(name: str, value: Any) -> str:
    if isinstance(value, list):
        return f"<{name}>{''.join(_xml(*child) for child in value)}</{name}>"
    return f"<{name}>{escape(value)}</{name}>"


V1_BODIES = st.one_of(
    st.tuples(
        st.just("application/xml"),
        st.one_of(trees.map(lambda t: _xml(*t).encode("utf-8", "surrogatepass")), st.binary()),
    ),
    st.tuples(
        st.just("application/json"),
        st.builds(lambda root, value: {root: value}, st.sampled_from(V1_NAMES[:9]), json_values)
        .map(json.dumps)
        .map(str.encode),
    ),
)
V1_QUERIES = st.dictionaries(
    st.sampled_from(["q", "email", "tag", "lastmodified", "start", "limit", "embed", "x"]),
    st.one_of(texts, st.integers(-5, 10**20).map(str)),
    max_size=4,
)
V1_IDS = st.one_of(st.sampled_from(["{own}"]), st.integers(-(10**20), 10**20).map(str))


@dataclass
class Report:
    deadline: float  # time.monotonic() at which to stop
    wanted: int
    sent: int = 0
    failures: list[str] = field(default_factory=list)  # "status curl …"

    @property
    def done(self) -> bool:
        return self.sent >= self.wanted or time.monotonic() >= self.deadline


def _fuzzed(
    report: Report, examples: int, strategy: Any, call: Callable[[Any], tuple[int, str]]
) -> None:
    @given(drawn=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # failures are collected, not shrunk: keep sending
        suppress_health_check=list(HealthCheck),
    )
    def one(drawn: Any) -> None:
        if report.done:
            return
        status, reproducer = call(drawn)
        report.sent += 1
        if status >= 500:
            report.failures.append(f"{status} {reproducer}")
            print(report.failures[-1], flush=True)

    if not report.done:
        one()


def fuzz_v2(base_url: str, token: str, examples: int, report: Report) -> None:
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v2/openapi.json")
    session = requests.Session()
    auth = {"Authorization": f"Bearer {token}"}
    for endpoint in v2.endpoints():
        operation = schema[f"/api/v2{endpoint.path}"][endpoint.method]

        def call(case: Any) -> tuple[int, str]:
            response = case.call(base_url=base_url, session=session, headers=auth, timeout=30)
            return response.status_code, case.as_curl_command(headers=auth, base_url=base_url)

        _fuzzed(report, examples, operation.as_strategy(), call)


def v1_operations() -> list[tuple[str, str]]:
    found = []
    for route in v1_routes()[0].routes:  # type: ignore[attr-defined]
        path = route.path.replace(":pillbox_id", "").replace(":path", "")
        found += [(method, path) for method in sorted(route.methods) if method != "HEAD"]
    return found


def fuzz_v1(base_url: str, token: str, own_id: str, examples: int, report: Report) -> None:
    session = requests.Session()
    basic = "Basic " + base64.b64encode(f"{token}:x".encode()).decode()
    for method, template in v1_operations():
        names = [part.split("}", 1)[0] for part in template.split("{")[1:]]
        strategy = st.tuples(
            st.lists(V1_IDS, min_size=len(names), max_size=len(names)),
            V1_BODIES if method in ("POST", "PUT") else st.none(),
            V1_QUERIES,
            st.sampled_from(["application/json", "application/xml"]),
        )

        def call(
            drawn: Any, method: str = method, template: str = template, names: list[str] = names
        ) -> tuple[int, str]:
            ids, body, query, accept = drawn
            path = template
            for name, value in zip(names, ids, strict=True):
                path = path.replace("{" + name + "}", value.replace("{own}", own_id))
            headers = {"Authorization": basic, "Accept": accept}
            content = None
            if body is not None:
                headers["Content-Type"], content = body
            response = session.request(
                method, base_url + path, params=query, data=content, headers=headers, timeout=30
            )
            return response.status_code, _curl(response.request)

        _fuzzed(report, examples, strategy, call)


def _curl(request: Any) -> str:
    command = ["curl", "-X", request.method, request.url]
    for name, value in request.headers.items():
        command += ["-H", f"{name}: {value}"]
    if request.body:
        body = request.body if isinstance(request.body, bytes) else request.body.encode()
        command += ["--data-binary", body.decode("utf-8", "backslashreplace")]
    return shlex.join(command)


def run(base_url: str, token: str, own_id: str, requests_wanted: int, minutes: float) -> Report:
    """Rounds over every operation until `requests_wanted` are sent or `minutes` are up."""
    report = Report(time.monotonic() + minutes * 60, requests_wanted)
    operations = len(v2.endpoints()) + len(v1_operations())
    per_round = max(1, min(25, math.ceil(requests_wanted / operations)))
    rounds = 0
    while not report.done:
        fuzz_v2(base_url, token, per_round, report)
        fuzz_v1(base_url, token, own_id, per_round, report)
        rounds += 1
        print(f"round {rounds}: {report.sent} requests, {len(report.failures)} 5xx", flush=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--minutes", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = sqlite_database(Path(tmp))
        token = new_token(database.engine)
        server = Server(database.url, Path(tmp))
        server.start()
        started = time.monotonic()
        try:
            base_url = f"http://127.0.0.1:{server.port}"
            party = requests.post(
                f"{base_url}/api/v2/parties",
                json={"party": {"type": "organisation", "name": "Fuzz"}},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            ).json()["party"]["id"]
            report = run(base_url, token, str(party), args.requests, args.minutes)
        finally:
            server.stop()
            database.close()
    took = time.monotonic() - started
    print(f"fuzz: {report.sent} requests in {took:.0f} s, {len(report.failures)} answered 5xx")
    for failure in report.failures[:50]:
        print(failure)
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
