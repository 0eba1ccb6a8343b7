"""/api/v2/jobs/{jobId}: how far a long-running operation (answered 202) has got."""

import uuid

from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit import Endpoint
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.kit.responses import json_response
from pillbox.api.v2 import imports
from pillbox.api.v2.schemas import INTEGER, STRING, nullable, obj
from pillbox.errors import NotFound
from pillbox.store import jobs as store
from pillbox.transfer.importer import IMPORT_JOB
from pillbox.wire import jobs as wire

JOB_SCHEMA = obj(
    {
        "status": {"enum": ["pending", "running", "completed", "failed"]},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        "action": STRING,
        "id": {"type": "string", "format": "uuid"},
        "import": obj(  # a Pillbox extension, on CSV import jobs only
            {
                **{
                    name: INTEGER
                    for name in (
                        "created",
                        "updated",
                        "unchanged",
                        "failed",
                        "organisationsCreated",
                        "rows",
                    )
                },
                "rejects": {
                    "type": "array",
                    "items": obj({"row": INTEGER, "column": nullable("string"), "error": STRING}),
                },
            }
        ),
    },
    required=["status", "progress", "action", "id"],
)


async def show_job(request: Request) -> Response:
    try:
        job_id = str(uuid.UUID(request.path_params["jobId"]))
    except ValueError:
        raise NotFound() from None
    account_id = principal_of(request).account_id
    row = await database(request).read(store.find_job, account_id, job_id)
    if row is None:
        raise NotFound()
    imported = None
    if row.kind == IMPORT_JOB:
        imported = await database(request).read(imports.report, account_id, row.target_id)
    return json_response({"job": wire.to_wire(row, imported)})


ENDPOINTS = [
    Endpoint(
        "GET",
        "/jobs/{jobId}",
        show_job,
        "Show the progress of a job",
        "show_job",
        path_param="jobId",
        responses={200: ("job", JOB_SCHEMA)},
    )
]
