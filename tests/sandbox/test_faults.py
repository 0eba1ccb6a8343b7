"""Fault injection (/_pillbox/faults): forced statuses, latency, dropped connections, held jobs."""

import logging
import random
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import requests
import uvicorn

from pillbox.app import create_app
from tests.api.v1.wire import V1
from tests.api.v2.checks import job_path, run_jobs

PERSON = {"party": {"type": "person", "lastName": "Lovelace"}}
TASK = {"description": "Call", "dueOn": "2030-01-01"}


def add_fault(admin, account, **rule):
    response = admin.request("POST", "/faults", token=account.token, json=rule)
    assert response.status_code == 201, response.text
    return response.json()["fault"]


def listed(admin, account):
    response = admin.request("GET", "/faults", token=account.token)
    assert response.status_code == 200
    return response.json()["faults"]


def statuses(account, count, path="/parties"):
    return [account.get(path).status_code for _ in range(count)]


@pytest.fixture
def v1(account):
    return V1(account.client, account.token)


# The admin endpoints


def test_create_fault_answers_the_rule_with_its_defaults(admin, account):
    response = admin.request("POST", "/faults", token=account.token, json={"status": 503})
    assert response.status_code == 201
    assert response.json() == {
        "fault": {
            "id": response.json()["fault"]["id"],
            "method": None,
            "path": None,
            "token": None,
            "ratio": None,
            "seed": None,
            "remaining": 1,
            "fired": 0,
            "status": 503,
            "message": None,
            "latencyMs": None,
            "drop": False,
            "holdJobs": False,
        }
    }


def test_list_faults_shows_the_callers_rules_oldest_first(admin, account, other_account):
    first = add_fault(admin, account, status=500, method="post", path="/api/v2/parties*")
    second = add_fault(admin, account, latencyMs=5, token=account.read_token, times=3)
    add_fault(admin, other_account, status=502)
    assert listed(admin, account) == [first, second]
    assert (first["method"], second["remaining"]) == ("POST", 3)
    assert second["token"] == "…" + account.read_token[-4:]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/faults"),
        ("POST", "/faults"),
        ("DELETE", "/faults"),
        ("DELETE", "/faults/1"),
        ("POST", "/jobs/release"),
        ("POST", "/jobs/02ae8e16-9199-426c-9984-6362b08f8555/release"),
    ],
)
@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_fault_endpoints_without_a_valid_token_are_401(admin, method, path, token):
    response = admin.request(method, path, token=token, json={"status": 500})
    assert response.status_code == 401
    assert response.json() == {"message": "Requires authentication"}


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({}, "status"),
        ({"drop": False}, "status"),
        ({"status": 500, "drop": True}, "drop"),
        ({"drop": True, "holdJobs": True}, "holdJobs"),
        ({"status": 399}, "status"),
        ({"status": 600}, "status"),
        ({"status": "500"}, "status"),
        ({"status": True}, "status"),
        ({"status": 500, "ratio": -0.1}, "ratio"),
        ({"status": 500, "ratio": 1.5}, "ratio"),
        ({"status": 500, "ratio": "half"}, "ratio"),
        ({"status": 500, "seed": 7}, "seed"),
        ({"status": 500, "times": 0}, "times"),
        ({"status": 500, "path": "parties*"}, "path"),
        ({"status": 500, "path": "/api/v2/[parties"}, "path"),
        ({"status": 500, "path": "/api/v2/part ies"}, "path"),
        ({"status": 500, "method": "GE T"}, "method"),
        ({"latencyMs": 0}, "latencyMs"),
        ({"latencyMs": 60_001}, "latencyMs"),
        ({"drop": True, "message": "cut"}, "message"),
        ({"drop": "yes"}, "drop"),
        ({"status": 500, "colour": "red"}, "colour"),
    ],
)
def test_invalid_fault_rules_are_422_naming_the_field(admin, account, rule, field):
    response = admin.request("POST", "/faults", token=account.token, json=rule)
    assert response.status_code == 422, response.text
    assert field in [error["field"] for error in response.json()["errors"]]
    assert listed(admin, account) == []


def test_a_token_of_another_account_or_an_unknown_token_is_422(admin, account, other_account):
    for token in (other_account.token, "not-a-token"):
        rule = {"status": 500, "token": token}
        response = admin.request("POST", "/faults", token=account.token, json=rule)
        assert response.status_code == 422
        assert response.json()["errors"][0]["message"] == "token is not a token of this account"


def test_a_body_that_is_not_json_is_400(admin, account):
    response = admin.request("POST", "/faults", token=account.token, content=b"{status")
    assert response.status_code == 400


def test_delete_fault_removes_it_and_then_is_404(admin, account):
    rule = add_fault(admin, account, status=500)
    assert admin.request("DELETE", f"/faults/{rule['id']}", token=account.token).status_code == 204
    assert listed(admin, account) == []
    assert account.get("/parties").status_code == 200
    assert admin.request("DELETE", f"/faults/{rule['id']}", token=account.token).status_code == 404


@pytest.mark.parametrize("rule_id", ["abc", "999999999", "-1"])
def test_delete_unknown_fault_is_404(admin, account, rule_id):
    response = admin.request("DELETE", f"/faults/{rule_id}", token=account.token)
    assert response.status_code == 404
    assert response.json() == {"message": "Could not find resource"}


def test_another_accounts_fault_is_404_and_stays(admin, account, other_account):
    rule = add_fault(admin, other_account, status=500)
    response = admin.request("DELETE", f"/faults/{rule['id']}", token=account.token)
    assert response.status_code == 404
    assert listed(admin, other_account) == [rule]


def test_delete_all_faults_removes_only_the_callers(admin, account, other_account):
    add_fault(admin, account, status=500)
    add_fault(admin, account, drop=True, path="/api/v2/tasks")
    kept = add_fault(admin, other_account, status=500)
    assert admin.request("DELETE", "/faults", token=account.token).status_code == 204
    assert listed(admin, account) == []
    assert listed(admin, other_account) == [kept]


# Forced statuses


def test_forced_429_answers_as_the_rate_limiter_does(admin, account):
    add_fault(admin, account, status=429)
    response = account.get("/parties")
    assert response.status_code == 429
    assert response.json() == {"error": "rate limit reached"}
    assert response.headers["X-RateLimit-Limit"] == "100000"
    assert response.headers["X-RateLimit-Remaining"] == "0"
    reset = int(response.headers["X-RateLimit-Reset"])
    assert reset % 3600 == 0 and 0 < reset - time.time() <= 3600
    assert "Retry-After" not in response.headers
    served = account.get("/parties")
    assert served.status_code == 200
    assert served.headers["X-RateLimit-Reset"] == str(reset)


@pytest.mark.parametrize(
    ("status", "body", "header"),
    [
        (400, {"message": "Invalid JSON format"}, None),
        (401, {"message": "Requires authentication"}, "Bearer"),
        (404, {"message": "Could not find resource"}, None),
        (422, {"message": "Validation Failed", "errors": []}, None),
        (500, {"message": "Internal server error"}, None),
        (503, {"message": "Service Unavailable"}, None),
    ],
)
def test_forced_status_carries_capsules_v2_body(admin, account, status, body, header):
    add_fault(admin, account, status=status)
    response = account.get("/parties")
    assert (response.status_code, response.json()) == (status, body)
    if header:
        assert response.headers["WWW-Authenticate"].startswith(header)


def test_forced_status_with_a_message_says_it(admin, account):
    add_fault(admin, account, status=502, message="Upstream unavailable")
    response = account.get("/parties")
    assert (response.status_code, response.json()) == (502, {"message": "Upstream unavailable"})


def test_a_forced_status_on_a_write_changes_nothing(admin, account):
    add_fault(admin, account, status=500, method="POST")
    assert account.post("/parties", PERSON).status_code == 500
    assert account.get("/parties").json()["parties"] == []


def test_forced_429_on_v1_answers_in_v1s_manner(admin, account, v1):
    add_fault(admin, account, status=429, times=2)
    as_json = v1.request("GET", "/party", "json")
    assert as_json.status_code == 429
    assert as_json.json() == {"message": "rate limit reached"}
    assert as_json.headers["X-RateLimit-Remaining"] == "0"
    assert as_json.headers["X-RateLimit-Limit"] == "100000"
    as_xml = v1.request("GET", "/party")
    assert (as_xml.status_code, as_xml.text) == (429, "rate limit reached")
    assert as_xml.headers["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("status", "message"),
    [(401, "Requires authentication"), (422, "Validation Failed"), (503, "Service Unavailable")],
)
def test_forced_status_on_v1_keeps_its_status_with_v1s_body(admin, account, v1, status, message):
    add_fault(admin, account, status=status)
    response = v1.request("GET", "/party", "json")
    assert (response.status_code, response.json()) == (status, {"message": message})
    if status == 401:
        assert response.headers["WWW-Authenticate"] == 'Basic realm="capsule"'


def test_a_forced_status_on_a_v1_write_changes_nothing(admin, account, v1):
    add_fault(admin, account, status=500, path="/api/person")
    document = {"person": {"lastName": "Lovelace"}}
    assert v1.request("POST", "/person", "json", document).status_code == 500
    assert account.get("/parties").json()["parties"] == []


# Latency


def test_latency_alone_delays_the_request_then_serves_it(admin, account):
    add_fault(admin, account, latencyMs=60)
    started = time.perf_counter()
    response = account.get("/parties")
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.06


def test_latency_before_a_status_delays_the_failure(admin, account, v1):
    add_fault(admin, account, latencyMs=40, status=503, times=2)
    for make in (lambda: account.get("/parties"), lambda: v1.request("GET", "/party", "json")):
        started = time.perf_counter()
        assert make().status_code == 503
        assert time.perf_counter() - started >= 0.04


def test_latency_on_v1_serves_the_request(admin, account, v1):
    add_fault(admin, account, latencyMs=30, path="/api/party")
    started = time.perf_counter()
    assert v1.request("GET", "/party", "json").status_code == 200
    assert time.perf_counter() - started >= 0.03


# How often, and which requests


def test_a_rule_fires_for_the_next_times_requests_then_is_gone(admin, account):
    rule = add_fault(admin, account, status=500, times=2)
    assert account.get("/parties").status_code == 500
    assert [(f["id"], f["remaining"], f["fired"]) for f in listed(admin, account)] == [
        (rule["id"], 1, 1)
    ]
    assert statuses(account, 2) == [500, 200]
    assert listed(admin, account) == []


def test_a_seeded_ratio_fires_as_its_seed_draws(admin, account):
    rule = add_fault(admin, account, status=503, ratio=0.5, seed=42)
    seen = statuses(account, 20)
    draws = random.Random(42)
    assert seen == [503 if draws.random() < 0.5 else 200 for _ in range(20)]
    assert 0 < seen.count(503) < 20
    (shown,) = listed(admin, account)
    assert (shown["id"], shown["remaining"], shown["fired"]) == (rule["id"], None, seen.count(503))


def test_the_same_seed_repeats_the_same_failures(admin, account):
    runs = []
    for _ in range(2):
        add_fault(admin, account, status=500, ratio=0.3, seed=7)
        runs.append(statuses(account, 15))
        admin.request("DELETE", "/faults", token=account.token)
    assert runs[0] == runs[1]


def test_ratio_one_always_fires_and_ratio_zero_never(admin, account):
    add_fault(admin, account, status=500, ratio=0, path="/api/v2/tasks")
    add_fault(admin, account, status=503, ratio=1, path="/api/v2/parties")
    assert statuses(account, 3, "/tasks") == [200, 200, 200]
    assert statuses(account, 3) == [503, 503, 503]


def test_times_caps_the_firings_of_a_ratio(admin, account):
    add_fault(admin, account, status=500, ratio=1, times=2)
    assert statuses(account, 3) == [500, 500, 200]
    assert listed(admin, account) == []


def test_method_and_path_narrow_the_requests_a_rule_fires_on(admin, account):
    add_fault(admin, account, status=500, method="post", path="/api/v2/parties*", times=5)
    assert account.get("/parties").status_code == 200
    assert account.post("/tasks", {"task": TASK}).status_code == 201
    assert account.post("/parties", PERSON).status_code == 500
    assert account.post("/parties/1/entries", {"entry": {}}).status_code == 500
    assert listed(admin, account)[0]["remaining"] == 3


def test_a_token_narrows_the_rule_to_requests_carrying_it(admin, account):
    add_fault(admin, account, status=500, token=account.read_token)
    assert account.get("/parties").status_code == 200
    assert account.get("/parties", headers=account.read_headers).status_code == 500


def test_another_account_is_unaffected(admin, account, other_account):
    add_fault(admin, account, status=500, ratio=1)
    assert other_account.get("/parties").status_code == 200
    assert V1(other_account.client, other_account.token).request("GET", "/party").status_code == 200
    assert account.get("/parties").status_code == 500


def test_requests_without_a_valid_token_are_refused_as_usual(admin, account, client):
    add_fault(admin, account, status=503, ratio=1)
    response = client.get("/api/v2/parties", headers={"Authorization": "Bearer nobody"})
    assert response.status_code == 401
    assert client.get("/api/v2/parties").status_code == 401


def test_the_admin_api_is_never_faulted(admin, account):
    add_fault(admin, account, status=503, ratio=1, path="*")
    assert admin.request("GET", "/faults", token=account.token).status_code == 200


def test_rules_are_tried_oldest_first(admin, account):
    add_fault(admin, account, status=502)
    add_fault(admin, account, status=503)
    assert statuses(account, 3) == [502, 503, 200]


def test_a_ratio_rule_that_does_not_fire_leaves_the_request_to_the_next(admin, account):
    add_fault(admin, account, status=500, ratio=0)
    add_fault(admin, account, status=503)
    assert statuses(account, 2) == [503, 200]


# Held jobs


def delete_tag(account):
    body = {"party": {**PERSON["party"], "tags": [{"name": "Old"}]}}
    party = account.post("/parties", body, params={"embed": "tags"})
    tag_id = party.json()["party"]["tags"][0]["id"]
    return account.delete(f"/parties/tags/{tag_id}")


def job_status(account, path):
    return account.get(path).json()["job"]["status"]


def test_a_held_job_stays_pending_until_released(admin, account, engine):
    add_fault(admin, account, holdJobs=True, method="DELETE")
    path = job_path(delete_tag(account))
    run_jobs(engine)
    assert job_status(account, path) == "pending"
    job_id = path.rsplit("/", 1)[1]
    released = admin.request("POST", f"/jobs/{job_id}/release", token=account.token)
    assert released.status_code == 204
    run_jobs(engine)
    assert job_status(account, path) == "completed"


def test_only_the_faulted_requests_jobs_are_held(admin, account, engine):
    add_fault(admin, account, holdJobs=True, method="DELETE")
    held = job_path(delete_tag(account))
    free = job_path(delete_tag(account))
    run_jobs(engine)
    assert (job_status(account, held), job_status(account, free)) == ("pending", "completed")


def test_release_all_lets_every_held_job_of_the_account_run(admin, account, other_account, engine):
    add_fault(admin, account, holdJobs=True, times=2, method="DELETE")
    add_fault(admin, other_account, holdJobs=True, method="DELETE")
    paths = [job_path(delete_tag(account)) for _ in range(2)]
    others = job_path(delete_tag(other_account))
    response = admin.request("POST", "/jobs/release", token=account.token)
    assert response.status_code == 200
    assert response.json() == {"released": [path.rsplit("/", 1)[1] for path in paths]}
    run_jobs(engine)
    assert [job_status(account, path) for path in paths] == ["completed", "completed"]
    assert job_status(other_account, others) == "pending"
    again = admin.request("POST", "/jobs/release", token=account.token)
    assert again.json() == {"released": []}


def test_releasing_another_accounts_or_an_unknown_job_is_404(admin, account, other_account):
    add_fault(admin, other_account, holdJobs=True, method="DELETE")
    job_id = job_path(delete_tag(other_account)).rsplit("/", 1)[1]
    for unknown in (job_id, "02ae8e16-9199-426c-9984-6362b08f8555", "not-a-job"):
        response = admin.request("POST", f"/jobs/{unknown}/release", token=account.token)
        assert response.status_code == 404
    assert job_status(other_account, f"/jobs/{job_id}") == "pending"


def test_releasing_a_job_that_is_not_held_is_204(admin, account):
    job_id = job_path(delete_tag(account)).rsplit("/", 1)[1]
    response = admin.request("POST", f"/jobs/{job_id}/release", token=account.token)
    assert response.status_code == 204


def test_hold_jobs_on_v1_serves_the_request(admin, account, v1):
    rule = add_fault(admin, account, holdJobs=True, path="/api/party")
    response = v1.request("GET", "/party", "json")
    assert response.status_code == 200
    assert rule["id"] not in [f["id"] for f in listed(admin, account)]


# Dropped connections, on a real server


@pytest.fixture
def server(engine, settings) -> Iterator[str]:
    """The sandbox served by uvicorn on a loopback port; yields its base URL."""
    config = uvicorn.Config(
        create_app(settings, engine=engine),
        host="127.0.0.1",
        port=0,
        log_config=None,
        log_level="error",  # so that a test sees what the server reports as an error
    )
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not served.started:  # start-up takes a few milliseconds
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.005)
    port = served.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(10)


def test_a_dropped_request_fails_at_the_client_and_changes_nothing(server, account):
    with httpx.Client(base_url=server, timeout=5) as http:
        bearer = {"Authorization": f"Bearer {account.token}"}
        rule = {"drop": True, "method": "POST"}
        assert http.post("/_pillbox/faults", json=rule, headers=bearer).status_code == 201
        with pytest.raises(httpx.TransportError):
            http.post("/api/v2/parties", json=PERSON, headers=bearer)
        assert http.get("/api/v2/parties", headers=bearer).json()["parties"] == []
        assert http.post("/api/v2/parties", json=PERSON, headers=bearer).status_code == 201


def test_a_dropped_request_fails_each_client_as_a_cut_connection_does(server, account, caplog):
    bearer = {"Authorization": f"Bearer {account.token}"}
    rule = {"drop": True, "method": "GET", "path": "/api/v2/parties", "times": 2}
    assert httpx.post(f"{server}/_pillbox/faults", json=rule, headers=bearer).status_code == 201
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(f"{server}/api/v2/parties", headers=bearer, timeout=5)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{server}/api/v2/parties", headers=bearer, timeout=5)
    assert httpx.get(f"{server}/api/v2/parties", headers=bearer).status_code == 200
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []  # a dropped answer is the point, not a server error


def test_a_dropped_v1_request_fails_at_the_client(server, account):
    with httpx.Client(base_url=server, timeout=5) as http:
        bearer = {"Authorization": f"Bearer {account.token}"}
        rule = {"drop": True, "path": "/api/party", "latencyMs": 10}
        assert http.post("/_pillbox/faults", json=rule, headers=bearer).status_code == 201
        basic = httpx.BasicAuth(account.token, "x")
        with pytest.raises(httpx.TransportError):
            http.get("/api/party", auth=basic)
        assert http.get("/api/party", auth=basic).status_code == 200
        journal = http.get("/_pillbox/journal", headers=bearer).json()["requests"]
        assert [(r["path"], r["status"]) for r in journal] == [
            ("/api/party", 200),
            ("/api/party", None),
        ]
