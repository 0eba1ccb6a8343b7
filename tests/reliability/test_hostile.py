"""Hostile clients against a real server: heads and bodies trickled in, thousands of idle
connections, and the hostile bodies of payloads.py, while memory is measured and an ordinary
client is still served."""

import base64
import socket
import time
from collections.abc import Iterator

import pytest

from tests.reliability.live import Database, Server, new_token, scaled
from tests.reliability.live import database as live_database
from tests.reliability.payloads import PAYLOADS

HEAD_TIMEOUT = 1.0
BODY_TIMEOUT = 1.0


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    yield from live_database("sqlite", tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def server(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module: each test leaves it as it found it (or fails)."""
    live = Server(
        database.url,
        tmp_path_factory.mktemp("server"),
        env={
            "PILLBOX_HEAD_TIMEOUT_SECONDS": str(HEAD_TIMEOUT),
            "PILLBOX_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT),
        },
    )
    live.start()
    yield live
    live.stop()


@pytest.fixture
def token(database: Database) -> str:
    return new_token(database.engine)


def _answer_or_close(sock: socket.socket, trickle: bytes, limit: float) -> tuple[bytes, float]:
    """Sends `trickle` a byte every 0.1 s until the server answers or closes (or `limit` s)."""
    started = time.monotonic()
    sock.settimeout(0.1)
    received = b""
    for byte in trickle:
        if time.monotonic() - started > limit:
            break
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            break
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            break
        received += chunk
        if not chunk or received.endswith(b"}"):
            break
    return received, time.monotonic() - started


def ordinary_request_ok(server: Server, token: str) -> float:
    started = time.monotonic()
    status, _, _ = server.request("GET", "/api/v2/parties", token=token, timeout=5)
    assert status == 200
    return time.monotonic() - started


def test_a_head_trickled_in_is_408_and_closed_within_the_head_timeout(server, token):
    head = b"GET /api/v2/parties HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 1000
    with socket.create_connection(server.address) as sock:
        received, took = _answer_or_close(sock, head, limit=HEAD_TIMEOUT + 5)
    assert received.startswith(b"HTTP/1.1 408 "), received
    assert took < HEAD_TIMEOUT + 1
    assert ordinary_request_ok(server, token) < 1


def test_a_body_trickled_in_is_408_within_the_body_timeout(server, token):
    head = (
        "POST /api/v2/parties HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: 1000\r\n\r\n"
    ).encode()
    with socket.create_connection(server.address) as sock:
        sock.sendall(head)
        received, took = _answer_or_close(sock, b'{"party": {"about": "' + b"x" * 900, 10)
    assert received.startswith(b"HTTP/1.1 408 "), received
    assert b'{"message":"Request body too slow"}' in received
    assert took < BODY_TIMEOUT + 1
    assert ordinary_request_ok(server, token) < 1


def test_thousands_of_idle_connections_are_closed_and_others_are_served(server, token):
    count = scaled(500, 3000)
    baseline = server.open_fds()
    idle = [socket.create_connection(server.address) for _ in range(count)]
    try:
        assert ordinary_request_ok(server, token) < 2
        deadline = time.monotonic() + HEAD_TIMEOUT + 10
        while server.open_fds() > baseline + 5 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.open_fds() <= baseline + 5  # every idle connection was closed
        idle[0].settimeout(1)
        assert idle[0].recv(100).startswith(b"HTTP/1.1 408 ")
    finally:
        for sock in idle:
            sock.close()
    assert ordinary_request_ok(server, token) < 1


def test_a_body_announced_over_the_limit_is_413_before_it_is_sent(server, token):
    with socket.create_connection(server.address) as sock:
        sock.sendall(
            (
                "POST /api/v2/parties HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Authorization: Bearer {token}\r\nContent-Length: 50000000\r\n\r\n"
            ).encode()
        )
        sock.settimeout(2)
        assert sock.recv(100).startswith(b"HTTP/1.1 413 ")


def test_hostile_bodies_are_refused_quickly_with_memory_bounded(server, token):
    rounds = scaled(3, 20)
    status, _, body = server.request(
        "POST", "/api/v2/parties", {"party": {"type": "organisation", "name": "A"}}, token=token
    )
    party = body.split(b'"id":', 1)[1].split(b",", 1)[0].decode()
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    v1_auth = "Basic " + base64.b64encode(f"{token}:x".encode()).decode()
    measured: list[int] = []
    slowest = 0.0
    for round_number in range(rounds):
        for name, method, path, content_type, payload, expected in PAYLOADS:
            sent = {**headers, "Content-Type": content_type}
            if not path.startswith("/api/v2/"):
                sent["Authorization"] = v1_auth
            started = time.monotonic()
            status, _, answer = server.request(
                method, path.format(party=party), payload, token=None, headers=sent
            )
            slowest = max(slowest, time.monotonic() - started)
            assert status == expected, (name, answer[:200])
        assert ordinary_request_ok(server, token) < 1
        measured.append(server.rss_kb())
        if round_number == 0:
            first = measured[0]
    print(
        f"hostile bodies: {rounds} rounds of {len(PAYLOADS)}, slowest {slowest:.2f} s, "
        f"RSS after round 1 {first} kB, after the last {measured[-1]} kB"
    )
    assert slowest < 2
    assert measured[-1] < first * 1.10 + 10_000  # no growth beyond 10% (+10 MB of noise)
