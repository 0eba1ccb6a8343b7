"""/projects: the account's projects, paged as the API pages them, filtered by board or stage,
status (open or closed) and owner."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.store import board_views as views
from pillbox.store import boards, kases
from pillbox.web.board_kit import grouped, ordered
from pillbox.web.kit import Viewer, database, render, screen
from pillbox.web.opportunities import MAX_USERS, choice
from pillbox.web.paging import Paging, paging
from pillbox.web.project_board import MAX_STAGES, active_boards

FILTERS = ("board", "stage", "status", "owner")
STATUSES = {"open": "OPEN", "closed": "CLOSED"}


@dataclass(frozen=True)
class ProjectList:
    paging: Paging
    projects: list[Any]
    boards: list[Any]
    stages: list[tuple[str, list[Any]]]
    owners: list[Any]


def wanted(request: Request) -> views.KaseFilter:
    query = request.query_params
    return views.KaseFilter(
        board_id=choice(query.get("board")),
        stage_id=choice(query.get("stage")),
        owner_id=choice(query.get("owner")),
        status=STATUSES.get(query.get("status", "")),
    )


def stages_listed(conn: sa.Connection, account_id: int) -> list[Any]:
    ids = boards.stage_page_ids(conn, account_id, 0, MAX_STAGES * 10)
    return ordered(boards.load_stages(conn, account_id, ids) if ids else {}, ids)


def _load(conn: sa.Connection, viewer: Viewer, request: Request) -> ProjectList:
    account_id = viewer.account_id
    page = paging(request, FILTERS)
    found = views.kase_ids(conn, account_id, wanted(request), page.offset, page.fetch)
    shown, ids = page.trim(found)
    return ProjectList(
        paging=shown,
        projects=ordered(kases.load(conn, account_id, ids) if ids else {}, ids),
        boards=active_boards(conn, account_id),
        stages=grouped(stages_listed(conn, account_id), "board_name"),
        owners=views.account_users(conn, account_id, MAX_USERS),
    )


async def list_projects(request: Request, viewer: Viewer) -> Response:
    found = await database(request).read(_load, viewer, request)
    status = request.query_params.get("status", "")
    return render(
        request,
        "projects.html",
        viewer,
        found=found,
        wanted=wanted(request),
        chosen_status=status if status in STATUSES else "",
    )


ROUTES = [Route("/projects", screen(list_projects), methods=["GET"])]
