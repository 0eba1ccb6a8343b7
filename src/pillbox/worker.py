"""The job worker: runs scheduled long-running operations (tag and field deletions) to the end,
and sends REST hook deliveries (`pillbox.deliveries`).

The server runs one in a background thread by default; `pillbox worker` runs one on its own.
Each step of a job removes one batch of rows and records its progress in the same transaction,
under a lease. If the process dies mid-job, the lease lapses and a worker carries on from the last
committed step; a job that keeps failing is marked `failed`, with the error, after MAX_ATTEMPTS.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from pillbox import clock as clock_module
from pillbox import metrics, timestamps
from pillbox.deliveries import Deliverer, Send, post
from pillbox.domain import field_definitions, tags
from pillbox.domain.entries import upload_cut_off
from pillbox.store import entries as entry_store
from pillbox.store import jobs as store
from pillbox.store.engine import WRITE
from pillbox.store.files import FileStore

log = logging.getLogger("pillbox.worker")

# kind -> step(conn, target id, batch size) -> rows still to remove (0: finished)
Step = Callable[[sa.Connection, int, int], int]
STEPS: dict[str, Step] = {
    tags.DELETE_TAG_JOB: tags.delete_tag_step,
    field_definitions.DELETE_DEFINITION_JOB: field_definitions.delete_definition_step,
}
MAX_ATTEMPTS = 5
KEEP_FINISHED_SECONDS = 7 * 24 * 3600  # how long `/jobs/{id}` still answers after the end
PURGE_EVERY_SECONDS = 3600


class Worker:
    def __init__(
        self,
        engine: sa.Engine,
        *,
        batch: int = 500,
        lease_seconds: float = 60.0,
        poll_seconds: float = 2.0,
        clock: Callable[[], float] = clock_module.epoch,
        files: FileStore | None = None,
        hook_timeout: float = 10.0,
        send: Send = post,
    ) -> None:
        self.engine = engine
        self.files = files
        self.deliverer = Deliverer(engine, timeout=hook_timeout, clock=clock, send=send)
        self.batch = batch
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _transaction(self) -> Any:
        return self.engine.connect().execution_options(**{WRITE: True})

    def run_one(self) -> bool:
        """Claims one job and runs it to its end; False when no job was waiting."""
        with self._transaction() as conn, conn.begin():
            job = store.claim_job(conn, self.clock(), self.lease_seconds)
        if job is None:
            return False
        if job.attempts > MAX_ATTEMPTS:
            with self._transaction() as conn, conn.begin():
                store.end_job(conn, job.id, store.FAILED, job.error or "gave up after retries")
            log.error("job %s (%s) failed: %s", job.id, job.kind, job.error)
            metrics.JOBS.labels("failed").inc()
            return True
        try:
            self._run_steps(job)
        except Exception as error:  # a failed step rolled back; the job is retried later
            log.exception("job %s (%s) step failed", job.id, job.kind)
            with self._transaction() as conn, conn.begin():
                retry_at = self.clock() + min(2**job.attempts, 300)
                store.retry_later(conn, job.id, retry_at, f"{type(error).__name__}: {error}")
        return True

    def _run_steps(self, job: Any) -> None:
        step = STEPS[job.kind]
        while not self._stop.is_set():
            with self._transaction() as conn, conn.begin():
                remaining = step(conn, job.target_id, self.batch)
                if remaining == 0:
                    store.end_job(conn, job.id, store.COMPLETED)
                    metrics.JOBS.labels("completed").inc()
                    log.info(
                        "job %s (%s) completed",
                        job.id,
                        job.kind,
                        extra={"event": "job", "job_id": job.id, "outcome": "completed"},
                    )
                    return
                done = max(job.total - remaining, 0)
                progress = min(99, done * 100 // job.total) if job.total else 0
                store.record_progress(conn, job.id, progress, self.clock() + self.lease_seconds)
        with self._transaction() as conn, conn.begin():  # stopping: another worker carries on
            store.release_job(conn, job.id)
        log.info(
            "job %s (%s) released",
            job.id,
            job.kind,
            extra={"event": "job", "job_id": job.id, "outcome": "released"},
        )

    def run_pending(self) -> int:
        """Sends the REST hook deliveries due, runs every job that can be claimed now, then
        removes files nothing refers to any more; returns how many jobs were taken."""
        self.deliverer.run_due()
        count = 0
        while self.run_one():
            count += 1
        self.remove_orphan_files()
        return count

    def remove_orphan_files(self) -> int:
        """Deletes the stored files of deleted attachments and expired uploads."""
        if self.files is None:
            return 0
        removed = 0
        while True:
            with self._transaction() as conn, conn.begin():
                keys = entry_store.orphans(conn, self.batch)
                for key in keys:
                    self.files.delete(key)
                if keys:
                    entry_store.forget_orphans(conn, keys)
            removed += len(keys)
            if len(keys) < self.batch:
                return removed

    # -- in the background ---------------------------------------------------------------------

    def wake(self) -> None:
        """A job was just scheduled: look now rather than at the next poll."""
        self._wake.set()

    def purge_finished(self) -> int:
        """Forgets jobs that ended more than KEEP_FINISHED_SECONDS ago, and lets uploads that
        were never attached expire (their files go with the next orphan sweep)."""
        before = timestamps.format_epoch(self.clock() - KEEP_FINISHED_SECONDS)
        with self._transaction() as conn, conn.begin():
            entry_store.expire_uploads(conn, upload_cut_off(self.clock()))
            purged = store.purge_finished(conn, before)
        return purged + self.deliverer.purge()

    def run_forever(self) -> None:
        next_purge = self.clock()
        while not self._stop.is_set():
            try:
                if self.clock() >= next_purge:
                    self.purge_finished()
                    next_purge = self.clock() + PURGE_EVERY_SECONDS
                self.run_pending()
            except Exception:  # the database went away, say: keep polling
                log.exception("worker loop")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run_forever, name="pillbox-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Finishes or gives back what is under way: a job's current step commits, then the job
        is released; REST hook deliveries being sent finish, claimed ones not begun are freed."""
        self._stop.set()
        self.deliverer.stop_taking()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.deliverer.close()
