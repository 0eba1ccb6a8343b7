"""Named snapshots of the caller's account.

- `GET /_pillbox/snapshots` → `{"snapshots": [{"name", "rows", "createdAt"}]}`, oldest first.
- `POST /_pillbox/snapshots` `{"name"}` → 201 `{"snapshot": {…}}`; saving under a name in use
  replaces that snapshot.
- `POST /_pillbox/snapshots/{name}/restore` → 204: every record back as it was, same ids.
- `DELETE /_pillbox/snapshots/{name}` → 204. An unknown name is a 404.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.sandbox.http import Route, answer, body, caller
from pillbox.domain import sandbox
from pillbox.store import snapshots

NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"


class SnapshotInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(pattern=NAME)]


async def list_snapshots(request: Request) -> Response:
    who = await caller(request)
    found = await request.app.state.db.read(snapshots.summaries, who.account_id)
    return answer({"snapshots": found})


async def save(request: Request) -> Response:
    who = await caller(request)
    data = await body(request, SnapshotInput, "snapshot")
    db, files = request.app.state.db, request.app.state.files
    saved = await db.write(sandbox.save_snapshot, files, who.account_id, data.name)
    return answer({"snapshot": saved}, 201)


async def restore(request: Request) -> Response:
    who = await caller(request)
    db, files = request.app.state.db, request.app.state.files
    await db.write(sandbox.restore_snapshot, files, who.account_id, request.path_params["name"])
    return Response(status_code=204)


async def delete(request: Request) -> Response:
    who = await caller(request)
    await request.app.state.db.write(
        sandbox.delete_snapshot, who.account_id, request.path_params["name"]
    )
    return Response(status_code=204)


def routes() -> list[Route]:
    return [
        ("GET", "/snapshots", list_snapshots),
        ("POST", "/snapshots", save),
        ("POST", "/snapshots/{name}/restore", restore),
        ("DELETE", "/snapshots/{name}", delete),
    ]
