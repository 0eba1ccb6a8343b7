"""`pillbox parties merge`: merging duplicate parties from the command line."""

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pillbox.app import create_app
from pillbox.cli import app as cli
from pillbox.settings import Settings


@pytest.fixture
def api(tmp_path, monkeypatch):
    """A migrated database with account "acme" and its administrator; a client with a token."""
    monkeypatch.setenv("PILLBOX_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    for args in (
        ["db", "upgrade"],
        ["accounts", "create", "acme"],
        [
            "users",
            "create",
            "--account",
            "acme",
            "--email",
            "a@acme.example",
            "--name",
            "Ann",
            "--admin",
        ],
    ):
        assert CliRunner().invoke(cli, args).exit_code == 0
    token = CliRunner().invoke(
        cli, ["tokens", "create", "--account", "acme", "--user", "a@acme.example"]
    )
    client = TestClient(create_app(Settings(run_worker=False)), base_url="http://pillbox.test")
    client.headers["Authorization"] = f"Bearer {token.stdout.strip()}"
    return client


def person(api: TestClient, **extra: object) -> int:
    body = {"party": {"type": "person", "firstName": "Scott", **extra}}
    return int(api.post("/api/v2/parties", json=body).json()["party"]["id"])


def test_merge_moves_the_sources_into_the_target_through_merge(api):
    target, source = person(api), person(api, emailAddresses=[{"address": "s@example.com"}])
    result = CliRunner().invoke(
        cli, ["parties", "merge", "--account", "acme", str(target), str(source)]
    )
    assert result.exit_code == 0, result.output
    assert f"into party {target}" in result.stderr
    assert api.get(f"/api/v2/parties/{source}").status_code == 404
    shown = api.get(f"/api/v2/parties/{target}").json()["party"]
    assert [e["address"] for e in shown["emailAddresses"]] == ["s@example.com"]
    latest = api.get(f"/api/v2/parties/{target}/changes").json()["changes"][0]
    assert (latest["via"], latest["user"]["name"]) == ("merge", "Ann")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account", "nope", "1", "2"], "No account named 'nope'."),
        (["--account", "acme", "999999", "999998"], "No such party in 'acme'"),
    ],
)
def test_merge_mistakes_are_one_line_and_status_2(api, args, message):
    result = CliRunner().invoke(cli, ["parties", "merge", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_merging_a_person_into_an_organisation_is_refused_in_one_line(api):
    org = api.post("/api/v2/parties", json={"party": {"type": "organisation", "name": "Acme"}})
    org_id, source = org.json()["party"]["id"], person(api)
    result = CliRunner().invoke(
        cli, ["parties", "merge", "--account", "acme", str(org_id), str(source)]
    )
    assert result.exit_code == 2
    assert (
        result.stderr == "Cannot merge: parties to merge must be all people or all organisations.\n"
    )
    assert api.get(f"/api/v2/parties/{source}").status_code == 200
