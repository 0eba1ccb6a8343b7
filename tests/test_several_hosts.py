"""Several hosts, one data set: two `pillbox serve` processes and two `pillbox worker` processes
against one PostgreSQL schema, one Redis and one S3 bucket (moto's server), all on loopback.

A sign-in made through one host holds on the other (a shared PILLBOX_SECRET_KEY), a file
uploaded through one downloads through the other, rate limits are counted once for both, each
job and each REST hook delivery runs exactly once although two workers compete for them, and a
host killed in the middle of the traffic loses nothing it acknowledged.
"""

import http.server
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import redis
import sqlalchemy as sa

from pillbox.domain import oauth
from pillbox.domain.passwords import set_password
from pillbox.store import accounts as accounts_store
from pillbox.store import migrate
from pillbox.store.engine import create_engine
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.postgres

REDIRECT = "https://app.example/callback"
PASSWORD = "correct horse battery"
LIMIT = 60  # requests per hour, per user: small enough to reach in a test


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Cluster:
    hosts: list[str]
    engine: sa.Engine
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]]

    def start(self, name: str, *args: str) -> None:
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "pillbox", *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGKILL)
        self.processes[name].wait(10)


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on {base} exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/_ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server on {base} was not ready within a minute")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, request) -> Iterator[Cluster]:
    request.getfixturevalue("postgres_engine")  # skips when PostgreSQL is not reachable
    if not _redis_reachable():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    from moto.server import ThreadedMotoServer

    s3_port = _free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    s3.start()
    schema = f"pillbox_hosts_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = POSTGRES_URL + f"?options=-csearch_path%3D{schema},public"
    engine = create_engine(url)
    migrate.upgrade(engine)
    # Counts are kept by user id, and every new schema numbers its users from 1 again: a database
    # of Redis's own, emptied, so that no earlier run's counts are counted here.
    redis_url = f"redis://127.0.0.1:6379/{secrets.randbelow(8) + 8}"
    redis.Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        "PILLBOX_DATABASE_URL": url,
        "PILLBOX_REDIS_URL": redis_url,
        "PILLBOX_RATE_LIMIT_PER_HOUR": str(LIMIT),
        "PILLBOX_ATTACHMENTS_URL": "s3://pillbox-hosts/files",
        "PILLBOX_SECRET_KEY": secrets.token_hex(32),
        "PILLBOX_RUN_WORKER": "false",
        "PILLBOX_HOOKS_ALLOW_PRIVATE": "true",  # the REST hook target below is on loopback
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    import boto3

    boto3.client(
        "s3",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket="pillbox-hosts")
    ports = [_free_port(), _free_port()]
    running = Cluster([f"http://127.0.0.1:{p}" for p in ports], engine, env, {})
    try:
        for n, port in enumerate(ports):
            running.start(f"host{n}", "serve", "--port", str(port))
        for n in range(2):
            running.start(f"worker{n}", "worker", "--poll", "0.1")
        for n, base in enumerate(running.hosts):
            _wait_ready(base, running.processes[f"host{n}"])
        yield running
    finally:
        for process in running.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in running.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        engine.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
        s3.stop()


@dataclass
class User:
    account_id: int
    user_id: int
    token: str
    email: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_user(cluster: Cluster) -> User:
    """A user of a new account: each test counts its own requests against the rate limit."""
    token = secrets.token_urlsafe(24)
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    with cluster.engine.begin() as conn:
        account_id = accounts_store.create_account(conn, f"hosts-{uuid.uuid4().hex[:8]}")
        user_id = accounts_store.create_user(
            conn, account_id, email=email, name="Ada", username="ada", admin=True
        )
        accounts_store.create_token(conn, user_id, token, "write")
    return User(account_id, user_id, token, email)


def test_a_file_uploaded_through_one_host_downloads_through_the_other(cluster):
    user = new_user(cluster)
    first, second = cluster.hosts
    data = os.urandom(300_000)
    uploaded = httpx.post(
        f"{first}/api/v2/attachments/upload",
        content=data,
        headers={**user.headers, "X-Attachment-Filename": "scan.bin"},
    )
    token = uploaded.json()["upload"]["token"]
    party = httpx.post(
        f"{second}/api/v2/parties",
        json={"party": {"type": "person", "lastName": "Filed"}},
        headers=user.headers,
    ).json()["party"]
    entry = httpx.post(
        f"{second}/api/v2/entries",
        json={"entry": {"type": "note", "party": party["id"], "attachments": [{"token": token}]}},
        headers=user.headers,
    ).json()["entry"]
    download = httpx.get(
        f"{second}/api/v2/attachments/{entry['attachments'][0]['id']}", headers=user.headers
    )
    assert (download.status_code, download.content) == (200, data)


def test_the_rate_limit_is_counted_once_for_both_hosts(cluster):
    user = new_user(cluster)
    statuses = [
        httpx.get(f"{cluster.hosts[n % 2]}/api/v2/users/current", headers=user.headers)
        for n in range(LIMIT + 10)
    ]
    admitted = [r for r in statuses if r.status_code == 200]
    refused = [r for r in statuses if r.status_code == 429]
    assert len(admitted) == LIMIT and len(refused) == 10
    assert {r.headers["X-RateLimit-Limit"] for r in refused} == {str(LIMIT)}
    assert {r.headers["X-RateLimit-Remaining"] for r in refused} == {"0"}
    assert all(int(r.headers["X-RateLimit-Reset"]) > 0 for r in refused)


def test_a_sign_in_on_one_host_holds_on_the_other(cluster):
    user = new_user(cluster)
    with cluster.engine.begin() as conn:
        set_password(conn, user.user_id, PASSWORD)
        client_id, _secret = oauth.register_app(conn, user.account_id, "Ledger", [REDIRECT])
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": "read",
        "state": "s",
    }
    first, second = cluster.hosts
    with httpx.Client() as browser:  # one cookie jar, as one browser
        page = browser.get(f"{first}/oauth/authorise", params=query)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None and "Sign in" in page.text
        form = {"csrf": csrf.group(1), "action": "sign_in", "email": user.email}
        signed = browser.post(
            f"{first}/oauth/authorise", params=query, data={**form, "password": PASSWORD}
        )
        assert signed.status_code == 303
        consent = browser.get(f"{second}/oauth/authorise", params=query)
        assert "Allow" in consent.text and "Sign in" not in consent.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', consent.text)
        assert csrf is not None
        allowed = browser.post(
            f"{second}/oauth/authorise",
            params=query,
            data={"csrf": csrf.group(1), "action": "allow"},
        )
    back = parse_qs(urlsplit(allowed.headers["location"]).query)
    assert allowed.status_code == 302 and back["state"] == ["s"] and back["code"]


def test_a_web_sign_in_on_one_host_holds_on_the_other(cluster):
    user = new_user(cluster)
    with cluster.engine.begin() as conn:
        set_password(conn, user.user_id, PASSWORD)
    first, second = cluster.hosts
    with httpx.Client() as browser:  # one cookie jar, as one browser
        page = browser.get(f"{first}/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        form = {"csrf": csrf.group(1), "email": user.email, "password": PASSWORD}
        signed = browser.post(f"{first}/login", data=form)
        assert signed.status_code == 303, signed.text
        home = browser.get(f"{second}/tasks")
    assert home.status_code == 200 and "Sign in ·" not in home.text


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: ClassVar[Counter[str]] = Counter()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        _Receiver.received[self.headers["X-Pillbox-Delivery"]] += 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _wait_for(condition, seconds: float = 60) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_two_workers_run_each_job_and_each_delivery_exactly_once(cluster):
    user = new_user(cluster)
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    target = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    first, second = cluster.hosts
    hook = {"restHook": {"event": "party/created", "targetUrl": target, "description": "x"}}
    subscribed = httpx.post(f"{first}/api/v2/resthooks", json=hook, headers=user.headers)
    assert subscribed.status_code == 201, subscribed.text
    created = 20
    for n in range(created):
        body = {"party": {"type": "person", "lastName": f"P{n}", "tags": [{"name": f"T{n % 4}"}]}}
        host = cluster.hosts[n % 2]
        assert httpx.post(f"{host}/api/v2/parties", json=body, headers=user.headers).is_success
    tags = httpx.get(f"{second}/api/v2/parties/tags", headers=user.headers).json()["tags"]
    jobs = [
        httpx.delete(
            f"{cluster.hosts[n % 2]}/api/v2/parties/tags/{tag['id']}", headers=user.headers
        )
        for n, tag in enumerate(tags)
    ]
    assert {job.status_code for job in jobs} == {202}
    with cluster.engine.connect() as conn:
        delivery_ids = set(
            conn.scalars(
                sa.text(
                    "SELECT d.id FROM hook_deliveries d JOIN rest_hooks h ON h.id = d.hook_id"
                    " WHERE h.account_id = :a"
                ),
                {"a": user.account_id},
            )
        )
    assert len(delivery_ids) == created

    def all_done() -> bool:
        with cluster.engine.connect() as conn:
            waiting = conn.execute(
                sa.text(
                    "SELECT count(*) FROM jobs WHERE account_id = :a AND status <> 'completed'"
                ),
                {"a": user.account_id},
            ).scalar_one()
        return waiting == 0 and set(_Receiver.received) >= {str(i) for i in delivery_ids}

    try:
        assert _wait_for(all_done), "jobs and deliveries did not all finish within a minute"
    finally:
        receiver.shutdown()
        receiver.server_close()
    assert {_Receiver.received[str(i)] for i in delivery_ids} == {1}
    with cluster.engine.connect() as conn:
        attempts = conn.scalars(
            sa.text("SELECT attempts FROM jobs WHERE account_id = :a"), {"a": user.account_id}
        ).all()
    assert attempts and set(attempts) == {1}


def test_a_host_killed_mid_traffic_loses_nothing_it_acknowledged(cluster):
    user = new_user(cluster)
    acknowledged: list[int] = []

    def create_until_refused(host: str, count: int) -> None:
        with httpx.Client(headers=user.headers, timeout=5) as client:
            for n in range(count):
                body = {"party": {"type": "organisation", "name": f"Org {host[-5:]} {n}"}}
                try:
                    response = client.post(f"{host}/api/v2/parties", json=body)
                except httpx.TransportError:
                    return  # the host is gone: what it never answered was never acknowledged
                if response.status_code == 201:
                    acknowledged.append(response.json()["party"]["id"])

    first, second = cluster.hosts
    senders = [threading.Thread(target=create_until_refused, args=(first, 25)) for _ in range(2)]
    for sender in senders:
        sender.start()
    _wait_for(lambda: len(acknowledged) >= 5, 30)
    cluster.kill("host0")  # with requests in flight
    for sender in senders:
        sender.join(30)
    create_until_refused(second, 5)
    assert len(acknowledged) >= 10
    with cluster.engine.connect() as conn:
        found = set(
            conn.scalars(
                sa.text("SELECT id FROM parties WHERE account_id = :a"), {"a": user.account_id}
            )
        )
    assert set(acknowledged) <= found
    shown = httpx.get(f"{second}/api/v2/parties/{acknowledged[-1]}", headers=user.headers)
    assert shown.status_code == 200
