"""A bounded run of `make fuzz` (tests/reliability/fuzz.py): every v2 operation and every v1 route
against a live server, and not one 5xx."""

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pillbox.api.docs import openapi
from tests.reliability import fuzz
from tests.reliability.fuzz_requests import document_operations, v1_paths
from tests.reliability.live import Server, new_token, scaled


def test_fuzzing_every_operation_of_a_live_server_gets_no_5xx(sqlite_database, tmp_path: Path):
    token = new_token(sqlite_database.engine)
    server = Server(sqlite_database.url, tmp_path)
    server.start()
    try:
        target = fuzz.seeded_target(f"http://127.0.0.1:{server.port}", token)
        operations = len(v1_paths()) + 150  # v1 routes, and at least as many v2 operations
        wanted = scaled(operations, 20_000)  # the volume run is `make fuzz`
        deadline = time.time() + 300
        report = fuzz.run(target, wanted, deadline, batch=1, variants=1, schema_examples=0)
    finally:
        server.stop()
    assert report.sent >= operations
    assert report.failures == []


@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_drawn_request_carries_the_credentials_its_operation_asks_for(data):
    # API v1 paths sit in the same document as v2's: a Bearer header there would only be
    # fuzzing the authentication (a fifth of a long run was 401s before this held).
    document = openapi()
    schemes = {"Bearer {token}": "bearer", "Basic {basic}": "basic"}
    for name, strategy in document_operations(document):
        method, path = name.split(" ", 1)
        operation = document["paths"][path][method.lower()]
        asked = {scheme for need in operation.get("security", []) for scheme in need}
        headers = dict(data.draw(strategy).headers)
        sent = schemes.get(headers.get("Authorization", ""))
        if "bearer" in asked or "basic" in asked:
            assert sent in asked, name
        else:
            assert sent is None, name
