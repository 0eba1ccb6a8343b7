"""/: the start page. My overdue, today's and upcoming tasks (complete one in place), the
account's recent activity, and a search box."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain.records import today
from pillbox.store import entries
from pillbox.store.listing import Listing
from pillbox.web.forms import FieldErrors
from pillbox.web.kit import Viewer, database, render, screen
from pillbox.web.tasks import categories, open_task_ids, task_rows

MY_TASKS = 100
RECENT_ENTRIES = 15


@dataclass(frozen=True)
class StartPage:
    overdue: list[Any]
    today: list[Any]
    upcoming: list[Any]
    activity: list[Any]
    categories: list[Any]


def recent_activity(conn: sa.Connection, account_id: int, limit: int) -> list[Any]:
    ids = entries.page_ids(conn, account_id, Listing(since=None, offset=0, limit=limit))
    rows = entries.load(conn, account_id, ids) if ids else {}
    return [rows[i] for i in ids if i in rows]


def _load(conn: sa.Connection, viewer: Viewer) -> StartPage:
    ids = open_task_ids(conn, viewer.account_id, viewer.user.user_id, MY_TASKS)
    tasks = task_rows(conn, viewer.account_id, ids)
    day = today()
    return StartPage(
        overdue=[t for t in tasks if t.due_on < day],
        today=[t for t in tasks if t.due_on == day],
        upcoming=[t for t in tasks if t.due_on > day],
        activity=recent_activity(conn, viewer.account_id, RECENT_ENTRIES),
        categories=categories(conn, viewer.account_id),
    )


async def show(request: Request, viewer: Viewer) -> Response:
    page = await database(request).read(_load, viewer)
    return render(
        request, "home.html", viewer, page=page, errors=FieldErrors(), entered={}, back="/"
    )


ROUTES = [Route("/", screen(show), methods=["GET"])]
