"""/: the start page. My overdue, today's and upcoming tasks (complete one in place), my open
opportunities closing this month, the account's recent activity, and a search box."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain.records import today
from pillbox.store import board_views, entries, opportunities
from pillbox.store.listing import Listing
from pillbox.web.forms import FieldErrors
from pillbox.web.kit import Viewer, database, render, screen
from pillbox.web.tasks import categories, open_task_ids, task_rows

MY_TASKS = 100
RECENT_ENTRIES = 15
MY_CLOSING = 50


@dataclass(frozen=True)
class StartPage:
    overdue: list[Any]
    today: list[Any]
    upcoming: list[Any]
    activity: list[Any]
    categories: list[Any]
    closing: list[Any]


def recent_activity(conn: sa.Connection, account_id: int, limit: int) -> list[Any]:
    ids = entries.page_ids(conn, account_id, Listing(since=None, offset=0, limit=limit))
    rows = entries.load(conn, account_id, ids) if ids else {}
    return [rows[i] for i in ids if i in rows]


def closing_this_month(conn: sa.Connection, account_id: int, owner_id: int) -> list[Any]:
    """The owner's open opportunities expected to close this month, soonest first."""
    mine = board_views.OpportunityFilter(
        owner_id=owner_id, status=board_views.OPEN, close_month=today()[:7]
    )
    ids = board_views.opportunity_ids(conn, account_id, mine, 0, MY_CLOSING, by_close_date=True)
    rows = opportunities.load(conn, account_id, ids) if ids else {}
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
        closing=closing_this_month(conn, viewer.account_id, viewer.user.user_id),
    )


async def show(request: Request, viewer: Viewer) -> Response:
    page = await database(request).read(_load, viewer)
    return render(
        request, "home.html", viewer, page=page, errors=FieldErrors(), entered={}, back="/"
    )


ROUTES = [Route("/", screen(show), methods=["GET"])]
