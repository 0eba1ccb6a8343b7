"""The `pillbox import capsule` command: its summary, its estimate, and one line for mistakes."""

import io
import uuid

import pytest
from typer.testing import CliRunner

from pillbox.cli import app as cli
from pillbox.commands.capsule_import import PhaseProgress
from pillbox.store import migrate
from pillbox.store.engine import create_engine


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("PILLBOX_DATABASE_URL", url)
    monkeypatch.setenv("PILLBOX_ATTACHMENTS_DIR", str(tmp_path / "files"))
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def invoke(*args: str):
    return CliRunner().invoke(cli, ["import", "capsule", *args])


def test_import_prints_an_estimate_first_and_a_summary_at_the_end(database, source):
    name = f"cli-{uuid.uuid4().hex[:8]}"
    result = invoke("--account", name, "--token", source.token, "--url", source.origin)
    assert result.exit_code == 0, result.output
    assert "About " in result.stderr.splitlines()[0]
    assert "requests an hour" in result.stderr.splitlines()[0]
    parties = source.http.get("/api/v2/parties", params={"perPage": 100}).json()["parties"]
    lines = result.stdout.splitlines()
    assert f"parties: read {len(parties)}, written {len(parties)}, skipped 0" in lines
    assert lines[-1].startswith("Imported users cannot sign in yet")


def test_import_run_again_goes_on_from_the_last_import_with_since_last(database, source):
    name = f"cli-{uuid.uuid4().hex[:8]}"
    args = ("--account", name, "--token", source.token, "--url", source.origin)
    assert invoke(*args).exit_code == 0
    again = invoke(*args, "--since-last")
    assert again.exit_code == 0, again.output
    assert "parties: read 0, written 0, skipped 0" in again.stdout.splitlines(), again.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--url", "ftp://capsule.example"),
            "must be an origin such as https://api.capsulecrm.com",
        ),
        (("--since-last",), "No finished import into 'acme' to go on from"),
    ],
)
def test_mistakes_get_one_line_and_status_2(database, source, args, message):
    result = invoke("--account", "acme", "--token", source.token, "--url", source.origin, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_refused_token_gets_one_line_and_status_2(database, source):
    result = invoke("--account", "acme", "--token", "wrong", "--url", source.origin)
    assert result.exit_code == 2
    assert result.stderr.strip() == "Capsule refused the token (401): check --token."


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_in_a_log_gives_rate_and_time_left_every_half_minute_and_at_the_end():
    out, clock = io.StringIO(), Ticks()
    progress = PhaseProgress(out, clock)
    progress.totals = {"parties": 1_000}
    progress.phase("parties", 0)
    clock.now = 10.0
    progress.advance(100)  # too soon for a line
    clock.now = 40.0
    progress.advance(300)
    clock.now = 50.0
    progress.phase("opportunities", 0)
    assert out.getvalue().splitlines() == [
        "parties: 400 of 1,000, 10.0 a second, about 1 min 00 s left",
        "parties: 400 of 1,000, 8.0 a second, about 1 min 15 s left",
    ]


def test_an_imported_user_is_given_an_email_and_a_password_to_sign_in_with(database, source):
    name = f"cli-{uuid.uuid4().hex[:8]}"
    assert invoke("--account", name, "--token", source.token, "--url", source.origin).exit_code == 0
    user = source.http.get("/api/v2/users").json()["users"][0]
    placeholder = f"user-{user['id']}@capsule-import.invalid"
    email = ("users", "email", "--account", name, "--email", placeholder)
    changed = CliRunner().invoke(cli, [*email, "--new-email", "ann@acme.example"])
    assert changed.exit_code == 0, changed.output
    password = ("users", "password", "--account", name, "--email", "ann@acme.example")
    assert (
        CliRunner().invoke(cli, [*password, "--password", "correct horse battery"]).exit_code == 0
    )
    again = CliRunner().invoke(cli, [*email, "--new-email", "bob@acme.example"])
    assert (again.exit_code, again.stderr.strip()) == (
        2,
        f"No user {placeholder!r} in account {name!r}.",
    )
