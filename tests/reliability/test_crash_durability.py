"""Crash durability: clients create and update parties while the server is killed with SIGKILL
at random moments and restarted, again and again. Afterwards every acknowledged write is there
and whole, and no record is half-written.

A create writes a party with an email address and a tag (three tables, one transaction); an
update sets `about` to `v<n>` and adds the phone number `<n>` (two tables, one transaction).
A write is acknowledged when its 201/200 answer was read. A write whose answer never came may or
may not have happened: either is right, half of it is not.

What a process kill proves: every acknowledged transaction survives the death of the server
process. On SQLite (WAL, synchronous=NORMAL) a committed transaction is in the WAL file, in the
operating system's page cache, when its answer is sent; a process kill keeps it, a power loss
could lose the last ones (synchronous=FULL would be needed for that). PostgreSQL fsyncs its WAL
at each commit with its default settings. Power loss is not tested here.
"""

import http.client
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa

from tests.reliability.live import Server, new_token, scaled
from tests.reliability.live import database as live_database

CLIENTS = 6


@dataclass
class Ledger:
    """What the clients were told (acknowledged) and what they only tried."""

    created: dict[int, str] = field(default_factory=dict)  # id -> name
    acknowledged: dict[int, int] = field(default_factory=dict)  # id -> last acknowledged version
    attempted: dict[int, set[int]] = field(default_factory=dict)  # id -> versions sent
    names_tried: set[str] = field(default_factory=set)
    writes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _party(name: str) -> dict[str, object]:
    return {
        "party": {
            "type": "organisation",
            "name": name,
            "emailAddresses": [{"address": f"{name}@example.com"}],
            "tags": [{"name": "durable"}],
        }
    }


def client(server: Server, token: str, number: int, ledger: Ledger, stop: threading.Event) -> None:
    rng = random.Random(number)
    mine: list[int] = []
    count = 0
    while not stop.is_set():
        count += 1
        try:
            if not mine or rng.random() < 0.5:
                name = f"c{number}-{count}"
                with ledger.lock:
                    ledger.names_tried.add(name)
                status, _, body = server.request(
                    "POST", "/api/v2/parties", _party(name), token=token, timeout=10
                )
                if status == 201:
                    party_id = orjson.loads(body)["party"]["id"]
                    mine.append(party_id)
                    with ledger.lock:
                        ledger.created[party_id] = name
                        ledger.writes += 1
            else:
                party_id = rng.choice(mine)
                with ledger.lock:
                    version = max(ledger.attempted.get(party_id, {0})) + 1
                    ledger.attempted.setdefault(party_id, set()).add(version)
                change = {"about": f"v{version}", "phoneNumbers": [{"number": str(version)}]}
                status, _, _ = server.request(
                    "PUT", f"/api/v2/parties/{party_id}", {"party": change}, token=token, timeout=10
                )
                if status == 200:
                    with ledger.lock:
                        ledger.acknowledged[party_id] = max(
                            version, ledger.acknowledged.get(party_id, 0)
                        )
                        ledger.writes += 1
        except (OSError, http.client.HTTPException):  # down, or died mid-answer: unacknowledged
            time.sleep(0.02)


def check(engine: sa.Engine, ledger: Ledger) -> list[str]:
    """Every acknowledged write present and whole; no party half-written."""
    with engine.connect() as conn:
        parties = {
            row.id: row
            for row in conn.execute(
                sa.text("SELECT id, name, about FROM parties WHERE name LIKE 'c%-%'")
            )
        }
        emails = _children(conn, "party_email_addresses", "address")
        phones = _children(conn, "party_phone_numbers", "number")
        tags = {
            row.record_id
            for row in conn.execute(
                sa.text(
                    "SELECT rt.record_id FROM record_tags rt JOIN tags t ON t.id = rt.tag_id "
                    "WHERE t.name = 'durable'"
                )
            )
        }
    problems = [
        f"lost: acknowledged party {i} ({name})"
        for i, name in ledger.created.items()
        if i not in parties
    ]
    for party_id, row in parties.items():
        if row.name not in ledger.names_tried:
            problems.append(f"party {party_id} {row.name} was never sent")
        if emails.get(party_id) != {f"{row.name}@example.com"} or party_id not in tags:
            problems.append(f"half-written: party {party_id} with {emails.get(party_id)}")
        version = int(row.about[1:]) if row.about else 0
        tried = {str(v) for v in ledger.attempted.get(party_id, set())}
        if version < ledger.acknowledged.get(party_id, 0):
            problems.append(f"lost: party {party_id} at v{version}, later acknowledged")
        if version and str(version) not in phones.get(party_id, set()):
            problems.append(f"half-written: party {party_id} at v{version} without its number")
        if not phones.get(party_id, set()) <= tried:
            problems.append(f"party {party_id} has numbers never sent: {phones[party_id]}")
    return problems


def _children(conn: sa.Connection, table: str, column: str) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for row in conn.execute(sa.text(f"SELECT party_id, {column} FROM {table}")):
        found.setdefault(row[0], set()).add(row[1])
    return found


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_acknowledged_writes_survive_repeated_sigkill(kind, tmp_path: Path):
    kills = scaled(2, 40)
    rng = random.Random(kills)
    for db in live_database(kind, tmp_path):
        token = new_token(db.engine)
        server = Server(db.url, tmp_path)
        server.start()
        ledger = Ledger()
        stop = threading.Event()
        threads = [
            threading.Thread(target=client, args=(server, token, n, ledger, stop))
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        try:
            for _ in range(kills):
                time.sleep(rng.uniform(0.3, 1.5))
                server.kill()
                server.start()
            time.sleep(0.5)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            server.stop()
        problems = check(db.engine, ledger)
        print(
            f"crash durability ({kind}): {kills} SIGKILLs, {ledger.writes} acknowledged writes "
            f"({len(ledger.created)} creates), {len(problems)} lost or half-written"
        )
        assert ledger.writes > kills * 5
        assert problems == []


def test_the_check_reports_lost_and_half_written_records(tmp_path: Path):
    for db in live_database("sqlite", tmp_path):
        token = new_token(db.engine)
        server = Server(db.url, tmp_path)
        server.start()
        try:
            status, _, body = server.request("POST", "/api/v2/parties", _party("c0-1"), token=token)
        finally:
            server.stop()
        assert status == 201
        kept = orjson.loads(body)["party"]["id"]
        ledger = Ledger(created={kept: "c0-1", kept + 1000: "c0-2"}, names_tried={"c0-1", "c0-2"})
        assert check(db.engine, ledger) == [f"lost: acknowledged party {kept + 1000} (c0-2)"]
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM party_email_addresses")
        assert f"half-written: party {kept} with None" in check(db.engine, ledger)
