"""Browser tests: Pillbox served on a loopback port in a thread, on a seeded SQLite account,
driven by Playwright through the system's Chromium (Debian's `chromium` package).

Without that browser these tests are skipped, and the run's header and summary say so.
"""

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn

from pillbox.app import create_app
from pillbox.domain.passwords import set_password
from pillbox.seed import seed_account
from pillbox.settings import Settings
from pillbox.store import accounts, migrate
from pillbox.store.engine import WRITE, create_engine
from pillbox.store.tables.accounts import users
from tests.conftest import BROWSER_AVAILABLE, CHROMIUM

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser test password"
SEEDED_PARTIES = 120


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if BROWSER_AVAILABLE:
        return
    skip = pytest.mark.skip(reason=f"no browser at {CHROMIUM} (apt-get install -y chromium)")
    for item in items:
        if "tests/web/browser" in str(item.path).replace(os.sep, "/"):
            item.add_marker(skip)


@dataclass(frozen=True)
class Served:
    base_url: str
    engine: sa.Engine
    account_id: int
    admin_id: int
    email: str

    def url(self, path: str) -> str:
        return self.base_url + path


def _seed(engine: sa.Engine) -> tuple[int, int, str]:
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        seeded = seed_account(
            conn, profile="smallbiz", parties=SEEDED_PARTIES, seed=7, base_date=date.today()
        )
        email = f"browser-{uuid.uuid4().hex[:8]}@example.com"
        conn.execute(users.update().where(users.c.id == seeded.admin_id).values(email=email))
        set_password(conn, seeded.admin_id, PASSWORD)
    return seeded.account_id, seeded.admin_id, email


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not BROWSER_AVAILABLE:
        pytest.skip(f"no browser at {CHROMIUM}")
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'pillbox.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine)
    account_id, admin_id, email = _seed(engine)
    settings = Settings(
        database_url=url, run_worker=False, attachments_dir=str(folder / "attachments")
    )
    app = create_app(settings, engine=engine)
    server = uvicorn.Server(
        uvicorn.Config(app, log_config=None, log_level="warning", access_log=False)
    )
    sock = socket.create_server(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    yield Served(base_url, engine, account_id, admin_id, email)
    server.should_exit = True
    thread.join(10)
    sock.close()
    engine.dispose()


@pytest.fixture(scope="session")
def base_url(served: Served) -> str:
    return served.base_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], served: Served) -> dict[str, Any]:
    # axe-core is injected into the pages under test: the pages' own policy allows only their
    # own scripts, which is what the tests of that policy check.
    return {
        **browser_context_args,
        "base_url": served.base_url,
        "bypass_csp": True,
        "viewport": {"width": 1280, "height": 860},
    }


def sign_in(page: Any, served: Served, path: str = "/") -> None:
    page.goto(path)
    page.get_by_label("Email").fill(served.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def other_account_party(served: Served) -> int:
    """A person in a second account, which the seeded account's user must never see."""
    from pillbox.store import parties

    with served.engine.begin() as conn:
        account_id = accounts.create_account(conn, f"other-{uuid.uuid4().hex[:8]}")
        return parties.insert(
            conn,
            {
                "account_id": account_id,
                "type": "person",
                "last_name": "Hidden",
                "created_at": "2026-01-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z",
            },
        )
