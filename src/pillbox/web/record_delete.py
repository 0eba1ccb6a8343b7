"""`/<records>/{id}/delete` for opportunities and projects: asks on a page of its own, then deletes
through the domain and goes to the record's party."""

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.errors import NotFound
from pillbox.web.kit import Viewer, database, path_id, redirect, render, screen


def delete_routes(
    path: str, noun: str, find: Callable[..., Any], remove: Callable[..., None], consequence: str
) -> list[Route]:
    """`find(conn, account_id, id)` reads the record (None: the 404 page); `remove(conn,
    principal, id)` is the domain's delete."""

    async def found(request: Request, viewer: Viewer) -> tuple[int, Any]:
        record_id = path_id(request)
        record = await database(request).read(find, viewer.account_id, record_id)
        if record is None:
            raise NotFound()
        return record_id, record

    async def confirm(request: Request, viewer: Viewer) -> Response:
        record_id, record = await found(request, viewer)
        return render(
            request,
            "record_delete.html",
            viewer,
            name=record.name,
            noun=noun,
            page=f"{path}/{record_id}",
            consequence=consequence,
        )

    async def delete(request: Request, viewer: Viewer) -> Response:
        record_id, record = await found(request, viewer)
        await database(request).write(remove, viewer.principal, record_id)
        return redirect(f"/parties/{record.party_id}")

    return [
        Route(f"{path}/{{id}}/delete", screen(confirm), methods=["GET"]),
        Route(f"{path}/{{id}}/delete", screen(delete), methods=["POST"]),
    ]
