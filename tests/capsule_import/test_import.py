"""pillbox import capsule: a seeded Pillbox stands in for Capsule, and the imported account must
show through the API exactly what the source showed, record for record."""

import secrets
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from pillbox.capsule_import.client import SLOW_BELOW
from pillbox.capsule_import.importer import ImportRefused
from pillbox.domain.parties import delete_party
from pillbox.store import accounts as account_store
from pillbox.store.accounts import Principal
from pillbox.store.tables.entries import entries
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties
from pillbox.store.tables.records import field_definitions, tags
from pillbox.store.tables.tasks import tasks, tracks
from pillbox.testing.server import LoopbackPillbox
from tests.capsule_import import compare
from tests.capsule_import.conftest import (
    Interrupted,
    Source,
    Waits,
    interrupting_transport,
    open_source,
    run_import,
)
from tests.capsule_import.target import Target


@pytest.fixture
def name() -> str:
    """An account name of the test's own: PostgreSQL's schema is shared by the session."""
    return f"copy-{uuid.uuid4().hex[:10]}"


def source_view(source: Source) -> dict[str, Any]:
    def get(path: str, params: dict[str, str]) -> Any:
        response = source.http.get(f"/api/v2{path}", params=params)
        assert response.status_code == 200, (path, response.text)
        return response.json()

    return compare.everything(get)


def source_bytes(source: Source, shown: dict[str, Any]) -> dict[int, bytes]:
    return compare.attachment_bytes(shown, lambda path: source.http.get(f"/api/v2{path}").content)


def assert_same(source: Source, target: Target, shown: dict[str, Any] | None = None) -> None:
    """The target shows what the source does, with each id the one it was given."""
    shown = shown if shown is not None else source_view(source)
    pairs = target.pairs()
    imported = target.everything()
    found = compare.differences(compare.ordered(imported), compare.translated(shown, pairs))
    assert not found, "\n".join(found)
    expected = {pairs.get(("attachments", i), i): b for i, b in source_bytes(source, shown).items()}
    assert expected  # the source has an attachment: the bytes are compared
    assert compare.attachment_bytes(imported, target.fetch) == expected


@pytest.fixture(scope="module")
def shown(source: Source) -> dict[str, Any]:
    """What the session's source account shows (which no test changes)."""
    return source_view(source)


def test_import_shows_every_record_as_the_source_does(engine, source, shown, tmp_path, name):
    run = run_import(engine, source, name, tmp_path)
    target = Target(engine, name, tmp_path)
    assert_same(source, target, shown)
    counts = run.report.counts
    assert counts["parties"] == {
        "read": len(shown["/parties"]),
        "written": len(shown["/parties"]),
        "skipped": 0,
    }
    assert counts["entries"]["written"] == len(shown["/entries"])
    assert counts["tracks"]["written"] == 1
    with engine.connect() as conn:  # Capsule shows no date for a track: its first task's
        track = conn.execute(
            sa.select(tracks).where(tracks.c.account_id == target.account_id)
        ).one()
        first = conn.scalar(
            sa.select(sa.func.min(tasks.c.created_at)).where(tasks.c.track_id == track.id)
        )
    assert track.created_at == first
    assert run.report.skipped == []


def test_import_keeps_capsule_ids_and_timestamps(engine, source, shown, tmp_path, name):
    run_import(engine, source, name, tmp_path)
    target = Target(engine, name, tmp_path)
    pairs = target.pairs()
    kept = {key: local for key, local in pairs.items() if key[1] == local}
    party = shown["/parties"][-1]
    if ("parties", party["id"]) in kept:  # the same id, unless another account had it
        imported = target.get(f"/parties/{party['id']}", {"embed": compare.RECORD_EMBEDS})
        assert imported["party"] == party
    entry = shown["/entries"][0]
    local = pairs[("entries", entry["id"])]
    body = target.get(f"/entries/{local}", {})["entry"]
    assert (body["createdAt"], body["updatedAt"], body["entryAt"]) == (
        entry["createdAt"],
        entry["updatedAt"],
        entry["entryAt"],
    )


def test_import_gives_a_taken_id_a_new_one_and_lists_it(engine, source, shown, tmp_path, name):
    taken = shown["/parties"][0]["id"]
    with engine.begin() as conn:
        # Another account's party already has the id (inserted as it is, if nothing has it yet).
        other = account_store.create_account(conn, f"{name}-other")
        if conn.scalar(sa.select(parties.c.id).where(parties.c.id == taken)) is None:
            conn.execute(
                parties.insert().values(
                    id=taken,
                    account_id=other,
                    type="person",
                    last_name="Taken",
                    created_at="2020-01-01T00:00:00Z",
                    updated_at="2020-01-01T00:00:00Z",
                )
            )
    run = run_import(engine, source, name, tmp_path)
    target = Target(engine, name, tmp_path)
    local = target.pairs()[("parties", taken)]
    assert local != taken
    assert ["parties", taken, local] in run.report.remapped
    assert f"  parties {taken} -> {local}" in run.report.lines()
    assert_same(source, target, shown)  # what pointed at the party points at its new id


def test_import_waits_out_429s_and_retries_5xx_and_dropped_connections(
    engine, own_source, tmp_path, name
):
    source = own_source
    source.fault(path="/api/v2/parties", status=429, times=1)
    source.fault(path="/api/v2/opportunities", status=503, times=2)
    source.fault(path="/api/v2/entries", drop=True, times=1)
    run = run_import(engine, source, name, tmp_path)
    waits = [line for line in run.said if "rate limit" in line]
    assert len(waits) == 1 and waits[0].startswith(
        "Capsule's rate limit is reached: waiting until "
    )
    assert [s for s in run.waits.slept if s in (1.0, 2.0)] == [1.0, 2.0, 1.0]
    assert_same(source, Target(engine, name, tmp_path))


def test_interrupted_import_goes_on_where_it_stopped_writing_nothing_twice(
    engine, source, shown, tmp_path, name
):
    full = run_import(engine, source, name, tmp_path)
    expected = rows_of(engine, name)
    for stop_after in (3, full.requests // 2, full.requests - 2):
        resumed_name = f"{name}-{stop_after}"
        with pytest.raises(Interrupted):
            transport = interrupting_transport(stop_after)
            run_import(engine, source, resumed_name, tmp_path, transport=transport)
        resumed = run_import(engine, source, resumed_name, tmp_path)
        assert any(line.startswith("Going on with the import stopped at") for line in resumed.said)
        assert resumed.report.counts == full.report.counts
        assert rows_of(engine, resumed_name) == expected
    assert_same(source, Target(engine, resumed_name, tmp_path), shown)


def rows_of(engine: sa.Engine, name: str) -> dict[str, int]:
    """How many rows of each record table the account has."""
    counted = (parties, opportunities, kases, entries, tasks, tracks, tags, field_definitions)
    with engine.connect() as conn:
        account_id = account_store.account_id_by_name(conn, name)
        return {
            t.name: conn.scalar(
                sa.select(sa.func.count()).select_from(t).where(t.c.account_id == account_id)
            )
            for t in counted
        }


def test_since_last_brings_changes_and_deletions(engine, own_source, tmp_path, name):
    source = own_source
    first = run_import(engine, source, name, tmp_path)
    shown = source_view(source)
    person = next(p for p in shown["/parties"] if p["type"] == "person" and not p.get("fields"))
    source.http.put(f"/api/v2/parties/{person['id']}", json={"party": {"jobTitle": "Buyer"}})
    source.post("/parties", {"party": {"type": "person", "firstName": "New", "lastName": "Comer"}})
    gone = shown["/kases"][-1]["id"]
    source.http.delete(f"/api/v2/kases/{gone}").raise_for_status()
    again = run_import(engine, source, name, tmp_path, since_last=True)
    assert again.requests < first.requests
    assert again.report.counts["parties"]["read"] < first.report.counts["parties"]["read"]
    assert again.report.deleted == 1
    assert_same(source, Target(engine, name, tmp_path))


def test_since_last_without_a_finished_import_is_refused_and_creates_nothing(
    engine, source, tmp_path, name
):
    with pytest.raises(ImportRefused, match="run it once without --since-last"):
        run_import(engine, source, name, tmp_path, since_last=True)
    with engine.connect() as conn:
        assert account_store.account_id_by_name(conn, name) is None


def test_interrupted_download_leaves_no_file_behind(engine, source, shown, tmp_path, name):
    files = tmp_path / "files"
    downloads = interrupting_transport(0, on=lambda r: r.url.path.startswith("/api/v2/attachments"))
    with pytest.raises(Interrupted):
        run_import(engine, source, name, files, transport=downloads)
    assert [p for p in files.rglob("*") if p.is_file()] == []
    run_import(engine, source, name, files)
    assert len([p for p in files.rglob("*") if p.is_file()]) == 1
    assert_same(source, Target(engine, name, files), shown)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"anonymise": True}, "was started without --anonymise: run it without --anonymise"),
        ({"origin": "https://api.capsulecrm.com"}, "run it with --url http://127.0.0.1:"),
    ],
)
def test_an_import_under_way_goes_on_only_as_it_started(
    engine, source, tmp_path, name, change, message
):
    with pytest.raises(Interrupted):
        run_import(engine, source, name, tmp_path, transport=interrupting_transport(5))
    with pytest.raises(ImportRefused, match=message):
        run_import(engine, source, name, tmp_path, **change)


def test_an_organisation_whose_name_is_taken_is_skipped_with_what_is_about_it(
    engine, source, shown, tmp_path, name
):
    def about(entry: dict[str, Any]) -> int | None:
        return (entry.get("party") or {}).get("id")

    noted = {about(e) for e in shown["/entries"]}
    organisation = next(
        p for p in shown["/parties"] if p["type"] == "organisation" and p["id"] in noted
    )
    notes = [e["id"] for e in shown["/entries"] if about(e) == organisation["id"]]
    people = [
        p["id"]
        for p in shown["/parties"]
        if (p.get("organisation") or {}).get("id") == organisation["id"]
    ]
    assert notes and people
    with engine.begin() as conn:
        account_id = account_store.create_account(conn, name)
        conn.execute(
            parties.insert().values(
                account_id=account_id,
                type="organisation",
                name=organisation["name"].upper(),
                organisation_key=organisation["name"].lower(),
                created_at="2020-01-01T00:00:00Z",
                updated_at="2020-01-01T00:00:00Z",
            )
        )
    run = run_import(engine, source, name, tmp_path)
    reason = "an organisation of that name exists already in this account"
    assert ["parties", organisation["id"], reason] in run.report.skipped
    missing = f"its party {organisation['id']} was not imported"
    skipped_notes = [s[1] for s in run.report.skipped if s[0] == "entries" and s[2] == missing]
    assert sorted(skipped_notes) == sorted(notes)
    target = Target(engine, name, tmp_path)
    pairs = target.pairs()
    for person in people:  # still imported, no longer at the organisation
        shown_person = target.get(f"/parties/{pairs[('parties', person)]}", {})["party"]
        assert shown_person["organisation"] is None


def test_importing_again_brings_back_what_was_deleted_here_under_its_id(
    engine, source, shown, tmp_path, name
):
    run_import(engine, source, name, tmp_path)
    target = Target(engine, name, tmp_path)
    party = target.pairs()[("parties", shown["/parties"][-1]["id"])]
    with engine.begin() as conn:
        actor = Principal(0, target.account_id, "write", is_admin=True)
        delete_party(conn, actor, party)
    again = run_import(engine, source, name, tmp_path)
    assert again.report.remapped == []
    assert target.get(f"/parties/{party}", {})["party"]["id"] == party
    assert_same(source, target, shown)


LOW_LIMIT = 80  # requests an hour: more than an import of the source takes, but not many more


@pytest.fixture(scope="module")
def limited(tmp_path_factory) -> Iterator[Source]:
    """A source on a server allowing `LOW_LIMIT` requests an hour to each user."""
    root = tmp_path_factory.mktemp("limited")
    server = LoopbackPillbox(f"sqlite:///{root / 'source.db'}", root / "files", LOW_LIMIT)
    server.start()
    source = open_source(server)
    yield source
    source.http.close()
    server.stop()


def fresh_reader(source: Source) -> Source:
    """The source read as a new user, who has made no request yet (the limit counts per user;
    another user's requests filled the account)."""
    token = secrets.token_urlsafe(24)
    with source.server.engine.begin() as conn:
        account_id = account_store.account_id_by_name(conn, source.name)
        assert account_id is not None
        username = f"reader{uuid.uuid4().hex[:8]}"
        user_id = account_store.create_user(
            conn,
            account_id,
            email=f"{username}@example.com",
            name="Reader",
            username=username,
            admin=False,
        )
        account_store.create_token(conn, user_id, token, "read")
    return Source(source.server, source.name, token, source.http)


def test_import_slows_down_before_the_rate_limit_and_never_reaches_it(
    engine, limited, tmp_path, name
):
    source = limited
    reader = fresh_reader(source)
    waits = Waits(now=time.time())
    run = run_import(engine, reader, name, tmp_path, waits=waits)
    assert run.requests < LOW_LIMIT
    assert not [line for line in run.said if "rate limit is reached" in line]
    # Spread out once fewer than SLOW_BELOW were left (the server's count may lag a request or
    # two: its processes agree about once a second).
    assert len(waits.slept) >= run.requests - (LOW_LIMIT - SLOW_BELOW) - 2
    assert all(0 < pause < 3600 for pause in waits.slept)
    parties = source.http.get("/api/v2/parties", params={"perPage": 100}).json()["parties"]
    assert run.report.counts["parties"]["written"] == len(parties)
