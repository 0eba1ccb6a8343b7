"""/projects/{id} (the API's kases): the record page. The party and additional parties, the
linked opportunity, the stage and its board, tags, custom fields, open tasks and the timeline;
closed and reopened from here. Read in a fixed number of queries."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from pillbox.domain import kases as domain
from pillbox.errors import NotFound
from pillbox.store import additional_parties, boards
from pillbox.store import kases as store
from pillbox.store import parties as party_store
from pillbox.web.forms import FieldErrors, as_input
from pillbox.web.kit import Viewer, database, path_id, redirect, render, screen
from pillbox.web.paging import Paging, paging
from pillbox.web.record_page import LINKED, RecordExtras, RecordKind, in_order, load_extras


@dataclass(frozen=True)
class ProjectPage:
    kase: Any
    stage: Any  # with its board's name, or None off any board
    extras: RecordExtras
    additional_parties: list[Any]


def load_page(conn: sa.Connection, viewer: Viewer, kase_id: int, timeline: Paging) -> ProjectPage:
    account_id = viewer.account_id
    kase = store.load(conn, account_id, [kase_id]).get(kase_id)
    if kase is None:
        raise NotFound()
    party_ids = additional_parties.KASES.party_ids(conn, kase_id, 0, LINKED)
    return ProjectPage(
        kase=kase,
        stage=boards.find_stage(conn, account_id, kase.stage_id) if kase.stage_id else None,
        extras=load_extras(conn, account_id, KIND, kase_id, timeline),
        additional_parties=in_order(party_store.load(conn, account_id, party_ids), party_ids)
        if party_ids
        else [],
    )


async def show(request: Request, viewer: Viewer) -> Response:
    kase_id = path_id(request)
    page = await database(request).read(load_page, viewer, kase_id, paging(request, ()))
    return render_page(request, viewer, page)


def render_page(
    request: Request,
    viewer: Viewer,
    page: ProjectPage,
    status: int = 200,
    errors: FieldErrors | None = None,
    entered: dict[str, Any] | None = None,
    failed: str = "",
) -> Response:
    """The record page; `failed` names the form ("note", "fields", "tags") whose `errors` show."""
    return render(
        request,
        "project.html",
        viewer,
        status=status,
        page=page,
        kase=page.kase,
        errors=errors or FieldErrors(),
        entered=entered or {},
        failed=failed,
        back=KIND.url(page.kase.id),
    )


def _status_change(status: str) -> Any:
    async def change(request: Request, viewer: Viewer) -> Response:
        kase_id = path_id(request)
        data = as_input(domain.KaseInput, {"status": status}, domain.RESOURCE)
        await database(request).write(domain.update_kase, viewer.principal, kase_id, data)
        return redirect(KIND.url(kase_id))

    change.__name__ = "close" if status == "CLOSED" else "reopen"
    return change


async def old_address(request: Request) -> Response:
    """/kases/{id}, the API's name, is the project's page."""
    return RedirectResponse(f"/projects/{request.path_params['id']}", status_code=301)


KIND = RecordKind(
    path="/projects",
    entity=domain.ENTITY,
    link="kase",
    resource=domain.RESOURCE,
    input_model=domain.KaseInput,
    update=domain.update_kase,
    find=store.find,
    load_page=load_page,
    render_page=render_page,
)

ROUTES = [
    Route("/projects/{id}", screen(show), methods=["GET"]),
    Route("/projects/{id}/close", screen(_status_change("CLOSED")), methods=["POST"]),
    Route("/projects/{id}/reopen", screen(_status_change("OPEN")), methods=["POST"]),
    Route("/kases/{id:int}", old_address, methods=["GET"]),
]
