"""Account archives: every row of an account and its files, restored into SQLite or PostgreSQL
under the same ids, so that every API answer is the same afterwards."""

import shutil
import uuid
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from pillbox.app import create_app
from pillbox.settings import Settings
from pillbox.store import migrate
from pillbox.store.engine import WRITE, create_engine
from pillbox.store.files import LocalFiles
from pillbox.store.tables.accounts import accounts
from pillbox.store.tables.parties import parties
from pillbox.transfer import archive
from tests.conftest import POSTGRES_URL, Account, make_account
from tests.transfer.test_export import fill


@pytest.fixture
def fresh_databases(request, tmp_path, sqlite_template):
    """fresh("sqlite" | "postgres") -> an empty migrated database of its own."""
    made, engines = [], []

    def fresh(kind):
        if kind == "sqlite":
            path = tmp_path / f"fresh-{uuid.uuid4().hex[:8]}.db"
            shutil.copyfile(sqlite_template, path)
            engine = create_engine(f"sqlite:///{path}")
        else:
            request.getfixturevalue("postgres_engine")  # skips when PostgreSQL is not reachable
            schema = f"pillbox_archive_{uuid.uuid4().hex[:12]}"
            admin = sa.create_engine(POSTGRES_URL)
            with admin.begin() as conn:
                conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            admin.dispose()
            engine = create_engine(POSTGRES_URL + f"?options=-csearch_path%3D{schema},public")
            migrate.upgrade(engine)
            made.append(schema)
        engines.append(engine)
        return engine

    yield fresh
    for engine in engines:
        engine.dispose()
    admin = sa.create_engine(POSTGRES_URL) if made else None
    for schema in made:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    if admin is not None:
        admin.dispose()


def app_client(engine, files_dir):
    settings = Settings(
        database_url="sqlite://",
        rate_limit_per_hour=100_000,
        run_worker=False,
        attachments_dir=str(files_dir),
    )
    return TestClient(create_app(settings, engine=engine), base_url="http://pillbox.test")


def list_paths(client):
    """Every GET of API v2 without a path parameter: every list, and the account's settings."""
    document = client.get("/api/v2/openapi.json").json()
    return sorted(
        path.removeprefix("/api/v2")
        for path, operations in document["paths"].items()
        if "get" in operations and "{" not in path
    )


def answers(account, paths):
    found = {}
    for path in paths:
        response = account.get(path, params={"perPage": 100})
        found[path] = (response.status_code, response.json() if response.content else None)
    return found


def fill_everything(account):
    fill(account)
    person = account.get("/parties", params={"perPage": 100}).json()["parties"][0]
    upload = account.request(
        "POST",
        "/attachments/upload",
        content=b"%PDF-1.4 the bytes",
        headers={"Content-Type": "application/pdf", "X-Attachment-Filename": quote("a.pdf")},
    ).json()["upload"]
    entry = {"type": "note", "party": person["id"], "content": "Met", "attachments": [upload]}
    response = account.post("/entries", {"entry": entry})
    assert response.status_code == 201, response.text
    hook = {"restHook": {"event": "party/created", "targetUrl": "https://hooks.example/p"}}
    assert account.post("/resthooks", hook).status_code == 201
    return response.json()["entry"]["attachments"][0]["id"]


def write_archive(engine, account_id, path, files_dir):
    with engine.connect() as conn, conn.begin():
        revision = migrate.current_revision(engine)
        return archive.write(conn, account_id, revision, path, LocalFiles(files_dir))


def restore(engine, path, files_dir, new_name=None):
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        revision = migrate.current_revision(engine)
        return archive.restore(conn, path, revision, LocalFiles(files_dir), new_name)


DIRECTIONS = [
    pytest.param("sqlite", "postgres", marks=pytest.mark.postgres),
    pytest.param("postgres", "sqlite", marks=pytest.mark.postgres),
    ("sqlite", "sqlite"),
]


@pytest.mark.parametrize(("source_kind", "target_kind"), DIRECTIONS)
def test_account_archive_restored_elsewhere_answers_every_list_the_same(
    fresh_databases, tmp_path, source_kind, target_kind
):
    source_engine, target_engine = fresh_databases(source_kind), fresh_databases(target_kind)
    source_client = app_client(source_engine, tmp_path / "source-files")
    target_client = app_client(target_engine, tmp_path / "target-files")
    account = make_account(source_engine, source_client)
    attachment_id = fill_everything(account)
    paths = list_paths(source_client)
    before = answers(account, paths)
    path = tmp_path / "account.zip"
    rows = write_archive(source_engine, account.id, path, tmp_path / "source-files")
    assert rows > 40

    restored = restore(target_engine, path, tmp_path / "target-files")
    assert (restored.account_id, restored.rows) == (account.id, rows)
    moved = Account(account.id, account.user_id, account.token, account.read_token, target_client)
    assert answers(moved, paths) == before
    assert moved.get(f"/attachments/{attachment_id}").content == b"%PDF-1.4 the bytes"
    created = moved.post("/parties", {"party": {"type": "organisation", "name": "After"}})
    assert created.status_code == 201
    with target_engine.connect() as conn:
        highest = conn.scalar(sa.select(sa.func.max(parties.c.id)))
    assert created.json()["party"]["id"] == highest


def test_restore_where_an_id_is_taken_is_refused_naming_the_first_clash_and_changes_nothing(
    engine, client, tmp_path
):
    account = make_account(engine, client)
    fill(account)
    path = tmp_path / "account.zip"
    write_archive(engine, account.id, path, tmp_path / "files")
    with engine.connect() as conn:
        count = conn.scalar(sa.select(sa.func.count()).select_from(accounts))
    with pytest.raises(archive.ArchiveRefused, match=f"accounts id {account.id} is taken"):
        restore(engine, path, tmp_path / "files", new_name=f"copy-{uuid.uuid4().hex[:8]}")
    with pytest.raises(archive.ArchiveRefused, match="exists already"):
        restore(engine, path, tmp_path / "files")
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(accounts)) == count


def test_restore_under_another_name_keeps_the_ids(fresh_databases, tmp_path):
    source, target = fresh_databases("sqlite"), fresh_databases("sqlite")
    account = make_account(source, app_client(source, tmp_path / "f"))
    path = tmp_path / "account.zip"
    write_archive(source, account.id, path, tmp_path / "f")
    restored = restore(target, path, tmp_path / "g", new_name="renamed")
    with target.connect() as conn:
        names = conn.execute(sa.select(accounts.c.id, accounts.c.name)).all()
    assert (
        [tuple(row) for row in names]
        == [(account.id, "renamed")]
        == [(restored.account_id, restored.name)]
    )


def test_restore_of_a_file_that_is_no_archive_is_refused(engine, tmp_path):
    path = tmp_path / "not.zip"
    path.write_bytes(b"hello")
    with pytest.raises(archive.ArchiveRefused, match="not a Pillbox account archive"):
        restore(engine, path, tmp_path / "files")


def test_restore_of_an_archive_of_another_schema_revision_is_refused(engine, client, tmp_path):
    account = make_account(engine, client)
    path = tmp_path / "account.zip"
    with engine.connect() as conn, conn.begin():
        archive.write(conn, account.id, "0001", path, LocalFiles(tmp_path / "files"))
    with pytest.raises(archive.ArchiveRefused, match="schema revision 0001"):
        restore(engine, path, tmp_path / "files", new_name="other")


def test_archive_holds_no_row_of_another_account(engine, client, tmp_path):
    mine, theirs = make_account(engine, client), make_account(engine, client)
    fill(theirs)
    path = tmp_path / "mine.zip"
    rows = write_archive(engine, mine.id, path, tmp_path / "files")
    manifest = archive.manifest(path)
    assert manifest["account"]["id"] == mine.id
    assert manifest["tables"]["parties"] == 0 and rows == sum(manifest["tables"].values())
    assert manifest["tables"]["users"] == 1 and manifest["tables"]["tokens"] == 2
