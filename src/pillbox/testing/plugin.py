"""pytest plugin (the `pytest11` entry point `pillbox`): the `capsule` fixture.

Each test that asks for `capsule` gets a fresh account and write token on a Pillbox shared by
the whole session, and a handle to use them (`client.Capsule`).

- Importing this module costs no more than pytest itself: Pillbox, uvicorn and the HTTP
  libraries load the first time a test asks for `capsule`, so a suite that never does (Pillbox's
  own among them) is untouched; `-p no:pillbox` turns the plugin off altogether.
- The session's Pillbox is served on a loopback port (`server.py`) over a temporary SQLite
  database, or over `--capsule-database-url`; `--capsule-url` uses a Pillbox that is already
  running instead (`remote.py`). Each option can also be set in the ini file (`capsule_url`,
  `capsule_database_url`, `capsule_intercept`); the command line wins.
- Interception of api.capsulecrm.com is opt-in: per test with `@pytest.mark.capsule_intercept`,
  for every test using `capsule` with `--capsule-intercept`, or for a block with
  `capsule.intercept()`.
"""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pillbox.testing.accounts import Sandbox
    from pillbox.testing.client import Capsule

INTERCEPT_MARKER = "capsule_intercept"
SANDBOX_PACKAGES = frozenset({"httpx", "requests", "responses", "respx"})
INSTALL_HINT = (
    "the capsule fixture needs Pillbox's sandbox extra: from a clone of Pillbox, "
    "pip install '/path/to/pillbox[sandbox]' (see its docs/sandbox.md)"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pillbox", "Pillbox: the capsule fixture")
    group.addoption(
        "--capsule-url",
        dest="capsule_url",
        metavar="URL",
        help="root URL of a running Pillbox (`pillbox serve --sandbox`) to open accounts on, "
        "instead of serving one for the session",
    )
    group.addoption(
        "--capsule-database-url",
        dest="capsule_database_url",
        metavar="URL",
        help="database for the session's Pillbox (migrated at start, e.g. "
        "postgresql+psycopg://user@host/db); default: a temporary SQLite file",
    )
    group.addoption(
        "--capsule-intercept",
        dest="capsule_intercept",
        action="store_true",
        default=None,
        help="serve requests/httpx calls to https://api.capsulecrm.com from Pillbox in every "
        "test that uses the capsule fixture",
    )
    parser.addini("capsule_url", "default for --capsule-url", default="")
    parser.addini("capsule_database_url", "default for --capsule-database-url", default="")
    parser.addini(
        "capsule_intercept", "default for --capsule-intercept", type="bool", default=False
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{INTERCEPT_MARKER}: serve requests/httpx calls to https://api.capsulecrm.com from the "
        "test's Pillbox (needs the capsule fixture)",
    )
    url = _setting(config, "capsule_url")
    if url:
        from pillbox.testing.remote import InvalidPillboxUrl, server_root

        try:
            server_root(str(url))
        except InvalidPillboxUrl as error:
            raise pytest.UsageError(str(error)) from None


def pytest_runtest_setup(item: pytest.Item) -> None:
    marked = item.get_closest_marker(INTERCEPT_MARKER) is not None
    if marked and "capsule" not in getattr(item, "fixturenames", ()):
        pytest.fail(
            f"@pytest.mark.{INTERCEPT_MARKER} needs the capsule fixture: the calls are served "
            "from the test's account on Pillbox",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def capsule_sandbox(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Iterator["Sandbox"]:
    """The session's Pillbox: its root URL, and fresh accounts on demand."""
    sandbox = _open_sandbox(pytestconfig, tmp_path_factory)
    yield sandbox
    sandbox.stop()


@pytest.fixture
def capsule(request: pytest.FixtureRequest, capsule_sandbox: "Sandbox") -> Iterator["Capsule"]:
    """A fresh account and write token on the session's Pillbox, and helpers to use them."""
    with _sandbox_extra():
        from pillbox.testing.client import Capsule

    handle = Capsule(capsule_sandbox.base_url, capsule_sandbox.open_account())
    with ExitStack() as stack:
        stack.callback(handle.close)
        if _intercepts(request):
            with _sandbox_extra():
                interception = handle.intercept()
            stack.enter_context(interception)
        yield handle


def _open_sandbox(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> "Sandbox":
    url = _setting(config, "capsule_url")
    if url:
        from pillbox.testing.remote import RemotePillbox

        return RemotePillbox(str(url))
    from pillbox.testing.server import LoopbackPillbox

    directory = tmp_path_factory.mktemp("pillbox")
    database_url = _setting(config, "capsule_database_url") or f"sqlite:///{directory}/pillbox.db"
    server = LoopbackPillbox(str(database_url), directory / "attachments")
    server.start()
    return server


def _intercepts(request: pytest.FixtureRequest) -> bool:
    marked = request.node.get_closest_marker(INTERCEPT_MARKER) is not None
    return marked or bool(_setting(request.config, "capsule_intercept"))


def _setting(config: pytest.Config, name: str) -> str | bool:
    """The command-line option `name`, else its ini setting."""
    value: str | bool | None = config.getoption(name)
    if value is None:
        value = config.getini(name)
    return value


@contextmanager
def _sandbox_extra() -> Iterator[None]:
    """Turns a missing HTTP library into a message that says how to install it."""
    try:
        yield
        return
    except ModuleNotFoundError as error:
        if error.name not in SANDBOX_PACKAGES:
            raise
        missing = error.name
    pytest.fail(f"{INSTALL_HINT} (no module named {missing!r})", pytrace=False)
