"""The plugin's options: where the session's Pillbox keeps its data, and using one that is already
running (`--capsule-url`), down to how its answer to opening an account is read."""

import socket

import pytest
import sqlalchemy as sa

from pillbox.testing.accounts import AccountAccess
from pillbox.testing.direct_http import Reply
from pillbox.testing.remote import AccountNotOpened, RemotePillbox, account_from_reply

pytest_plugins = ["pytester"]

SHOW_SANDBOX = """
def test_sandbox(capsule_sandbox):
    print("sandbox:", type(capsule_sandbox).__name__, capsule_sandbox.base_url)
"""


def test_database_url_option_keeps_the_accounts_in_that_database(suite, tmp_path):
    database = tmp_path / "kept.db"
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("run", [1, 2])
        def test_account(capsule, run):
            capsule.organisation("Acme")
        """
    )
    suite.runpytest(f"--capsule-database-url=sqlite:///{database}").assert_outcomes(passed=2)
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        names = conn.scalars(sa.text("SELECT name FROM parties WHERE name = 'Acme'")).all()
    engine.dispose()
    assert names == ["Acme", "Acme"]


def test_url_option_uses_the_running_pillbox_at_its_root(suite):
    suite.makepyfile(SHOW_SANDBOX)
    result = suite.runpytest("-s", "--capsule-url=http://127.0.0.1:8000/")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*sandbox: RemotePillbox http://127.0.0.1:8000"])


def test_url_option_on_the_command_line_wins_over_the_ini_file(suite):
    suite.makeini("[pytest]\nfilterwarnings = error\ncapsule_url = http://127.0.0.1:8000\n")
    suite.makepyfile(SHOW_SANDBOX)
    result = suite.runpytest("-s", "--capsule-url=https://pillbox.test")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*sandbox: RemotePillbox https://pillbox.test"])
    result = suite.runpytest("-s")
    result.stdout.fnmatch_lines(["*sandbox: RemotePillbox http://127.0.0.1:8000"])


@pytest.mark.parametrize(
    "url",
    ["127.0.0.1:8000", "ftp://127.0.0.1", "http://127.0.0.1:8000/api/v2", "http://h/?x=1"],
)
def test_a_url_that_is_not_a_server_root_is_a_usage_error(suite, url):
    suite.makepyfile(SHOW_SANDBOX)
    result = suite.runpytest(f"--capsule-url={url}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--capsule-url must be the root of a running Pillbox*"])


def test_opening_an_account_reads_the_201_answer():
    body = b'{"account": {"id": 7, "name": "sandbox-1"}, "token": "t0k"}'
    opened = account_from_reply("http://p", Reply(201, [], body))
    assert opened == AccountAccess(7, "sandbox-1", "t0k")


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (404, b'{"message": "Not Found"}', 'answered 404: {"message": "Not Found"}'),
        (201, b"<html>", "unexpected body"),
        (201, b'{"account": {"id": "seven"}, "token": "t"}', "unexpected body"),
        (201, b'{"token": "t"}', "unexpected body"),
        (201, b"[]", "unexpected body"),
    ],
)
def test_any_other_answer_is_reported_with_what_the_server_said(status, body, message):
    with pytest.raises(AccountNotOpened, match="did not open a sandbox account") as failure:
        account_from_reply("http://p", Reply(status, [], body))
    assert message in str(failure.value)


def test_a_pillbox_that_cannot_be_reached_is_reported():
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        remote = RemotePillbox(f"http://127.0.0.1:{closed.getsockname()[1]}")
        with pytest.raises(AccountNotOpened, match="cannot connect"):
            remote.open_account()
