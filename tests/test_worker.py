"""The job worker: jobs run to the end, survive a crash mid-job, and fail visibly."""

import time

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from pillbox import worker as worker_module
from pillbox.app import create_app
from pillbox.domain.tags import DELETE_TAG_JOB
from pillbox.settings import Settings
from pillbox.worker import MAX_ATTEMPTS, Worker
from tests.api.v2.checks import job_path
from tests.conftest import make_account


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Crash(BaseException):
    """Stands for the process dying: nothing in the worker catches it."""


@pytest.fixture
def tag_on_five_parties(account, engine):
    Worker(engine).run_pending()  # PostgreSQL tests share a schema: finish others' jobs first
    for n in range(5):
        body = {"type": "person", "lastName": f"P{n}", "tags": [{"name": "Doomed"}]}
        assert account.post("/parties", {"party": body}).status_code == 201
    return account.get("/parties/tags").json()["tags"][0]["id"]


def attachments(engine, tag_id: int) -> int:
    with engine.connect() as conn:
        query = sa.text("SELECT count(*) FROM record_tags WHERE tag_id = :t")
        return int(conn.execute(query, {"t": tag_id}).scalar_one())


def test_progress_is_saved_after_every_batch(account, engine, tag_on_five_parties, monkeypatch):
    seen: list[int] = []
    record = worker_module.store.record_progress

    def spy(conn, job_id, progress, locked_until):
        seen.append(progress)
        record(conn, job_id, progress, locked_until)

    monkeypatch.setattr(worker_module.store, "record_progress", spy)
    response = account.delete(f"/parties/tags/{tag_on_five_parties}")
    Worker(engine, batch=2).run_pending()
    assert seen == [40, 80]
    assert account.get(job_path(response)).json()["job"]["progress"] == 100


def test_a_job_cut_short_by_a_crash_is_taken_over_once_its_lease_lapses(
    account, engine, tag_on_five_parties, monkeypatch
):
    tag_id = tag_on_five_parties
    response = account.delete(f"/parties/tags/{tag_id}")
    real_step, calls = worker_module.STEPS[DELETE_TAG_JOB], []

    def dies_on_the_second_batch(conn, target_id, batch):
        calls.append(target_id)
        if len(calls) == 2:
            raise Crash
        return real_step(conn, target_id, batch)

    monkeypatch.setitem(worker_module.STEPS, DELETE_TAG_JOB, dies_on_the_second_batch)
    clock = Clock()
    with pytest.raises(Crash):
        Worker(engine, batch=2, lease_seconds=60, clock=clock).run_pending()
    job = account.get(job_path(response)).json()["job"]
    assert (job["status"], job["progress"]) == ("running", 40)
    assert attachments(engine, tag_id) == 3  # the first batch stays done, the second rolled back

    monkeypatch.setitem(worker_module.STEPS, DELETE_TAG_JOB, real_step)
    clock.now += 30  # the dead worker's lease still holds
    Worker(engine, batch=2, clock=clock).run_pending()
    assert account.get(job_path(response)).json()["job"]["status"] == "running"
    clock.now += 31
    Worker(engine, batch=2, clock=clock).run_pending()
    assert account.get(job_path(response)).json()["job"] == {
        **job,
        "status": "completed",
        "progress": 100,
    }
    assert attachments(engine, tag_id) == 0


def test_a_job_that_keeps_failing_is_retried_then_marked_failed(
    account, engine, tag_on_five_parties, monkeypatch
):
    def broken(conn, target_id, batch):
        raise RuntimeError("disk full")

    monkeypatch.setitem(worker_module.STEPS, DELETE_TAG_JOB, broken)
    response = account.delete(f"/parties/tags/{tag_on_five_parties}")
    clock = Clock()
    for _ in range(MAX_ATTEMPTS):
        Worker(engine, clock=clock).run_pending()
        assert account.get(job_path(response)).json()["job"]["status"] == "running"
        clock.now += 301  # past the longest back-off
    Worker(engine, clock=clock).run_pending()
    assert account.get(job_path(response)).json()["job"]["status"] == "failed"
    with engine.connect() as conn:
        job_id = job_path(response).rsplit("/", 1)[1]
        error = conn.execute(sa.text("SELECT error FROM jobs WHERE id = :id"), {"id": job_id})
        assert error.scalar_one() == "RuntimeError: disk full"
    assert attachments(engine, tag_on_five_parties) == 5  # nothing half-done: nothing done


def test_two_workers_never_hold_the_same_job(account, engine):
    tag = account.post("/parties/tags", {"tag": {"name": "Once"}}).json()["tag"]
    account.delete(f"/parties/tags/{tag['id']}")
    clock = Clock()
    with engine.begin() as conn:
        first = worker_module.store.claim_job(conn, clock(), 60)
    with engine.begin() as conn:
        second = worker_module.store.claim_job(conn, clock(), 60)
    assert first is not None
    assert second is None or second.id != first.id


def test_the_server_runs_jobs_itself_by_default(engine):
    settings = Settings(database_url="sqlite://", rate_limit_per_hour=100_000)
    assert settings.run_worker
    with TestClient(create_app(settings, engine=engine), base_url="http://pillbox.test") as client:
        account = make_account(engine, client)
        tag = account.post("/parties/tags", {"tag": {"name": "Background"}}).json()["tag"]
        path = job_path(account.delete(f"/parties/tags/{tag['id']}"))
        deadline = time.monotonic() + 10
        while account.get(path).json()["job"]["status"] != "completed":
            assert time.monotonic() < deadline, "the in-process worker did not finish the job"
            time.sleep(0.02)


def test_finished_jobs_are_forgotten_after_a_week(account, engine):
    tag = account.post("/parties/tags", {"tag": {"name": "Old news"}}).json()["tag"]
    path = job_path(account.delete(f"/parties/tags/{tag['id']}"))
    Worker(engine).run_pending()
    assert account.get(path).json()["job"]["status"] == "completed"
    Worker(engine, clock=Clock(time.time() + 6 * 24 * 3600)).purge_finished()
    assert account.get(path).status_code == 200
    Worker(engine, clock=Clock(time.time() + 8 * 24 * 3600)).purge_finished()
    assert account.get(path).status_code == 404


def test_a_stopping_worker_gives_its_job_back_and_the_next_takes_it_at_once(
    account, engine, tag_on_five_parties, monkeypatch
):
    tag_id = tag_on_five_parties
    response = account.delete(f"/parties/tags/{tag_id}")
    real_step = worker_module.STEPS[DELETE_TAG_JOB]

    def asked_to_stop_during_the_first_batch(conn, target_id, batch):
        stopping.stop()  # as SIGTERM does: the step under way still commits
        return real_step(conn, target_id, batch)

    monkeypatch.setitem(worker_module.STEPS, DELETE_TAG_JOB, asked_to_stop_during_the_first_batch)
    stopping = Worker(engine, batch=2, clock=Clock())  # a worker takes its steps when made
    assert stopping.run_one()
    job = account.get(job_path(response)).json()["job"]
    assert (job["status"], job["progress"]) == ("running", 40)
    monkeypatch.setitem(worker_module.STEPS, DELETE_TAG_JOB, real_step)
    Worker(engine, batch=2, clock=Clock()).run_pending()  # no lease to wait out
    job = account.get(job_path(response)).json()["job"]
    assert (job["status"], job["progress"]) == ("completed", 100)
    assert attachments(engine, tag_id) == 0
    with engine.connect() as conn:
        query = sa.text("SELECT attempts FROM jobs WHERE id = :id")
        assert conn.execute(query, {"id": job["id"]}).scalar_one() == 1  # the stop did not count
