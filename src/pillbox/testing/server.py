"""Pillbox served on a loopback port for one test session, by uvicorn in a background thread.

- One server per session (per worker under pytest-xdist): migrating a database and starting
  uvicorn happen once; each test then costs only a fresh account, opened straight in the
  server's database (`pillbox.domain.sandbox.open_account`) rather than through HTTP.
- The database is a temporary SQLite file unless the session names one (PostgreSQL, say); that
  one is brought to the latest schema first, and the accounts opened in it stay there.
- The socket is bound before the thread starts, to port 0 so that the system picks a free one:
  the address is known at once, and two sessions never race for a port.
- uvicorn gets no logging configuration, so the test process's logging stays as it was; it
  installs no signal handlers outside the main thread, so Ctrl-C stays pytest's.
- The app runs with the sandbox admin API and the job worker on (REST hook deliveries and jobs
  happen as they would in production) and a rate limit out of reach: a suite makes many calls in
  a short time.
- uvicorn trusts `X-Forwarded-Proto` from loopback: calls relayed by interception are marked
  https, so Location and Link headers name https://api.capsulecrm.com and a client that
  follows them is served here again.
"""

import socket
import threading
import time
from pathlib import Path

import uvicorn

from pillbox.app import create_app
from pillbox.domain import sandbox
from pillbox.settings import Settings
from pillbox.store import migrate
from pillbox.store.engine import WRITE, create_engine
from pillbox.testing.accounts import AccountAccess

LOOPBACK = "127.0.0.1"
RATE_LIMIT_PER_HOUR = 100_000_000
STARTUP_SECONDS = 30.0
SHUTDOWN_SECONDS = 10.0
POLL_SECONDS = 0.005


class ServerDidNotStart(RuntimeError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"Pillbox did not start on the loopback port: {reason}")


class LoopbackPillbox:
    """Pillbox on 127.0.0.1 from `start()` to `stop()`; accounts opened in its database."""

    def __init__(
        self,
        database_url: str,
        attachments_dir: Path,
        rate_limit_per_hour: int = RATE_LIMIT_PER_HOUR,
    ) -> None:
        self.engine = create_engine(database_url)
        migrate.upgrade(self.engine)
        settings = Settings(
            database_url=database_url,
            sandbox=True,
            run_worker=True,
            rate_limit_per_hour=rate_limit_per_hour,
            attachments_dir=str(attachments_dir),
        )
        app = create_app(settings, engine=self.engine)
        config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False)
        self._server = uvicorn.Server(config)
        self._socket = socket.create_server((LOOPBACK, 0))
        port = self._socket.getsockname()[1]
        self.base_url = f"http://{LOOPBACK}:{port}"
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"pillbox-{port}",
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._server.started:
            if not self._thread.is_alive():
                self._release()
                raise ServerDidNotStart("the server stopped while starting (see the log above)")
            if time.monotonic() > deadline:
                self.stop()
                raise ServerDidNotStart(f"not serving after {STARTUP_SECONDS:.0f} s")
            time.sleep(POLL_SECONDS)

    def open_account(self) -> AccountAccess:
        # A write transaction takes SQLite's write lock up front (see store/engine.py), so it
        # waits its turn behind the server's writes instead of failing.
        with self.engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
            opened = sandbox.open_account(conn)
        return AccountAccess(opened.account_id, opened.name, opened.token)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(SHUTDOWN_SECONDS)
        self._release()

    def _release(self) -> None:
        self._socket.close()
        self.engine.dispose()
