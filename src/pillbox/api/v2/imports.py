"""/api/v2/imports (a Pillbox extension): a CSV import run as a job, watched at /jobs/{id}.

The request body is the CSV file itself; `type`, `match` and `map` are query parameters with
the meaning of `pillbox import csv`'s options. The answer is 202 with the job's address.
"""

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit import Endpoint
from pillbox.api.kit.paging import base_url
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.kit.responses import accepted
from pillbox.api.v2.attachments import save_body
from pillbox.errors import ValidationFailed
from pillbox.store.accounts import Principal
from pillbox.store.files import FileStore, local_copy
from pillbox.transfer import csv_files, importer
from pillbox.transfer.context import Context
from pillbox.transfer.plan import (
    ENTITIES,
    MATCHES,
    ImportRefused,
    Options,
    make_plan,
    parse_mapping,
)

RESOURCE = "import"
REJECTS_SHOWN = 1000  # refused rows listed in the job's answer (all are counted)


def _options(request: Request) -> Options:
    query = request.query_params
    entity = ENTITIES.get(query.get("type", ""))
    if entity is None:
        message = f"type must be one of {', '.join(ENTITIES)}"
        raise ValidationFailed.single(message, RESOURCE, "type")
    match = query.get("match") or None
    if match is not None and match not in MATCHES:
        raise ValidationFailed.single(
            f"match must be one of {', '.join(MATCHES)}", RESOURCE, "match"
        )
    try:
        return Options(entity, parse_mapping(query.getlist("map")), match)
    except ImportRefused as error:
        raise ValidationFailed.single(str(error), RESOURCE, "map") from None


async def create_import(request: Request) -> Response:
    options = _options(request)
    files: FileStore = request.app.state.files
    key = files.new_key()
    await save_body(request, files, key, request.app.state.settings.max_attachment_bytes)
    who = principal_of(request)
    try:
        path = await run_in_threadpool(local_copy, files, key)
        await database(request).read(_check, who, options, path)
        total = await run_in_threadpool(csv_files.count_rows, path)
        _, job_id = await database(request).write(importer.schedule, who, options, path, key, total)
    except (ImportRefused, csv_files.UnreadableCsv) as error:
        files.delete(key)
        raise ValidationFailed.single(str(error), RESOURCE, "file") from None
    except BaseException:
        files.delete(key)
        raise
    request.app.state.wake_worker()
    return accepted(f"{base_url(request)}/api/v2/jobs/{job_id}")


def _check(conn: sa.Connection, who: Principal, options: Options, path: Path) -> None:
    """Refuses a file that cannot be imported at all: its header, the options."""
    with csv_files.open_csv(path) as source:
        make_plan(Context.load(conn, who, options.entity), source.header, options)


def report(conn: sa.Connection, account_id: int, import_id: int) -> dict[str, Any] | None:
    """The `import` part of an import job's answer: its counts and refused rows so far."""
    state, rejects = importer.job_report(conn, account_id, import_id, REJECTS_SHOWN)
    if state is None:
        return None
    return {
        "created": state.created,
        "updated": state.updated,
        "unchanged": state.unchanged,
        "failed": state.failed,
        "organisationsCreated": state.organisations,
        "rows": state.rows_done,
        "rejects": [{"row": r.row, "column": r.column, "error": r.error} for r in rejects],
    }


ENDPOINTS = [
    Endpoint(
        "POST",
        "/imports",
        create_import,
        "Import a CSV file (Pillbox extension; the body is the file)",
        "create_import",
        responses={202: None},
        extension=True,
    )
]
