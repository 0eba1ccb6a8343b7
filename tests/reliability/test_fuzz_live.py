"""A bounded run of `make fuzz` (tests/reliability/fuzz.py): every v2 operation and every v1 route
against a live server, and not one 5xx."""

import time
from pathlib import Path

from tests.reliability import fuzz
from tests.reliability.fuzz_requests import v1_paths
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
