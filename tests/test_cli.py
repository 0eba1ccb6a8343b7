"""The pillbox command: migrate, accounts, users, tokens, and refusing an unmigrated database."""

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pillbox.app import DatabaseNotMigrated, create_app
from pillbox.cli import app as cli
from pillbox.settings import Settings
from pillbox.store.engine import create_engine


@pytest.fixture
def database_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("PILLBOX_DATABASE_URL", url)
    return url


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_server_refuses_an_unmigrated_database(database_url):
    with pytest.raises(DatabaseNotMigrated, match="pillbox db upgrade"):
        create_app(Settings(), engine=create_engine(database_url))
    for command in ("serve", "worker"):
        result = CliRunner().invoke(cli, [command])
        assert result.exit_code == 1 and "pillbox db upgrade" in result.stderr


def test_accounts_users_and_tokens_give_a_working_token(database_url):
    run("db", "upgrade")
    run("accounts", "create", "acme")
    run(
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
    token = run("tokens", "create", "--account", "acme", "--user", "ann@acme.example")
    read_token = run(
        "tokens", "create", "--account", "acme", "--user", "ann@acme.example", "--scope", "read"
    )
    client = TestClient(create_app(Settings()))
    auth = {"Authorization": f"Bearer {token}"}
    assert (
        client.post(
            "/api/v2/parties", json={"party": {"type": "organisation", "name": "X"}}, headers=auth
        ).status_code
        == 201
    )
    read = {"Authorization": f"Bearer {read_token}"}
    assert (
        client.post(
            "/api/v2/parties", json={"party": {"type": "organisation", "name": "Y"}}, headers=read
        ).status_code
        == 403
    )
    me = client.get("/api/v2/users/current?embed=party", headers=auth).json()["user"]
    assert (me["username"], me["party"]["lastName"]) == ("ann", "Ann")
    assert me["party"]["emailAddresses"][0]["address"] == "ann@acme.example"
    run("tokens", "revoke", token)
    assert client.get("/api/v2/parties", headers=auth).status_code == 401


def test_demo_creates_the_account_once_and_prints_a_new_token_each_time(database_url):
    run("db", "upgrade")
    first, second = run("demo"), run("demo")
    assert first != second
    client = TestClient(create_app(Settings()))
    for token in (first, second):
        assert (
            client.get("/api/v2/parties", headers={"Authorization": f"Bearer {token}"}).status_code
            == 200
        )


def test_duplicate_account_is_refused(database_url):
    run("db", "upgrade")
    run("accounts", "create", "acme")
    result = CliRunner().invoke(cli, ["accounts", "create", "acme"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "An account named 'acme' exists already."


def test_a_second_user_with_the_same_email_is_refused(database_url):
    run("db", "upgrade")
    run("accounts", "create", "acme")
    user = ["users", "create", "--account", "acme", "--email", "ann@acme.example", "--name", "Ann"]
    run(*user)
    result = CliRunner().invoke(cli, user)
    assert result.exit_code == 1
    assert result.stderr.strip() == "A user with email 'ann@acme.example' exists already in 'acme'."


def test_worker_runs_jobs_on_its_own_and_stops_on_sigterm(database_url, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    run("db", "upgrade")
    token = run("demo")
    client = TestClient(create_app(Settings(run_worker=False)))
    auth = {"Authorization": f"Bearer {token}"}
    tag = client.post("/api/v2/parties/tags", json={"tag": {"name": "T"}}, headers=auth).json()
    deleted = client.delete(f"/api/v2/parties/tags/{tag['tag']['id']}", headers=auth)
    job = deleted.headers["Location"].split("/api/v2", 1)[1]
    assert client.get(f"/api/v2{job}", headers=auth).json()["job"]["status"] == "pending"

    worker = subprocess.Popen(
        [sys.executable, "-m", "pillbox", "worker", "--poll", "0.1"],
        env={**os.environ, "PILLBOX_DATABASE_URL": database_url},
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while client.get(f"/api/v2{job}", headers=auth).json()["job"]["status"] != "completed":
            assert time.monotonic() < deadline, "the worker did not finish the job"
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=10)
    assert worker.returncode == 0, stderr.decode()


def test_tokens_never_look_like_command_line_options():
    from pillbox.cli import new_token

    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000
    assert not any(token.startswith("-") for token in tokens)
    assert all(len(token) == 64 for token in tokens)


def test_a_deleted_user_keeps_their_records_and_loses_their_tokens(database_url):
    run("db", "upgrade")
    run("accounts", "create", "acme")
    for email, admin in (("ann@acme.example", ["--admin"]), ("bob@acme.example", [])):
        run("users", "create", "--account", "acme", "--email", email, "--name", email[:3], *admin)
    ann = run("tokens", "create", "--account", "acme", "--user", "ann@acme.example")
    bob = run("tokens", "create", "--account", "acme", "--user", "bob@acme.example")
    client = TestClient(create_app(Settings()))
    owned = client.post(
        "/api/v2/parties",
        json={"party": {"type": "organisation", "name": "Bob's"}},
        headers={"Authorization": f"Bearer {bob}"},
    ).json()["party"]
    run("users", "delete", "--account", "acme", "--email", "bob@acme.example")
    assert (
        client.get("/api/v2/parties", headers={"Authorization": f"Bearer {bob}"}).status_code == 401
    )
    shown = client.get(
        f"/api/v2/parties/{owned['id']}", headers={"Authorization": f"Bearer {ann}"}
    ).json()["party"]
    assert (shown["owner"]["username"], shown["owner"]["deleted"]) == ("bob", True)
    last_admin = CliRunner().invoke(
        cli, ["users", "delete", "--account", "acme", "--email", "ann@acme.example"]
    )
    assert last_admin.exit_code == 1 and "last administrator" in last_admin.stderr


def test_apps_and_passwords_let_a_user_authorise_an_app(database_url):
    import re
    from urllib.parse import parse_qs, urlsplit

    run("db", "upgrade")
    run("accounts", "create", "acme")
    run("users", "create", "--account", "acme", "--email", "ann@acme.example", "--name", "Ann")
    password = CliRunner().invoke(
        cli,
        ["users", "password", "--account", "acme", "--email", "ann@acme.example"],
        input="long enough secret\nlong enough secret\n",
    )
    assert password.exit_code == 0, password.output
    printed = run(
        "apps",
        "create",
        "--account",
        "acme",
        "--name",
        "Sync",
        "--redirect-uri",
        "https://s.example/cb",
    )
    client_id, secret = re.findall(r"client_(?:id|secret): (\w+)", printed)
    assert client_id in run("apps", "list", "--account", "acme")

    client = TestClient(create_app(Settings()), base_url="http://pillbox.test")
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": "https://s.example/cb",
    }
    csrf = re.compile(r'name="csrf" value="([^"]+)"')
    page = client.get("/oauth/authorise", params=query)
    sign_in = {"action": "sign_in", "email": "ann@acme.example", "password": "long enough secret"}
    consent = client.post(
        "/oauth/authorise", params=query, data={**sign_in, "csrf": csrf.search(page.text)[1]}
    )
    allow = {"action": "allow", "csrf": csrf.search(consent.text)[1]}
    allowed = client.post("/oauth/authorise", params=query, data=allow, follow_redirects=False)
    code = parse_qs(urlsplit(allowed.headers["location"]).query)["code"][0]
    body = {"grant_type": "authorization_code", "code": code, **query}
    token = client.post("/oauth/token", data={**body, "client_secret": secret}).json()
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/api/v2/users/current", headers=auth).status_code == 200

    run("apps", "revoke", client_id)
    assert client.get("/api/v2/users/current", headers=auth).status_code == 401
    assert "revoked" in run("apps", "list", "--account", "acme")


def test_passwords_and_redirect_uris_are_checked(database_url):
    run("db", "upgrade")
    run("accounts", "create", "acme")
    run("users", "create", "--account", "acme", "--email", "ann@acme.example", "--name", "Ann")
    short = ["users", "password", "--account", "acme", "--email", "ann@acme.example"]
    result = CliRunner().invoke(cli, [*short, "--password", "short"])
    assert result.exit_code == 1 and "at least 8" in result.stderr
    app = ["apps", "create", "--account", "acme", "--name", "X", "--redirect-uri", "/relative"]
    assert CliRunner().invoke(cli, app).exit_code == 1
    assert CliRunner().invoke(cli, ["apps", "revoke", "nope"]).exit_code == 1


def test_a_sandbox_is_served_by_one_worker(database_url):
    run("db", "upgrade")
    result = CliRunner().invoke(cli, ["serve", "--sandbox", "--workers", "2"])
    assert result.exit_code == 1 and "one worker" in result.stderr
