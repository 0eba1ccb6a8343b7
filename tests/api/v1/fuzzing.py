"""What the v1 property-based tests share: their settings, and the check that no request answers
5xx and a refused one leaves the account's data exactly as it was.

A test in a module parametrized by format runs once per format (XML, JSON) and per database, so
it draws half the examples of a v2 fuzz test per run (`PER_FORMAT`): over both formats it sees as
many. A test run once per database only (test_fuzz.py) keeps the suite's `FUZZ`.
"""

from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from hypothesis import settings

from tests.api.snapshot import account_snapshot
from tests.api.test_fuzz import FUZZ

PER_FORMAT = settings(FUZZ, max_examples=FUZZ.max_examples // 2)


def never_fail(
    engine: sa.Engine,
    account_id: int,
    send: Callable[[str, str], Any],
    requests: Iterable[tuple[str, str]],
) -> None:
    """Sends each (method, path) in turn through `send`: none may answer 5xx, and one answering
    4xx must leave the account's data as the requests before it left it.

    One snapshot of the data is taken per request, not one before and one after each."""
    pending = list(requests)
    before = account_snapshot(engine, account_id)
    for index, (method, path) in enumerate(pending, 1):
        response = send(method, path)
        assert response.status_code < 500, (method, path, response.text)
        if response.status_code >= 400:
            assert account_snapshot(engine, account_id) == before, (method, path, response.text)
        elif index < len(pending):
            before = account_snapshot(engine, account_id)
