"""Graceful shutdown: on SIGTERM a server stops taking connections and finishes what it began."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time

import httpx

from pillbox.store import accounts as accounts_store
from pillbox.store import migrate
from pillbox.store.engine import create_engine


def test_sigterm_lets_a_request_in_flight_finish_and_then_the_server_exits(tmp_path):
    url = f"sqlite:///{tmp_path}/pillbox.db"
    engine = create_engine(url)
    migrate.upgrade(engine)
    token = secrets.token_urlsafe(24)
    with engine.begin() as conn:
        account_id = accounts_store.create_account(conn, "shutdown")
        user_id = accounts_store.create_user(
            conn, account_id, email="a@example.com", name="A", username="a", admin=True
        )
        accounts_store.create_token(conn, user_id, token, "write")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "PILLBOX_DATABASE_URL": url,
        "PILLBOX_ATTACHMENTS_DIR": str(tmp_path / "files"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "pillbox", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/_health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        chunk = b"x" * 65536

        def slow_body():  # type: ignore[no-untyped-def]
            for n in range(20):
                if n == 5:
                    server.send_signal(signal.SIGTERM)  # mid-upload
                time.sleep(0.05)
                yield chunk

        response = httpx.post(
            f"{base}/api/v2/attachments/upload",
            content=slow_body(),
            headers={"Authorization": f"Bearer {token}", "X-Attachment-Filename": "a.bin"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        # uvicorn shuts down cleanly, then ends with the signal it was sent, as process
        # managers expect of a process stopped by SIGTERM
        assert server.wait(30) in (0, -signal.SIGTERM)
        with engine.connect() as conn:
            sizes = conn.exec_driver_sql("SELECT size FROM uploads").scalars().all()
        assert sizes == [20 * 65536]
    finally:
        if server.poll() is None:
            server.kill()
        engine.dispose()
