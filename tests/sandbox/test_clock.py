"""The sandbox clock: timestamps, `since` and due dates follow it."""

import pytest

from pillbox import clock
from pillbox.deliveries import Answer
from pillbox.worker import Worker


@pytest.fixture(autouse=True)
def real_time_after():
    yield
    clock.install(None)


def test_the_clock_is_real_time_until_set(admin, account):
    shown = admin.request("GET", "/clock", token=account.token).json()["clock"]
    assert (shown["frozen"], shown["real"]) == (False, True)


def test_records_made_on_a_frozen_clock_carry_its_time(admin, account):
    body = {"now": "2030-05-01T09:30:00Z"}
    response = admin.request("PUT", "/clock", token=account.token, json=body)
    assert response.json() == {
        "clock": {"now": "2030-05-01T09:30:00Z", "frozen": True, "real": False}
    }
    party = account.post("/parties", {"party": {"type": "organisation", "name": "Acme"}})
    assert party.json()["party"]["createdAt"] == "2030-05-01T09:30:00Z"


def test_advancing_moves_timestamps_and_since(admin, account):
    admin.request("PUT", "/clock", token=account.token, json={"now": "2030-05-01T09:00:00Z"})
    org = account.post("/parties", {"party": {"type": "organisation", "name": "Acme"}}).json()
    response = admin.request("POST", "/clock/advance", token=account.token, json={"days": 2})
    assert response.json()["clock"]["now"] == "2030-05-03T09:00:00Z"
    party_id = org["party"]["id"]
    updated = account.put(f"/parties/{party_id}", {"party": {"about": "changed"}}).json()
    assert updated["party"]["updatedAt"] == "2030-05-03T09:00:00Z"
    since = account.get("/parties", params={"since": "2030-05-02T00:00:00Z"}).json()
    assert [p["id"] for p in since["parties"]] == [party_id]


def test_a_running_clock_goes_on_from_the_moment_set(admin, account):
    body = {"now": "2031-01-01T00:00:00Z", "frozen": False}
    shown = admin.request("PUT", "/clock", token=account.token, json=body).json()["clock"]
    assert shown["frozen"] is False
    assert shown["now"].startswith("2031-01-01T00:0")


def test_dates_set_on_closing_follow_the_clock(admin, account):
    admin.request("PUT", "/clock", token=account.token, json={"now": "2030-05-01T09:00:00Z"})
    kase = {"kase": {"name": "Fit-out", "party": {"id": _organisation(account)}}}
    kase_id = account.post("/kases", kase).json()["kase"]["id"]
    admin.request("POST", "/clock/advance", token=account.token, json={"days": 3})
    closed = account.put(f"/kases/{kase_id}", {"kase": {"status": "CLOSED"}}).json()["kase"]
    assert closed["closedOn"] == "2030-05-04"


def test_filters_on_relative_dates_follow_the_clock(admin, account):
    admin.request("PUT", "/clock", token=account.token, json={"now": "2030-05-01T09:00:00Z"})
    party_id = _organisation(account)
    recent = {"field": "addedOn", "operator": "is within last", "value": 2}
    body = {"filter": {"conditions": [recent]}}
    assert [p["id"] for p in filtered(account, body)] == [party_id]
    admin.request("POST", "/clock/advance", token=account.token, json={"days": 10})
    assert filtered(account, body) == []


def filtered(account, body):
    return account.post("/parties/filters/results", body).json()["parties"]


def _organisation(account):
    party = account.post("/parties", {"party": {"type": "organisation", "name": "Acme"}})
    return party.json()["party"]["id"]


def test_deleting_the_clock_brings_back_real_time(admin, account):
    admin.request("PUT", "/clock", token=account.token, json={"now": "2030-05-01T09:00:00Z"})
    assert admin.request("DELETE", "/clock", token=account.token).status_code == 204
    shown = admin.request("GET", "/clock", token=account.token).json()["clock"]
    assert shown["real"] is True


@pytest.mark.parametrize(
    "path,body",
    [
        ("/clock", {}),
        ("/clock", {"now": "soon"}),
        ("/clock", {"now": "1900-01-01T00:00:00Z"}),
        ("/clock/advance", {}),
        ("/clock/advance", {"days": -1}),
        ("/clock/advance", {"days": 99999}),
        ("/clock/advance", {"weeks": 1}),
    ],
)
def test_an_invalid_clock_change_is_a_422_and_changes_nothing(admin, account, path, body):
    method = "PUT" if path == "/clock" else "POST"
    response = admin.request(method, path, token=account.token, json=body)
    assert response.status_code == 422, response.text
    assert admin.request("GET", "/clock", token=account.token).json()["clock"]["real"] is True


def test_rest_hook_retries_come_due_when_the_clock_moves_on(admin, account, engine):
    admin.request("PUT", "/clock", token=account.token, json={"now": "2030-05-01T09:00:00Z"})
    target = f"https://hooks.example/{account.id}"  # the worker serves every account's hooks
    hook = {"restHook": {"event": "party/created", "targetUrl": target}}
    hook_id = account.post("/resthooks", hook).json()["restHook"]["id"]
    attempts = []

    def failing(url, body, headers, timeout):
        if url == target:
            attempts.append(url)
        return Answer(500, None, 1)

    worker = Worker(engine, send=failing)
    _organisation(account)
    worker.run_pending()
    worker.run_pending()  # the clock stands still: the retry is not due yet
    assert len(attempts) == 1
    admin.request("POST", "/clock/advance", token=account.token, json={"minutes": 1})
    worker.run_pending()
    assert len(attempts) == 2
    log = account.get(f"/resthooks/{hook_id}/deliveries").json()
    assert log["deliveries"][0]["attempts"] == 2
