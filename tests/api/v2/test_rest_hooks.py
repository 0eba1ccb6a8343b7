"""REST hooks (/resthooks): subscriptions, and deliveries to a real HTTP receiver on loopback."""

import hashlib
import hmac
import http.server
import threading
import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from pillbox.api.database import Database
from pillbox.app import create_app
from pillbox.deliveries import LEASE_SECONDS, RETRY_DELAYS, post_anywhere
from pillbox.domain import hooks
from pillbox.settings import Settings
from pillbox.store import hooks as hook_store
from pillbox.store.engine import WRITE
from pillbox.worker import Worker
from tests.api.v2.checks import add_user, errors_of
from tests.conftest import Account, make_account, run_async


class Receiver:
    """An HTTP server on loopback that records what it is sent and answers as told."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answers: list[int] = []  # statuses to answer, in turn; then 200
        self.location: str | None = None  # a Location header to answer with
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self) -> list[dict[str, Any]]:
        return [orjson.loads(request["body"]) for request in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """These tests deliver to a receiver on loopback, which hooks may reach only when allowed."""
    return settings.model_copy(update={"hooks_allow_private": True})


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


class Clock:
    """The real time, moved on by `offset` seconds: changes are stamped with the real time."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def worker(engine, clock) -> Iterator[Worker]:
    runner = Worker(engine, clock=clock, hook_timeout=5, send=post_anywhere)
    yield runner
    runner.stop()


def subscribe(account: Account, event: str, url: str, **extra: Any) -> dict[str, Any]:
    body = {"restHook": {"event": event, "targetUrl": url, **extra}}
    response = account.post("/resthooks", body)
    assert response.status_code == 201, response.text
    return response.json()["restHook"]


def new_party(account: Account, name: str = "Acme") -> dict[str, Any]:
    body = {"party": {"type": "organisation", "name": name, "tags": [{"name": "VIP"}]}}
    return account.post("/parties", body).json()["party"]


def deliveries(account: Account, hook: dict[str, Any]) -> list[dict[str, Any]]:
    response = account.get(f"/resthooks/{hook['id']}/deliveries")
    assert response.status_code == 200, response.text
    return list(response.json()["deliveries"])


def test_subscribing_answers_the_hook_with_its_secret(account, receiver):
    response = account.post(
        "/resthooks",
        {"restHook": {"event": "party/created", "targetUrl": receiver.url, "description": "CRM"}},
    )
    assert response.status_code == 201
    hook = response.json()["restHook"]
    assert list(hook) == [
        "id",
        "user",
        "clientId",
        "description",
        "event",
        "targetUrl",
        "embed",
        "batched",
        "createdAt",
        "updatedAt",
        "secret",
    ]
    assert (hook["event"], hook["targetUrl"], hook["batched"]) == (
        "party/created",
        receiver.url,
        True,
    )
    assert hook["user"]["id"] == account.user_id
    assert len(hook["secret"]) == 64
    assert response.headers["Location"].endswith(f"/api/v2/resthooks/{hook['id']}")
    assert account.get("/resthooks").json() == {"restHooks": [hook]}
    assert account.delete(f"/resthooks/{hook['id']}").status_code == 204
    assert account.get(f"/resthooks/{hook['id']}").status_code == 404


def test_event_and_target_url_are_checked(account):
    unknown = account.post(
        "/resthooks", {"restHook": {"event": "party/renamed", "targetUrl": "https://x.example/"}}
    )
    assert errors_of(unknown)[0] == {
        "message": "event is not a known event",
        "resource": "restHook",
        "field": "event",
    }
    for url in (None, "", "ftp://x.example/", "not a url", "https://"):
        response = account.post(
            "/resthooks", {"restHook": {"event": "task/created", "targetUrl": url}}
        )
        assert errors_of(response)[0]["field"] == "targetUrl", url
    bad_embed = account.post(
        "/resthooks",
        {"restHook": {"event": "task/created", "targetUrl": "https://x.example/", "embed": "tags"}},
    )
    assert errors_of(bad_embed)[0]["field"] == "embed"


def test_only_administrators_manage_and_see_hooks(account, engine, receiver):
    hook = subscribe(account, "party/created", receiver.url)
    _, headers = add_user(engine, account, "Val Viewer", "val")
    for method, path in [
        ("POST", "/resthooks"),
        ("GET", "/resthooks"),
        ("GET", f"/resthooks/{hook['id']}"),
        ("DELETE", f"/resthooks/{hook['id']}"),
        ("GET", f"/resthooks/{hook['id']}/deliveries"),
    ]:
        body = {"restHook": {"event": "party/created", "targetUrl": receiver.url}}
        response = account.request(method, path, headers=headers, json=body)
        assert (response.status_code, response.json()) == (
            403,
            {"message": "Requires additional scope"},
        ), (method, path)


def test_an_account_has_at_most_twenty_hooks_by_default(account, receiver):
    for _ in range(hooks.DEFAULT_MAX_HOOKS):
        subscribe(account, "party/created", receiver.url)
    refused = account.post(
        "/resthooks", {"restHook": {"event": "party/created", "targetUrl": receiver.url}}
    )
    assert errors_of(refused)[0]["message"] == "an account has at most 20 REST hooks"


def test_the_hook_limit_is_configurable(engine, tmp_path, receiver):
    settings = Settings(
        database_url="sqlite://",
        run_worker=False,
        max_rest_hooks=1,
        attachments_dir=str(tmp_path),
        hooks_allow_private=True,
    )
    with TestClient(create_app(settings, engine=engine), base_url="http://pillbox.test") as client:
        account = make_account(engine, client)
        subscribe(account, "party/created", receiver.url)
        second = account.post(
            "/resthooks", {"restHook": {"event": "party/updated", "targetUrl": receiver.url}}
        )
        assert errors_of(second)[0]["message"] == "an account has at most 1 REST hooks"
    hooks.set_max_hooks(hooks.DEFAULT_MAX_HOOKS)


def test_a_change_is_delivered_signed_with_the_record_as_shown(account, receiver, worker, clock):
    hook = subscribe(account, "party/created", receiver.url, embed="tags")
    party = new_party(account)
    assert worker.run_pending() == 0  # no jobs; the delivery went out with them
    (request,) = receiver.requests
    shown = account.get(f"/parties/{party['id']}?embed=tags").json()["party"]
    assert orjson.loads(request["body"]) == {"event": "party/created", "payload": [shown]}
    headers = request["headers"]
    assert headers["Content-Type"] == "application/json"
    timestamp, signature = (
        part.split("=", 1)[1] for part in headers["X-Pillbox-Signature"].split(",")
    )
    expected = hmac.new(
        hook["secret"].encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(signature, expected)
    assert abs(int(timestamp) - clock()) < 2
    (logged,) = deliveries(account, hook)
    assert (logged["status"], logged["attempts"], logged["responseStatus"]) == ("delivered", 1, 200)
    assert logged["event"] == "party/created" and logged["recordId"] == party["id"]
    assert headers["X-Pillbox-Delivery"] == str(logged["id"])


def test_only_subscribed_events_are_delivered(account, receiver, worker):
    subscribe(account, "party/deleted", receiver.url)
    party = new_party(account)
    account.put(f"/parties/{party['id']}", {"party": {"about": "changed"}})
    worker.run_pending()
    assert receiver.requests == []
    account.delete(f"/parties/{party['id']}")
    worker.run_pending()
    assert receiver.events() == [{"event": "party/deleted", "payload": [{"id": party["id"]}]}]


def test_a_failed_delivery_is_retried_with_backoff_and_later_ones_wait_in_order(
    account, receiver, worker, clock
):
    hook = subscribe(account, "party/updated", receiver.url)
    party = new_party(account)
    for about in ("one", "two", "three"):
        account.put(f"/parties/{party['id']}", {"party": {"about": about}})
    receiver.answers = [500]
    worker.run_pending()
    assert len(receiver.requests) == 1  # the others wait behind the one that failed
    first = deliveries(account, hook)[-1]
    assert (first["status"], first["attempts"], first["responseStatus"]) == ("pending", 1, 500)
    clock.offset += RETRY_DELAYS[0] * 0.8
    worker.run_pending()
    assert len(receiver.requests) == 1  # not yet: 5 s, give or take 10%
    clock.offset += RETRY_DELAYS[0] * 0.4
    worker.run_pending()
    sent = [int(request["headers"]["X-Pillbox-Delivery"]) for request in receiver.requests]
    assert sent == [first["id"], first["id"], first["id"] + 1, first["id"] + 2]
    assert [d["status"] for d in deliveries(account, hook)] == ["delivered"] * 3


def test_a_delivery_fails_after_its_retries_and_can_be_sent_again(account, receiver, worker, clock):
    hook = subscribe(account, "party/created", receiver.url)
    new_party(account)
    receiver.answers = [503] * (len(RETRY_DELAYS) + 1)
    for _ in range(len(RETRY_DELAYS) + 1):
        worker.run_pending()
        clock.offset += 1000
    (failed,) = deliveries(account, hook)
    assert (failed["status"], failed["attempts"]) == ("failed", len(RETRY_DELAYS) + 1)
    path = f"/resthooks/{hook['id']}/deliveries/{failed['id']}/redeliver"
    assert account.post(path, None).status_code == 204
    worker.run_pending()
    (again,) = deliveries(account, hook)
    assert (again["status"], again["responseStatus"]) == ("delivered", 200)
    assert (
        account.post(f"/resthooks/{hook['id']}/deliveries/999999/redeliver", None).status_code
        == 404
    )


def test_a_target_answering_410_unsubscribes_its_hook(account, receiver, worker):
    hook = subscribe(account, "party/created", receiver.url)
    new_party(account)
    receiver.answers = [410]
    worker.run_pending()
    assert account.get(f"/resthooks/{hook['id']}").status_code == 404
    new_party(account, "Another")
    worker.run_pending()
    assert len(receiver.requests) == 1


def test_an_unreachable_target_is_retried(account, worker, clock):
    hook = subscribe(account, "party/created", "http://127.0.0.1:9/nothing-listens-here")
    new_party(account)
    worker.run_pending()
    (pending,) = deliveries(account, hook)
    assert (pending["status"], pending["responseStatus"]) == ("pending", None)
    assert pending["error"]


def test_a_rolled_back_change_queues_nothing_and_wakes_no_one(account, engine):
    hook = subscribe(account, "party/created", "https://receiver.example/")
    woken: list[bool] = []
    db = Database(engine, on_queued=lambda: woken.append(True))

    def change_then_fail(conn: sa.Connection) -> None:
        hooks.emit(conn, account.id, "party/created", 1)
        raise RuntimeError("the change fails after its event was queued")

    with pytest.raises(RuntimeError):
        run_async(db.write(change_then_fail))
    run_async(db.write(lambda conn: None))
    db.close()
    table = hook_store.hook_deliveries
    with engine.connect() as conn:
        queued = conn.scalar(sa.select(sa.func.count()).where(table.c.hook_id == hook["id"]))
    assert (queued, woken) == (0, [])


def test_deliveries_claimed_by_a_worker_that_died_are_sent_once_its_lease_lapses(
    account, engine, receiver, clock
):
    subscribe(account, "party/created", receiver.url)
    new_party(account)
    with engine.begin() as conn:  # a worker takes the delivery, then dies before sending it
        assert len(hook_store.claim_due(conn, clock(), LEASE_SECONDS, 10)) == 1
    restarted = Worker(engine, clock=clock, send=post_anywhere)
    restarted.run_pending()
    assert receiver.requests == []
    clock.offset += LEASE_SECONDS + 1
    restarted.run_pending()
    assert len(receiver.requests) == 1
    restarted.stop()


@pytest.mark.parametrize(
    ("event", "change"),
    [
        ("opportunity/moved", "milestone"),
        ("opportunity/closed", "won"),
        ("kase/closed", "close"),
        ("kase/moved", "stage"),
        ("task/completed", "complete"),
        ("user/updated", "user"),
    ],
)
def test_record_events_fire_on_their_changes(account, receiver, worker, event, change):
    hook = subscribe(account, event, receiver.url)
    party = new_party(account)
    milestones = {m["name"]: m["id"] for m in account.get("/milestones").json()["milestones"]}
    stage = account.get("/stages").json()["stages"][1]["id"]
    if event.startswith("opportunity"):
        body = {"name": "Deal", "party": party["id"], "milestone": milestones["New"]}
        record = account.post("/opportunities", {"opportunity": body}).json()["opportunity"]
        target = milestones["Bid"] if change == "milestone" else milestones["Won"]
        account.put(f"/opportunities/{record['id']}", {"opportunity": {"milestone": target}})
    elif event.startswith("kase"):
        record = account.post("/kases", {"kase": {"name": "Job", "party": party["id"]}}).json()[
            "kase"
        ]
        values = {"status": "CLOSED"} if change == "close" else {"stage": stage}
        account.put(f"/kases/{record['id']}", {"kase": values})
    elif event.startswith("task"):
        body = {"description": "Call", "dueOn": "2030-01-01", "party": party["id"]}
        record = account.post("/tasks", {"task": body}).json()["task"]
        account.put(f"/tasks/{record['id']}", {"task": {"status": "COMPLETED"}})
    else:
        record = {"id": account.user_id}
        account.put(f"/users/{account.user_id}", {"user": {"locale": "en_GB"}})
    worker.run_pending()
    (sent,) = receiver.events()
    assert sent["event"] == event
    assert sent["payload"][0]["id"] == record["id"]
    assert deliveries(account, hook)[0]["status"] == "delivered"


def test_the_server_delivers_within_a_second_by_itself(engine, tmp_path, receiver):
    settings = Settings(
        database_url="sqlite://", attachments_dir=str(tmp_path), hooks_allow_private=True
    )
    with TestClient(create_app(settings, engine=engine), base_url="http://pillbox.test") as client:
        account = make_account(engine, client)
        subscribe(account, "party/created", receiver.url)
        started = time.monotonic()
        new_party(account)
        while not receiver.requests:
            assert time.monotonic() - started < 1.0, "no delivery within a second"
            time.sleep(0.01)


def test_another_accounts_hooks_are_not_found(account, other_account, receiver):
    hook = subscribe(account, "party/created", receiver.url)
    for method, path in [
        ("GET", f"/resthooks/{hook['id']}"),
        ("DELETE", f"/resthooks/{hook['id']}"),
        ("GET", f"/resthooks/{hook['id']}/deliveries"),
    ]:
        assert other_account.request(method, path).status_code == 404
    assert other_account.get("/resthooks").json() == {"restHooks": []}
    new_party(other_account)  # another account's change is not delivered to this hook
    assert deliveries(account, hook) == []


def test_a_batch_of_deliveries_is_recorded_in_one_write_transaction(
    account, engine, receiver, worker
):
    subscribe(account, "party/created", receiver.url)
    for n in range(5):
        new_party(account, f"Batch {n}")
    writes: list[bool] = []

    def began(conn: sa.Connection) -> None:
        writes.append(bool(conn.get_execution_options().get(WRITE, False)))

    sa.event.listen(engine, "begin", began)
    try:
        worker.deliverer.run_due()
    finally:
        sa.event.remove(engine, "begin", began)
    assert len(receiver.requests) == 5
    assert writes.count(True) == 3  # the claim, the five answers, the claim that found none
