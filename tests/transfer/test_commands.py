"""The transfer commands: import csv, export csv, export/import account and backup, as a team
runs them: one line for an ordinary mistake, exit 2; exit 1 when some rows were refused."""

import sqlite3
import threading

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pillbox.app import create_app
from pillbox.cli import app as cli
from pillbox.settings import Settings


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/pillbox.db"
    monkeypatch.setenv("PILLBOX_DATABASE_URL", url)
    monkeypatch.setenv("PILLBOX_ATTACHMENTS_DIR", str(tmp_path / "files"))
    invoke("db", "upgrade")
    invoke("accounts", "create", "acme")
    invoke(
        "users",
        "create",
        "--account",
        "acme",
        "--email",
        "ann@acme.example",
        "--name",
        "Ann",
        "--admin",
    )
    return tmp_path / "pillbox.db"


def invoke(*args, code=0):
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


CSV = "First Name,Last Name,Company,Email\nAda,Lovelace,Analytical,ada@an.example\nBad,Row,,\n"


def test_import_csv_prints_the_counts_last_and_exits_1_when_a_row_was_refused(database, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV + ",,,nobody@an.example\n")
    result = invoke(
        "import",
        "csv",
        path,
        "--account",
        "acme",
        "--type",
        "parties",
        "--rejects",
        tmp_path / "r.csv",
        code=1,
    )
    assert result.stdout.splitlines() == [
        "organisations created 1",
        "created 2, updated 0, unchanged 0, failed 1",
    ]
    assert (tmp_path / "r.csv").read_text().splitlines() == [
        "First Name,Last Name,Company,Email,row,error",
        ',,,nobody@an.example,3,"a name is needed: First Name, Last Name, Name or Organisation"',
    ]
    again = invoke("import", "csv", path, "--account", "acme", "--type", "parties", code=1)
    assert again.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 2, failed 1"


def test_import_csv_exits_0_when_every_row_went_in_and_dry_run_changes_nothing(database, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    dry = invoke("import", "csv", path, "--account", "acme", "--type", "parties", "--dry-run")
    assert dry.stdout.splitlines()[-1] == "created 2, updated 0, unchanged 0, failed 0"
    assert "nothing was changed" in dry.stderr
    real = invoke("import", "csv", path, "--account", "acme", "--type", "parties")
    assert real.stdout.splitlines()[-1] == "created 2, updated 0, unchanged 0, failed 0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account", "nope", "--type", "parties"], "No account named 'nope'"),
        (["--account", "acme", "--type", "cases"], "--type must be one of"),
        (["--account", "acme", "--type", "parties", "--match", "fuzzy"], "--match must be one of"),
        (["--account", "acme", "--type", "parties", "--map", "nothing"], "--map takes"),
        (["--account", "acme", "--type", "parties", "--map", "Nope=Name"], "no column 'Nope'"),
    ],
)
def test_import_csv_that_cannot_run_says_why_in_one_line_and_exits_2(
    database, tmp_path, args, message
):
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    result = invoke("import", "csv", path, *args, code=2)
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_import_csv_of_a_file_that_is_not_text_exits_2(database, tmp_path):
    path = tmp_path / "picture.csv"
    path.write_bytes(b"\xff\xd8\xff\xe0 not text")
    assert (
        "not UTF-8"
        in invoke("import", "csv", path, "--account", "acme", "--type", "parties", code=2).stderr
    )
    assert (
        "No file"
        in invoke(
            "import",
            "csv",
            tmp_path / "missing.csv",
            "--account",
            "acme",
            "--type",
            "parties",
            code=2,
        ).stderr
    )


def test_export_csv_writes_a_file_import_reads_back(database, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    invoke("import", "csv", path, "--account", "acme", "--type", "parties")
    invoke("export", "csv", "--account", "acme", "--type", "parties", "--out", tmp_path / "out.csv")
    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert lines[0].startswith("Id,Type,Name,Title,First Name,Last Name")
    again = invoke(
        "import",
        "csv",
        tmp_path / "out.csv",
        "--account",
        "acme",
        "--type",
        "parties",
        "--match",
        "id",
    )
    assert again.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 4, failed 0"


def test_export_account_then_import_account_into_another_database(database, tmp_path, monkeypatch):
    token = invoke(
        "tokens", "create", "--account", "acme", "--user", "ann@acme.example"
    ).stdout.strip()
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    invoke("import", "csv", path, "--account", "acme", "--type", "parties")
    invoke("export", "account", "--account", "acme", "--out", tmp_path / "acme.zip")
    assert (
        "exists already"
        in invoke(
            "export", "account", "--account", "acme", "--out", tmp_path / "acme.zip", code=2
        ).stderr
    )
    refused = invoke("import", "account", tmp_path / "acme.zip", code=2)
    assert (
        refused.stderr.strip() == "Not restored: an account named 'acme' exists already (use --as)."
    )

    monkeypatch.setenv("PILLBOX_DATABASE_URL", f"sqlite:///{tmp_path}/moved.db")
    invoke("db", "upgrade")
    invoke("import", "account", tmp_path / "acme.zip")
    client = TestClient(create_app(Settings()))
    parties = client.get("/api/v2/parties", headers={"Authorization": f"Bearer {token}"}).json()
    assert sorted(p.get("lastName") or p.get("name") for p in parties["parties"]) == [
        "Analytical",
        "Ann",
        "Lovelace",
        "Row",
    ]


def test_backup_copies_the_database_while_it_is_being_written(database, tmp_path):
    token = invoke(
        "tokens", "create", "--account", "acme", "--user", "ann@acme.example"
    ).stdout.strip()
    writer = sqlite3.connect(database)
    writer.execute("BEGIN IMMEDIATE")  # a server in the middle of a write transaction
    writer.execute("UPDATE accounts SET name = 'renamed'")
    done = threading.Event()
    result = []

    def back_up():
        result.append(CliRunner().invoke(cli, ["backup", "--out", str(tmp_path / "copy.db")]))
        done.set()

    thread = threading.Thread(target=back_up)
    thread.start()
    assert done.wait(30)
    writer.rollback()
    writer.close()
    thread.join()
    assert result[0].exit_code == 0, result[0].stderr
    client = TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path}/copy.db")))
    site = client.get("/api/v2/site", headers={"Authorization": f"Bearer {token}"})
    assert site.status_code == 200
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT name FROM accounts").fetchall() == [("acme",)]
    copy.close()


def test_backup_refuses_an_existing_file(database, tmp_path):
    (tmp_path / "taken.db").write_text("x")
    assert "exists already" in invoke("backup", "--out", tmp_path / "taken.db", code=2).stderr


def test_backup_of_a_postgres_database_points_to_pg_dump(postgres_engine, tmp_path, monkeypatch):
    url = postgres_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("PILLBOX_DATABASE_URL", url)
    assert "pg_dump" in invoke("backup", "--out", tmp_path / "new.db", code=2).stderr
