"""Settings screens read in a fixed number of statements, however many items they list; the
counts are pinned in query_counts.json beside the other screens' (/settings/tokens is pinned
there as "tokens")."""

import pytest

from pillbox.web.settings import ACCOUNT, PREFERENCES
from tests.web.test_query_counts import BASELINE, count, counter, settings

__all__ = ["counter", "settings"]  # the statement counter and its app's settings, as fixtures


def _fill(web, n: int) -> None:
    """`n` more items in every settings list."""
    account = web.account
    for i in range(n):
        suffix = f"{len(account.get('/teams').json()['teams'])}-{i}"
        account.post(
            "/teams", {"team": {"name": f"T{suffix}", "memberships": [{"user": web.user_id}]}}
        )
        for entity in ("parties", "opportunities", "kases"):
            account.post(f"/{entity}/tags", {"tag": {"name": f"Tag {suffix}", "dataTag": True}})
            account.post(
                f"/{entity}/fields/definitions",
                {"definition": {"name": f"F{suffix}", "type": "list", "options": ["a", "b"]}},
            )
        pipeline = account.post("/pipelines", {"pipeline": {"name": f"P{suffix}"}}).json()
        account.post(
            "/milestones",
            {"milestone": {"name": f"M{suffix}", "pipeline": pipeline["pipeline"]["id"]}},
        )
        account.post("/lostreasons", {"lostReason": {"name": f"L{suffix}"}})
        board = account.post("/boards", {"board": {"name": f"B{suffix}"}}).json()["board"]
        account.post("/stages", {"stage": {"name": f"S{suffix}", "board": board["id"]}})
        account.post("/categories", {"category": {"name": f"C{suffix}", "colour": "#123456"}})
        account.post("/activitytypes", {"activityType": {"name": f"A{suffix}"}})
        account.post(
            "/resthooks",
            {"restHook": {"event": "party/created", "targetUrl": f"https://h{i}.invalid/"}},
        )


@pytest.mark.parametrize(
    "address", ["/settings", PREFERENCES] + [address for address, _, _ in ACCOUNT]
)
def test_settings_screens_run_the_pinned_number_of_statements(web, counter, address):
    _fill(web, 1)
    few = count(counter, web, address)
    _fill(web, 2)
    many = count(counter, web, address)
    assert few == many == BASELINE[f"settings {address}"], counter.statements[-many:]
