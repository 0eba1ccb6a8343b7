"""The pillbox command: migrate, accounts, users, tokens, and refusing an unmigrated database."""

import shutil
from pathlib import Path

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
        assert result.exit_code == 2 and "pillbox db upgrade" in result.stderr


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


def test_demo_prints_where_and_how_to_sign_in_to_the_web_interface(database_url):
    run("db", "upgrade")
    result = CliRunner().invoke(cli, ["demo", "--url", "http://127.0.0.1:9999/"])
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("Web interface: open http://127.0.0.1:9999/ and sign in as ")
    password = line.rsplit("password ", 1)[1]
    client = TestClient(create_app(Settings()))
    page = client.get("/login")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/login",
        data={"csrf": csrf, "email": "admin@demo.example", "password": password},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.get("/").status_code == 200


def test_duplicate_account_is_refused(database_url):
    run("db", "upgrade")
    run("accounts", "create", "acme")
    result = CliRunner().invoke(cli, ["accounts", "create", "acme"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "An account named 'acme' exists already."


def test_a_second_user_with_the_same_email_is_refused(database_url):
    run("db", "upgrade")
    run("accounts", "create", "acme")
    user = ["users", "create", "--account", "acme", "--email", "ann@acme.example", "--name", "Ann"]
    run(*user)
    result = CliRunner().invoke(cli, user)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Cannot add the user to 'acme': a user with email 'ann@acme.example' exists already."
    )


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
    assert last_admin.exit_code == 2 and "last administrator" in last_admin.stderr


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
    assert result.exit_code == 2 and "at least 8" in result.stderr
    app = ["apps", "create", "--account", "acme", "--name", "X", "--redirect-uri", "/relative"]
    assert CliRunner().invoke(cli, app).exit_code == 2
    assert CliRunner().invoke(cli, ["apps", "revoke", "nope"]).exit_code == 2


def test_a_sandbox_is_served_by_one_worker(database_url):
    run("db", "upgrade")
    result = CliRunner().invoke(cli, ["serve", "--sandbox", "--workers", "2"])
    assert result.exit_code == 2 and "one worker" in result.stderr


# -- listing --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def acme_template(tmp_path_factory):
    """A migrated database file with account acme: ann (administrator) and bob, made once."""
    path = tmp_path_factory.mktemp("cli") / "acme.db"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PILLBOX_DATABASE_URL", f"sqlite:///{path}")
        run("db", "upgrade")
        run("accounts", "create", "acme")
        for email, admin in (("ann@acme.example", ["--admin"]), ("bob@acme.example", [])):
            name = email[:3]
            run("users", "create", "--account", "acme", "--email", email, "--name", name, *admin)
    return path


@pytest.fixture
def acme(database_url, acme_template):
    """A copy of the acme database, at `database_url`."""
    target = Path(database_url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal"):  # what the write-ahead log holds is part of the database
        if Path(f"{acme_template}{suffix}").exists():
            shutil.copy(f"{acme_template}{suffix}", f"{target}{suffix}")
    return database_url


def test_accounts_and_users_are_listed(acme):
    run("accounts", "create", "globex")
    listed = [line.split("\t") for line in run("accounts", "list").splitlines()]
    assert [(row[1], row[3]) for row in listed] == [("acme", "2 users"), ("globex", "0 users")]
    users = [line.split("\t") for line in run("users", "list", "--account", "acme").splitlines()]
    assert users == [
        ["ann@acme.example", "ann", "ann", "admin"],
        ["bob@acme.example", "bob", "bob", "user"],
    ]


def test_tokens_are_listed_by_prefix_never_whole_with_their_last_use(acme):
    token = run("tokens", "create", "--account", "acme", "--user", "ann@acme.example")
    run("tokens", "create", "--account", "acme", "--user", "ann@acme.example", "--scope", "read")
    revoked = run("tokens", "create", "--account", "acme", "--user", "ann@acme.example")
    run("tokens", "revoke", revoked)
    listing = ["tokens", "list", "--account", "acme", "--user", "ann@acme.example"]
    before = [line.split("\t") for line in run(*listing).splitlines()]
    assert [(row[0], row[1], row[3]) for row in before] == [
        (token[:6] + "…", "write", "never used"),
        (before[1][0], "read", "never used"),
    ]
    assert token not in run(*listing) and revoked[:6] not in run(*listing)
    with TestClient(create_app(Settings())) as client:  # its shutdown writes what is pending
        client.get("/api/v2/parties", headers={"Authorization": f"Bearer {token}"})
    used = run(*listing).splitlines()[0].split("\t")[3]
    assert used.endswith("Z") and used[:10] == before[0][2][:10]


def test_db_upgrade_says_what_it_applied(database_url):
    first = CliRunner().invoke(cli, ["db", "upgrade"])
    assert first.exit_code == 0
    lines = first.stderr.strip().splitlines()
    assert lines[0].startswith("Applied 0001 ") and "Initial schema" in lines[0]
    assert lines[-1] == f"Applied {len(lines) - 1} migrations."
    again = CliRunner().invoke(cli, ["db", "upgrade"])
    assert again.stderr.strip() == "The database was up to date."


def test_version_is_printed():
    from pillbox import __version__

    result = CliRunner().invoke(cli, ["--version"])
    assert (result.exit_code, result.stdout.strip()) == (0, f"pillbox {__version__}")


# -- every command, every ordinary mistake: one line on stderr, status 2 -------------------------


def commands(group=None, path=()):
    """The path of every command of the app, from its Typer structure: a new one is covered."""
    import typer.main

    group = group or typer.main.get_command(cli)
    for name, command in getattr(group, "commands", {}).items():
        if getattr(command, "commands", None):
            yield from commands(command, (*path, name))
        else:
            yield " ".join((*path, name))


# Arguments each command runs with on the `acme` database (serve and worker never get that far).
VALID = {
    "serve": [],
    "worker": ["--poll", "0.1"],
    "demo": [],
    "seed": ["--parties", "1"],
    "db upgrade": [],
    "accounts create": ["initech"],
    "accounts list": [],
    "users create": ["--account", "acme", "--email", "cy@acme.example", "--name", "Cy"],
    "users delete": ["--account", "acme", "--email", "bob@acme.example"],
    "users password": ["--account", "acme", "--email", "bob@acme.example", "--password", "p" * 9],
    "users list": ["--account", "acme"],
    "tokens create": ["--account", "acme", "--user", "bob@acme.example"],
    "tokens revoke": ["0" * 64],
    "tokens list": ["--account", "acme", "--user", "bob@acme.example"],
    "apps create": ["--account", "acme", "--name", "Sync", "--redirect-uri", "https://s.example/"],
    "apps list": ["--account", "acme"],
    "apps revoke": ["no-such-client"],
    "import csv": ["contacts.csv", "--account", "acme", "--type", "parties"],
    "export csv": ["--account", "acme", "--type", "parties"],
    "import account": ["acme.zip"],
    "export account": ["--account", "acme", "--out", "acme.zip"],
    "backup": ["--out", "copy.db"],
    "parties merge": ["--account", "acme", "1", "2"],
    "import capsule": ["--account", "acme", "--token", "t", "--url", "http://127.0.0.1:9"],
    "users email": [
        "--account",
        "acme",
        "--email",
        "bob@acme.example",
        "--new-email",
        "robert@acme.example",
    ],
}
CREATING_THEIR_ACCOUNT = {"import capsule"}  # an account that is missing is made
EVERY_COMMAND = sorted(commands())
NAMING_AN_ACCOUNT = [
    c for c in EVERY_COMMAND if "--account" in VALID.get(c, []) and c not in CREATING_THEIR_ACCOUNT
]
NAMING_A_USER = [  # an existing user: `users create` names a new one
    c
    for c in EVERY_COMMAND
    if {"--user", "--email"} & set(VALID.get(c, [])) and c != "users create"
]


def refused(args, **env):
    """The one line a command answers on stderr, having exited with status 2."""
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 2, (args, result.output, result.exception)
    line = result.stderr.strip()
    assert line and "\n" not in line and "Traceback" not in line, result.stderr
    assert result.stdout == ""
    return line


def argv(command, **replaced):
    """The command's valid arguments, with some options' values replaced."""
    args = list(VALID[command])
    for option, value in replaced.items():
        flag = "--" + option
        if flag in args:
            args[args.index(flag) + 1] = value
    return [*command.split(), *args]


def test_every_command_has_arguments_to_test_it_with():
    assert set(VALID) == set(EVERY_COMMAND)


@pytest.mark.parametrize("command", EVERY_COMMAND)
@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("nope://somewhere", "PILLBOX_DATABASE_URL='nope://somewhere' is not a database URL"),
        ("not a url", "PILLBOX_DATABASE_URL='not a url' is not a database URL"),
        (
            "postgresql+psycopg://someone:secret@127.0.0.1:1/crm",
            "Cannot reach the database postgresql+psycopg://someone:***@127.0.0.1:1/crm",
        ),
    ],
)
def test_a_bad_or_unreachable_database_is_one_line(command, url, said):
    line = refused(argv(command), PILLBOX_DATABASE_URL=url)
    assert line.startswith(said) and "secret" not in line


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_an_unmigrated_database_is_named_with_what_to_run(command, database_url):
    if command == "db upgrade":
        assert CliRunner().invoke(cli, argv(command)).exit_code == 0
        return
    line = refused(argv(command))
    assert line == f"The database {database_url} has no schema yet. Run `pillbox db upgrade` first."


@pytest.mark.parametrize("command", EVERY_COMMAND)
@pytest.mark.parametrize(("name", "value"), [("RATE_LIMIT_PER_HOUR", "abc"), ("STRICT", "often")])
def test_a_setting_that_does_not_parse_is_named(command, name, value, database_url):
    line = refused(argv(command), **{f"PILLBOX_{name}": value})
    assert line.startswith(f"PILLBOX_{name}={value!r} is not valid: ")


@pytest.mark.parametrize("command", NAMING_AN_ACCOUNT)
def test_an_unknown_account_is_named(command, acme):
    assert refused(argv(command, account="nope")) == "No account named 'nope'."


@pytest.mark.parametrize("command", NAMING_A_USER)
def test_an_unknown_user_is_named(command, acme):
    line = refused(argv(command, user="zed@acme.example", email="zed@acme.example"))
    assert line == "No user 'zed@acme.example' in account 'acme'."


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["accounts", "create", "  "], "The account name must not be empty."),
        (argv("users create", name=" "), "--name must not be empty."),
        (argv("apps create", name=""), "--name must not be empty."),
        ([*argv("demo"), "--account", " "], "--account must not be empty."),
        (argv("users create", email="cy"), "Cannot add the user to 'acme': 'cy' is not an email"),
        (argv("users create", email="a b@acme.example"), "Cannot add the user to 'acme': 'a b@"),
        (argv("users create", email="ann@acme.example"), "Cannot add the user to 'acme': a user"),
        ([*argv("users create"), "--username", "ANN"], "Cannot add the user to 'acme': a user"),
        (["accounts", "create", "acme"], "An account named 'acme' exists already."),
        (["accounts", "create", "a" * 201], "The account name must be at most 200 characters"),
        ([*argv("users create"), "--username", "u" * 101], "Cannot add the user to 'acme': the"),
    ],
)
def test_an_empty_name_or_an_invalid_or_taken_email_is_one_line(args, said, acme):
    assert refused(args).startswith(said)


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "0"],
        ["serve", "--port", "65536"],
        ["serve", "--port", "http"],
        ["serve", "--workers", "0"],
        ["worker", "--poll", "0"],
        ["users", "create", "--account", "acme"],
        ["accounts", "rename"],
    ],
)
def test_an_option_out_of_range_or_missing_is_one_line(args, acme):
    assert refused(args).startswith("Error: ")


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_help_names_values_instead_of_python_types(command):
    result = CliRunner().invoke(cli, [*command.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert not {"<str>", "<int>", "<bool>", "<float>"} & set(result.stdout.split())
