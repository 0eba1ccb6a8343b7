"""Test fixtures: every API test runs on SQLite and, when one is reachable, on PostgreSQL.

SQLite: each test gets its own copy of a database migrated once per session.
PostgreSQL: each test process migrates its own schema once; tests stay apart because each one
works in a fresh account (which is exactly the isolation the product guarantees).
"""

import asyncio
import os
import secrets
import shutil
import socket
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import hypothesis
import psycopg
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from pillbox.app import create_app
from pillbox.settings import Settings
from pillbox.store import accounts as accounts_store
from pillbox.store import filters, migrate
from pillbox.store.engine import create_engine

# CI explores the same examples on every run, so a landing never depends on luck; local runs
# explore new ones each time (and keep what fails in .hypothesis/).
hypothesis.settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis.settings.load_profile("ci")

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_URL = os.environ.get("PILLBOX_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
REQUIRE_POSTGRES = os.environ.get("PILLBOX_TEST_REQUIRE_POSTGRES") == "1"


def _postgres_reachable() -> bool:
    plain = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(plain, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


POSTGRES_AVAILABLE = _postgres_reachable()

# The web interface's browser tests drive the system's Chromium (Debian's `chromium` package).
CHROMIUM = os.environ.get("PILLBOX_TEST_CHROMIUM", "/usr/bin/chromium")
BROWSER_AVAILABLE = os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def pytest_report_header() -> list[str]:
    if POSTGRES_AVAILABLE:
        database = f"PostgreSQL: {POSTGRES_URL} (API tests run on SQLite and PostgreSQL)"
    else:
        database = (
            "PostgreSQL: not reachable, PostgreSQL tests SKIPPED (set PILLBOX_TEST_POSTGRES_URL)"
        )
    if BROWSER_AVAILABLE:
        browser = f"Browser: {CHROMIUM} (web interface browser tests run)"
    else:
        browser = (
            f"Browser: none at {CHROMIUM}, browser tests SKIPPED (apt-get install -y chromium)"
        )
    return [database, browser]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if POSTGRES_AVAILABLE:
        terminalreporter.write_line(f"PostgreSQL: API tests ran against {POSTGRES_URL}")
    else:
        terminalreporter.write_line(
            "PostgreSQL: NOT REACHABLE, the PostgreSQL half of the suite was SKIPPED",
            yellow=True,
            bold=True,
        )
    if not BROWSER_AVAILABLE:
        terminalreporter.write_line(
            f"Browser: NO CHROMIUM at {CHROMIUM}, the web interface's browser tests were SKIPPED",
            yellow=True,
            bold=True,
        )


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_POSTGRES and not POSTGRES_AVAILABLE:
        raise pytest.UsageError(f"PostgreSQL is required but not reachable at {POSTGRES_URL}")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "pillbox.db"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[sa.Engine]:
    if not POSTGRES_AVAILABLE:
        pytest.skip("PostgreSQL not reachable")
    schema = f"pillbox_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        # Test processes starting together on a fresh database would race to create it.
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7214)")
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = create_engine(POSTGRES_URL + f"?options=-csearch_path%3D{schema},public")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


BACKENDS = [
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    if request.param == "postgres":
        yield request.getfixturevalue("postgres_engine")
        return
    path = tmp_path / "pillbox.db"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    engine = create_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Jobs run when a test says so (Worker.run_pending), not in a background thread.
    return Settings(
        database_url="sqlite://",
        rate_limit_per_hour=100_000,
        run_worker=False,
        attachments_dir=str(tmp_path / "attachments"),
    )


@pytest.fixture
def app(engine: sa.Engine, settings: Settings) -> Any:
    return create_app(settings, engine=engine)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://pillbox.test") as test_client:
        yield test_client


@dataclass
class Account:
    """An account with an admin user and tokens of both scopes, and a client acting as it."""

    id: int
    user_id: int
    token: str
    read_token: str
    client: TestClient

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def read_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.read_token}"}

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, f"/api/v2{path}", headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self.request("POST", path, json=body, **kwargs)

    def put(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self.request("PUT", path, json=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: once a browser test has run in this process,
    Playwright keeps an event loop running in the main thread, where asyncio.run refuses."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def make_account(engine: sa.Engine, client: TestClient, name: str | None = None) -> Account:
    name = name or f"account-{uuid.uuid4().hex[:10]}"
    token, read_token = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    with engine.begin() as conn:
        account_id = accounts_store.create_account(conn, name)
        user_id = accounts_store.create_user(
            conn,
            account_id,
            email="admin@example.com",
            name="Ada Admin",
            username="ada",
            admin=True,
        )
        accounts_store.create_token(conn, user_id, token, "write")
        accounts_store.create_token(conn, user_id, read_token, "read")
    return Account(account_id, user_id, token, read_token, client)


@pytest.fixture
def account(engine: sa.Engine, client: TestClient) -> Account:
    return make_account(engine, client)


@pytest.fixture
def other_account(engine: sa.Engine, client: TestClient) -> Account:
    return make_account(engine, client)


# -- S3-compatible storage: moto's standalone server on a loopback port -----------------------


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new bucket, and boto3 pointed at the server through its usual variables."""
    import boto3

    for name, value in {
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    bucket = f"pillbox-{uuid.uuid4().hex[:12]}"
    boto3.client("s3").create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture(autouse=True)
def _filters_count_afresh() -> Iterator[None]:
    """Each test counts a filter's sets of ids itself: the sizes a process remembers for a
    minute (store/filters.py) would otherwise carry from one test into the next."""
    filters._COUNTED.clear()
    yield
