"""A real `pillbox serve` in a subprocess, on loopback, over SQLite or PostgreSQL, for the
reliability tests: started, killed (SIGKILL), restarted, and measured (memory, descriptors).

`SCALE` is "short" in `make test` and "long" under `make reliability` (PILLBOX_RELIABILITY=long):
each test sizes its loops from it, and every loop is bounded in count and in time.
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa

from pillbox.store import accounts as accounts_store
from pillbox.store import migrate
from pillbox.store.engine import create_engine
from tests.conftest import POSTGRES_AVAILABLE, POSTGRES_URL

LONG = os.environ.get("PILLBOX_RELIABILITY") == "long"


def scaled(short: Any, long: Any) -> Any:
    return long if LONG else short


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Database:
    url: str  # for the server
    engine: sa.Engine  # for the test, same database
    drop: Any = None

    def close(self) -> None:
        self.engine.dispose()
        if self.drop:
            self.drop()


def sqlite_database(tmp_path: Path) -> Database:
    url = f"sqlite:///{tmp_path / 'pillbox.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine)
    return Database(url, engine)


def postgres_database() -> Database:
    if not POSTGRES_AVAILABLE:
        pytest.skip("PostgreSQL not reachable")
    schema = f"pillbox_rel_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = POSTGRES_URL + f"?options=-csearch_path%3D{schema},public"
    engine = create_engine(url)
    migrate.upgrade(engine)

    def drop() -> None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()

    return Database(url, engine, drop)


def database(kind: str, tmp_path: Path) -> Iterator[Database]:
    db = sqlite_database(tmp_path) if kind == "sqlite" else postgres_database()
    yield db
    db.close()


def new_token(engine: sa.Engine) -> str:
    """A write token of a new account's administrator."""
    token = secrets.token_urlsafe(24)
    with engine.begin() as conn:
        account_id = accounts_store.create_account(conn, f"reliability-{uuid.uuid4().hex[:8]}")
        user_id = accounts_store.create_user(
            conn, account_id, email="a@example.com", name="Ada", username="ada", admin=True
        )
        accounts_store.create_token(conn, user_id, token, "write")
    return token


@dataclass
class Server:
    """`pillbox serve` on a free loopback port; `env` adds PILLBOX_* settings."""

    database_url: str
    tmp_path: Path
    workers: int = 1
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def start(self, timeout: float = 60.0) -> None:
        env = {
            **os.environ,
            "PILLBOX_DATABASE_URL": self.database_url,
            "PILLBOX_ATTACHMENTS_DIR": str(self.tmp_path / "attachments"),
            "PILLBOX_RATE_LIMIT_PER_HOUR": "10000000",
            **self.env,
        }
        command = [sys.executable, "-m", "pillbox", "serve", "--port", str(self.port)]
        with (self.tmp_path / f"server-{self.port}.log").open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "--workers", str(self.workers)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,  # its own process group: a kill takes its workers too
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                self.request("GET", "/api/v2/site", token=None)
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"server not up within {timeout} s\n{self.log()}")

    def log(self) -> str:
        return (self.tmp_path / f"server-{self.port}.log").read_text()[-3000:]

    def kill(self) -> None:
        """SIGKILL to the server and its worker processes: no shutdown of any kind."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def pids(self) -> list[int]:
        """The server process and its children (uvicorn's workers)."""
        assert self.process is not None
        found = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found

    def rss_kb(self) -> int:
        return sum(_status_kb(pid, "VmRSS") for pid in self.pids())

    def open_fds(self) -> int:
        return sum(len(os.listdir(f"/proc/{pid}/fd")) for pid in self.pids())

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
        connection: http.client.HTTPConnection | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One request (on `connection` if given, else a fresh one); (status, headers, body)."""
        sent = dict(headers or {})
        if token:
            sent.setdefault("Authorization", f"Bearer {token}")
        if body is not None and not isinstance(body, bytes):
            body = orjson.dumps(body)
            sent.setdefault("Content-Type", "application/json")
        own = connection is None
        conn = connection or http.client.HTTPConnection(*self.address, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            if own:
                conn.close()


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
