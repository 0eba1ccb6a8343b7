"""A seeded Pillbox on a loopback port stands in for Capsule: the account it serves is imported
into the test's database, and both are compared through the API."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa

from pillbox.capsule_import.client import CapsuleClient
from pillbox.capsule_import.importer import Importer, Options
from pillbox.capsule_import.report import Report
from pillbox.seed import seed_account
from pillbox.store.engine import WRITE
from pillbox.store.files import LocalFiles
from pillbox.testing.server import LoopbackPillbox

SEED_PARTIES = 20
BASE_DATE = date(2026, 1, 15)


@dataclass
class Source:
    """An account on the loopback Pillbox, seeded, with a client of its API v2."""

    server: LoopbackPillbox
    name: str
    token: str
    http: httpx.Client

    @property
    def origin(self) -> str:
        return self.server.base_url

    def post(self, path: str, body: Any) -> Any:
        response = self.http.post(f"/api/v2{path}", json=body)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def fault(self, **rule: Any) -> None:
        response = self.http.post("/_pillbox/faults", json=rule)
        assert response.status_code == 201, response.text


@pytest.fixture(scope="session")
def loopback(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackPillbox]:
    root = tmp_path_factory.mktemp("capsule-source")
    server = LoopbackPillbox(f"sqlite:///{root / 'source.db'}", root / "attachments")
    server.start()
    yield server
    server.stop()


def open_source(server: LoopbackPillbox) -> Source:
    """A new seeded account with a little of everything seeding leaves out: a team, custom
    fields and their values, additional parties, an attachment, an activity type, a track."""
    access = server.open_account()
    with server.engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        seed_account(
            conn,
            profile="smallbiz",
            parties=SEED_PARTIES,
            seed=7,
            base_date=BASE_DATE,
            account_name=access.name,
        )
    http = httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {access.token}"}
    )
    source = Source(server, access.name, access.token, http)
    _enrich(source)
    return source


def _enrich(source: Source) -> None:
    users = source.http.get("/api/v2/users").json()["users"]
    source.post(
        "/teams",
        {"team": {"name": "North", "memberships": [{"user": u["id"]} for u in users[:2]]}},
    )
    tag = source.post("/parties/tags", {"tag": {"name": "Hobbies", "dataTag": True}})["tag"]
    definitions = [
        {"name": "Shoe size", "type": "number"},
        {"name": "Nickname", "type": "text"},
        {"name": "Since", "type": "date"},
        {"name": "Interests", "type": "list", "options": ["Art", "Food"], "tag": tag["id"]},
    ]
    made = [
        source.post("/parties/fields/definitions", {"definition": d})["definition"]
        for d in definitions
    ]
    parties = source.http.get("/api/v2/parties", params={"perPage": 100}).json()["parties"]
    person = next(p for p in parties if p["type"] == "person" and p["organisation"])
    values = [42, "Bee", "2020-02-02", "Food"]
    fields = [
        {"definition": {"id": d["id"]}, "value": v} for d, v in zip(made, values, strict=True)
    ]
    source.http.put(
        f"/api/v2/parties/{person['id']}",
        json={"party": {"fields": fields, "tags": [{"id": tag["id"]}]}},
    ).raise_for_status()
    opportunity = source.http.get("/api/v2/opportunities").json()["opportunities"][0]
    source.http.post(
        f"/api/v2/opportunities/{opportunity['id']}/parties/{person['id']}"
    ).raise_for_status()
    kase = source.http.get("/api/v2/kases").json()["kases"][0]
    source.http.post(f"/api/v2/kases/{kase['id']}/parties/{person['id']}").raise_for_status()
    upload = source.http.post(
        "/api/v2/attachments/upload",
        content=b"%PDF-1.4 quarterly figures \x00\x01\x02",
        headers={"Content-Type": "application/pdf", "X-Attachment-Filename": quote("Q1 é.pdf")},
    ).json()["upload"]["token"]
    kind = {"name": "Site visit", "icon": {"id": "travel"}, "updateLastContacted": True}
    visit = source.post("/activitytypes", {"activityType": kind})["activityType"]
    note = {
        "type": "note",
        "party": {"id": person["id"]},
        "content": "Visited the site with Bee.",
        "activityType": visit["id"],
        "attachments": [{"token": upload}],
    }
    source.post("/entries", {"entry": note})
    track_definition = {
        "description": "Onboarding",
        "captureRule": "PARTY",
        "direction": "START_DATE",
        "taskDefinitions": [
            {
                "description": "Welcome call",
                "daysAfterRule": "TRACK_START",
                "daysAfter": 1,
                "dayDelayRule": "TRACK_DAYS",
                "trackTaskAssignee": {"assigneeType": "ENTITY_OWNER"},
            },
        ],
    }
    made_definition = source.post("/trackdefinitions", {"trackDefinition": track_definition})
    track = {
        "definition": made_definition["trackDefinition"]["id"],
        "party": {"id": person["id"]},
        "trackDateOn": "2026-01-20",
    }
    source.post("/tracks", {"track": track})


@pytest.fixture(scope="session")
def source(loopback: LoopbackPillbox) -> Iterator[Source]:
    """The session's seeded account, read by many tests: they must not change it."""
    opened = open_source(loopback)
    yield opened
    opened.http.close()


@pytest.fixture
def own_source(loopback: LoopbackPillbox) -> Iterator[Source]:
    """A seeded account of the test's own, for tests that change it or set faults on it."""
    opened = open_source(loopback)
    yield opened
    opened.http.close()


@dataclass
class Waits:
    """A clock that moves only when slept on, and every sleep asked for."""

    now: float = 1_800_000_000.0
    slept: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        # A client waiting forever (a 429 that never lifts) fails the test instead of hanging it.
        assert len(self.slept) < 1_000, "the client keeps waiting"
        self.slept.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


class QuietProgress:
    def __init__(self) -> None:
        self.phases: list[str] = []

    def phase(self, name: str, done: int) -> None:
        if not self.phases or self.phases[-1] != name:
            self.phases.append(name)

    def advance(self, count: int) -> None:
        pass


@dataclass
class Run:
    report: Report
    said: list[str]
    waits: Waits
    requests: int


def run_import(
    engine: sa.Engine,
    source: Source,
    account: str,
    files: Path,
    *,
    anonymise: bool = False,
    since_last: bool = False,
    transport: httpx.BaseTransport | None = None,
    waits: Waits | None = None,
    origin: str | None = None,
) -> Run:
    waits = waits or Waits()
    said: list[str] = []
    origin = origin or source.origin
    client = CapsuleClient(
        origin,
        source.token,
        transport=transport,
        sleep=waits.sleep,
        clock=waits.clock,
        on_wait=said.append,
    )
    options = Options(account, origin, anonymise=anonymise, since_last=since_last)
    importer = Importer(engine, client, LocalFiles(files), options, QuietProgress(), said.append)
    try:
        report = importer.run()
    finally:
        client.close()
    return Run(report, said, waits, client.requests)


class Interrupted(Exception):
    """Stands for Ctrl-C or a machine going down, part of the way through."""


def interrupting_transport(
    after: int, on: Callable[[httpx.Request], bool] = lambda request: True
) -> httpx.BaseTransport:
    """Passes `after` of the requests `on` picks through, then fails the next such one."""
    inner = httpx.HTTPTransport()
    count = [0]

    class Transport(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if on(request):
                count[0] += 1
                if count[0] > after:
                    raise Interrupted()
            return inner.handle_request(request)

        def close(self) -> None:
            inner.close()

    return Transport()


Get = Callable[[str, dict[str, str]], Any]
