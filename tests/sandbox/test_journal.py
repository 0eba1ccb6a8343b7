"""The request journal (/_pillbox/journal): each account's latest API requests, filterable."""

import pytest
from starlette.testclient import TestClient

from pillbox import clock
from pillbox.api.sandbox import state
from pillbox.store import jobs as job_store
from tests.api.v1.wire import V1

PERSON = {"party": {"type": "person", "lastName": "Lovelace"}}


@pytest.fixture(autouse=True)
def real_time_after():
    yield
    clock.install(None)


def journal(admin, account, **filters):
    response = admin.request("GET", "/journal", token=account.token, params=filters)
    assert response.status_code == 200, response.text
    return response.json()["requests"]


def seen(admin, account, **filters):
    return [(r["method"], r["path"], r["status"]) for r in journal(admin, account, **filters)]


@pytest.fixture
def traffic(account):
    """Five requests of the account, in this order."""
    account.get("/parties")
    account.post("/parties", PERSON)
    account.get("/parties/999999999")
    account.get("/tasks", params={"perPage": 5})
    account.post("/parties", {"party": {"type": "robot"}})


# What is recorded


def test_a_request_is_recorded_with_what_became_of_it(admin, account):
    frozen = {"now": "2031-02-03T04:05:06Z"}
    admin.request("PUT", "/clock", token=account.token, json=frozen)
    account.get("/parties", params={"perPage": 2, "q": "ada"})
    (entry,) = journal(admin, account)
    assert entry == {
        "id": entry["id"],
        "at": "2031-02-03T04:05:06Z",
        "method": "GET",
        "path": "/api/v2/parties",
        "query": "perPage=2&q=ada",
        "status": 200,
        "durationMs": entry["durationMs"],
        "token": "…" + account.token[-4:],
        "fault": None,
        "strict": [],
    }
    assert isinstance(entry["durationMs"], float) and entry["durationMs"] >= 0


def test_requests_are_listed_newest_first_with_increasing_ids(admin, account, traffic):
    entries = journal(admin, account)
    assert [(r["method"], r["path"], r["status"]) for r in entries] == [
        ("POST", "/api/v2/parties", 422),
        ("GET", "/api/v2/tasks", 200),
        ("GET", "/api/v2/parties/999999999", 404),
        ("POST", "/api/v2/parties", 201),
        ("GET", "/api/v2/parties", 200),
    ]
    ids = [r["id"] for r in entries]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5


def test_v1_requests_are_recorded_under_their_basic_token(admin, account):
    V1(account.client, account.token).request("GET", "/party", "json", params={"q": "x"})
    (entry,) = journal(admin, account)
    assert (entry["path"], entry["query"], entry["status"]) == ("/api/party", "q=x", 200)
    assert entry["token"] == "…" + account.token[-4:]


def test_requests_refused_by_the_gate_are_recorded_for_the_tokens_account(admin, account):
    response = account.post("/parties", PERSON, headers=account.read_headers)
    assert response.status_code == 403
    (entry,) = journal(admin, account)
    assert (entry["status"], entry["token"]) == (403, "…" + account.read_token[-4:])


def test_requests_without_a_valid_token_are_not_recorded(admin, account, client):
    client.get("/api/v2/parties")
    client.get("/api/v2/parties", headers={"Authorization": "Bearer nobody"})
    assert journal(admin, account) == []


def test_the_admin_apis_own_requests_are_not_recorded(admin, account):
    admin.request("GET", "/faults", token=account.token)
    admin.request("GET", "/journal", token=account.token)
    assert journal(admin, account) == []


def test_another_accounts_requests_are_not_listed(admin, account, other_account):
    other_account.get("/parties")
    account.get("/tasks")
    assert seen(admin, account) == [("GET", "/api/v2/tasks", 200)]
    assert seen(admin, other_account) == [("GET", "/api/v2/parties", 200)]


def test_the_fault_applied_to_a_request_is_recorded(admin, account):
    body = {"status": 503, "method": "GET"}
    rule = admin.request("POST", "/faults", token=account.token, json=body).json()["fault"]
    account.get("/parties")
    account.get("/parties")
    entries = journal(admin, account)
    assert [(r["status"], r["fault"]) for r in entries] == [(200, None), (503, rule["id"])]


def test_a_dropped_request_has_no_status(admin, account):
    rule = admin.request("POST", "/faults", token=account.token, json={"drop": True}).json()
    account.get("/parties")
    (entry,) = journal(admin, account)
    assert (entry["status"], entry["fault"]) == (None, rule["fault"]["id"])


def test_latency_a_fault_adds_is_in_the_duration(admin, account):
    admin.request("POST", "/faults", token=account.token, json={"latencyMs": 25})
    account.get("/parties")
    (entry,) = journal(admin, account)
    assert (entry["status"], entry["durationMs"] >= 25) == (200, True)


def test_a_request_whose_handler_raised_is_recorded_as_500(admin, account, app, monkeypatch):
    def broken(*_args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(job_store, "find_job", broken)
    unraised = TestClient(app, base_url="http://pillbox.test", raise_server_exceptions=False)
    job = "/api/v2/jobs/02ae8e16-9199-426c-9984-6362b08f8555"
    assert unraised.get(job, headers=account.headers).status_code == 500
    assert seen(admin, account) == [("GET", job, 500)]


def test_an_account_keeps_only_its_latest_requests(admin, account, monkeypatch):
    monkeypatch.setattr(state, "JOURNAL_SIZE", 3)
    for n in range(5):
        account.get(f"/parties/{n + 1}")
    assert [r["path"] for r in journal(admin, account)] == [
        "/api/v2/parties/5",
        "/api/v2/parties/4",
        "/api/v2/parties/3",
    ]


# Filters and limits


def test_filter_by_method(admin, account, traffic):
    assert seen(admin, account, method="post") == [
        ("POST", "/api/v2/parties", 422),
        ("POST", "/api/v2/parties", 201),
    ]


def test_filter_by_path_prefix(admin, account, traffic):
    paths = [r["path"] for r in journal(admin, account, path="/api/v2/parties")]
    assert paths == ["/api/v2/parties"] + ["/api/v2/parties/999999999"] + ["/api/v2/parties"] * 2


def test_filter_by_path_glob(admin, account, traffic):
    assert seen(admin, account, path="/api/v2/parties/*") == [
        ("GET", "/api/v2/parties/999999999", 404)
    ]
    assert len(journal(admin, account, path="*/tasks")) == 1


@pytest.mark.parametrize(
    ("status", "expected"), [("404", [404]), ("4xx", [422, 404]), ("2XX", [200, 201, 200])]
)
def test_filter_by_status_or_class(admin, account, traffic, status, expected):
    assert [r["status"] for r in journal(admin, account, status=status)] == expected


def test_since_lists_only_later_requests(admin, account, traffic):
    oldest_two = journal(admin, account)[3:]
    since = oldest_two[0]["id"]
    assert [r["id"] for r in journal(admin, account, since=since)] == [
        r["id"] for r in journal(admin, account)[:3]
    ]


def test_limit_keeps_the_newest(admin, account, traffic):
    assert seen(admin, account, limit=2) == [
        ("POST", "/api/v2/parties", 422),
        ("GET", "/api/v2/tasks", 200),
    ]


def test_limit_is_100_unless_given(admin, account):
    for _ in range(101):
        account.get("/parties")
    assert len(journal(admin, account)) == 100
    assert len(journal(admin, account, limit=101)) == 101


def test_filters_combine(admin, account, traffic):
    assert seen(admin, account, method="GET", status="2xx", path="/api/v2/parties") == [
        ("GET", "/api/v2/parties", 200)
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("status", "4x"),
        ("status", "600"),
        ("status", "abc"),
        ("status", "4044"),
        ("limit", "0"),
        ("limit", "1001"),
        ("limit", "ten"),
        ("since", "-1"),
        ("since", "²"),
        ("path", "/api/[v2"),
        ("path", "api/*"),
    ],
)
def test_invalid_filters_are_422_naming_the_filter(admin, account, name, value):
    response = admin.request("GET", "/journal", token=account.token, params={name: value})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [name]


# Clearing, and the admin endpoints' refusals


def test_clearing_empties_only_the_callers_journal(admin, account, other_account):
    account.get("/parties")
    other_account.get("/parties")
    emptied = admin.request("DELETE", "/journal", token=account.token)
    assert (emptied.status_code, emptied.content) == (204, b"")
    assert "Content-Type" not in emptied.headers
    assert journal(admin, account) == []
    assert len(journal(admin, other_account)) == 1
    account.get("/tasks")
    assert seen(admin, account) == [("GET", "/api/v2/tasks", 200)]


@pytest.mark.parametrize("method", ["GET", "DELETE"])
@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_journal_without_a_valid_token_is_401(admin, method, token):
    response = admin.request(method, "/journal", token=token)
    assert response.status_code == 401
    assert response.json() == {"message": "Requires authentication"}
