"""A bounded run of `make fuzz` (tests/reliability/fuzz.py): every v2 operation and every v1 route
against a live server, and not one 5xx."""

from pathlib import Path

import requests

from tests.reliability import fuzz
from tests.reliability.live import Server, new_token, scaled


def test_fuzzing_every_operation_of_a_live_server_gets_no_5xx(sqlite_database, tmp_path: Path):
    token = new_token(sqlite_database.engine)
    server = Server(sqlite_database.url, tmp_path)
    server.start()
    try:
        base_url = f"http://127.0.0.1:{server.port}"
        party = requests.post(
            f"{base_url}/api/v2/parties",
            json={"party": {"type": "organisation", "name": "Fuzz"}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()["party"]["id"]
        operations = len(fuzz.v1_operations()) + 200
        wanted = scaled(operations, 5_000)  # the volume run is `make fuzz`
        report = fuzz.run(base_url, token, str(party), wanted, minutes=5)
    finally:
        server.stop()
    assert report.sent >= operations
    assert report.failures == []
