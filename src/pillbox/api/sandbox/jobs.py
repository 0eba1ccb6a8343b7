"""Releasing the jobs a `holdJobs` fault rule held back (api/sandbox/faults.py).

- `POST /_pillbox/jobs/{id}/release` → 204: that job of the caller's account may run (a job
  that was not held is left as it is); an unknown job is a 404.
- `POST /_pillbox/jobs/release` → `{"released": [id, …]}`: every held job of the account.

Either wakes the worker, so a released job runs at once in a server with its own worker.
"""

from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.sandbox.http import Route, answer, caller
from pillbox.errors import NotFound
from pillbox.store import jobs as job_store


async def release_job(request: Request) -> Response:
    who = await caller(request)
    db, job_id = request.app.state.db, request.path_params["id"]
    if await db.read(job_store.find_job, who.account_id, job_id) is None:
        raise NotFound()
    if await db.write(job_store.release_jobs, who.account_id, job_id):
        request.app.state.wake_worker()
    return Response(status_code=204)


async def release_jobs(request: Request) -> Response:
    who = await caller(request)
    released = await request.app.state.db.write(job_store.release_jobs, who.account_id)
    if released:
        request.app.state.wake_worker()
    return answer({"released": released})


def routes() -> list[Route]:
    return [
        ("POST", "/jobs/release", release_jobs),
        ("POST", "/jobs/{id}/release", release_job),
    ]
