"""Hostile bodies (tests/reliability/payloads.py) get their 4xx quickly and change nothing.

The same bodies go to a real server, with its memory measured, in tests/reliability/test_hostile.py.
"""

import time

import pytest

from tests.api.snapshot import account_snapshot
from tests.reliability.payloads import PAYLOADS


@pytest.mark.parametrize(
    ("method", "path", "content_type", "body", "status"),
    [payload[1:] for payload in PAYLOADS],
    ids=[payload[0] for payload in PAYLOADS],
)
def test_hostile_body_is_refused_quickly_and_changes_nothing(
    account, engine, method, path, content_type, body, status
):
    party = account.post("/parties", {"party": {"type": "organisation", "name": "Acme"}}).json()
    before = account_snapshot(engine, account.id)
    headers = {"Content-Type": content_type, "Accept": "application/json"}
    if path.startswith("/api/v2/"):
        headers["Authorization"] = f"Bearer {account.token}"
        auth = None
    else:
        auth = (account.token, "x")
    started = time.monotonic()
    response = account.client.request(
        method, path.format(party=party["party"]["id"]), content=body, headers=headers, auth=auth
    )
    assert response.status_code == status, response.text[:300]
    assert time.monotonic() - started < 2
    assert account_snapshot(engine, account.id) == before
