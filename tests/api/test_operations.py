"""Health, readiness, metrics, request ids and request logs: what operators see."""

import logging
import re

import orjson
import pytest
from alembic import command
from starlette.testclient import TestClient

from pillbox.app import create_app
from pillbox.logs import JsonLines
from pillbox.store import migrate


def test_health_answers_without_a_token(client):
    response = client.get("/_health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_ready_checks_database_schema_and_files(client):
    response = client.get("/_ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "schema": "ok", "files": "ok"},
    }


def test_ready_is_503_when_the_schema_falls_behind(settings, engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("downgrades a database of its own")
    app = create_app(settings, engine=engine)
    with TestClient(app) as client:
        command.downgrade(migrate.alembic_config(engine), "0013")
        response = client.get("/_ready")
    assert response.status_code == 503
    assert response.json()["checks"]["schema"] == "not at the latest migration"


def test_ready_is_503_when_the_file_store_is_unreachable(settings, engine, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    app = create_app(settings.model_copy(update={"attachments_dir": str(blocked)}), engine=engine)
    with TestClient(app) as client:
        response = client.get("/_ready")
    assert response.status_code == 503
    assert response.json()["checks"]["files"] == "unreachable"
    assert str(blocked) not in response.text  # nothing about the setup is revealed


def test_a_sane_request_id_is_echoed_and_others_are_replaced(account):
    given = account.get("/users/current", headers={"X-Request-Id": "abc-123.x"})
    assert given.headers["X-Request-Id"] == "abc-123.x"
    odd = account.get("/users/current", headers={"X-Request-Id": "no spaces <please>"})
    made = odd.headers["X-Request-Id"]
    assert made != "no spaces <please>" and len(made) == 32
    assert account.get("/users/current").headers["X-Request-Id"] != made


def test_each_request_is_one_log_line_with_its_route_template_and_account(account, caplog):
    party = account.post("/parties", {"party": {"type": "person", "lastName": "Secret"}}).json()
    with caplog.at_level(logging.INFO, logger="pillbox.request"):
        account.get(f"/parties/{party['party']['id']}", headers={"X-Request-Id": "r-1"})
    (record,) = [r for r in caplog.records if r.name == "pillbox.request"]
    line = orjson.loads(JsonLines().format(record))
    assert {k: line[k] for k in ("request_id", "method", "route", "status", "account_id")} == {
        "request_id": "r-1",
        "method": "GET",
        "route": "/api/v2/parties/{ids}",
        "status": 200,
        "account_id": account.id,
    }
    text = JsonLines().format(record)
    assert "Secret" not in text and account.token not in text
    assert str(party["party"]["id"]) not in line["route"]


def test_api_v1_requests_log_their_route_template(account, caplog):
    with caplog.at_level(logging.INFO, logger="pillbox.request"):
        account.client.get("/api/party", auth=(account.token, "x"))
    (record,) = [r for r in caplog.records if r.name == "pillbox.request"]
    assert (record.route, record.status) == ("/api/party", 200)


def test_metrics_are_off_by_default(client):
    assert client.get("/_metrics").status_code == 404


@pytest.fixture
def metered(settings, engine):
    update = {"metrics": True, "metrics_token": "scrape-me"}
    app = create_app(settings.model_copy(update=update), engine=engine)
    with TestClient(app, base_url="http://pillbox.test") as client:
        yield client


def test_metrics_count_requests_by_route_template_behind_their_token(metered, engine):
    from tests.conftest import make_account

    account = make_account(engine, metered)
    for _ in range(3):
        account.get("/parties")
    tagged = {"type": "person", "lastName": "T", "tags": [{"name": "Old"}]}
    account.post("/parties", {"party": tagged})
    tag_id = account.get("/parties/tags").json()["tags"][0]["id"]
    assert account.delete(f"/parties/tags/{tag_id}").status_code == 202  # a job, left pending
    assert metered.get("/_metrics").status_code == 401
    response = metered.get("/_metrics", headers={"Authorization": "Bearer scrape-me"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    body = response.text
    assert 'pillbox_requests_total{method="GET",route="/api/v2/parties",status="200"}' in body
    assert "pillbox_request_duration_seconds_bucket" in body
    # Jobs are counted across the database, which other tests' accounts share on PostgreSQL:
    # this account's job is among them.
    pending = re.search(r'^pillbox_jobs\{status="pending"\} ([0-9.]+)$', body, re.MULTILINE)
    assert pending is not None and float(pending[1]) >= 1
    assert "pillbox_job_oldest_pending_age_seconds " in body
    assert "pillbox_db_connections_in_use" in body
    assert "pillbox_rate_limit_refusals_total" in body
    assert "pillbox_sign_in_failures_total" in body


def _value(counter) -> float:
    return next(s.value for m in counter.collect() for s in m.samples if s.name.endswith("_total"))


def test_wrong_passwords_and_429s_are_counted(metered, engine, settings):
    from pillbox import metrics
    from pillbox.domain.passwords import password_matches
    from tests.conftest import make_account

    failures = _value(metrics.SIGN_IN_FAILURES)
    assert not password_matches(None, "guess")
    assert _value(metrics.SIGN_IN_FAILURES) == failures + 1

    limited = settings.model_copy(update={"metrics": True, "rate_limit_per_hour": 2})
    with TestClient(create_app(limited, engine=engine), base_url="http://pillbox.test") as client:
        account = make_account(engine, client)
        refused = _value(metrics.RATE_LIMITED)
        statuses = [account.get("/users/current").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert _value(metrics.RATE_LIMITED) == refused + 1
