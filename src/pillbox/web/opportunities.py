"""/opportunities: the account's opportunities, paged as the API pages them, filtered by pipeline,
milestone, owner, status (open, won, lost) and expected close month, with the filtered set's
value per currency totalled in SQL."""

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.numbers import whole_number
from pillbox.store import board_views as views
from pillbox.store import opportunities, pipelines
from pillbox.web.board_kit import grouped, ordered
from pillbox.web.format import money
from pillbox.web.kit import Viewer, database, render, screen
from pillbox.web.paging import Paging, paging
from pillbox.web.pipeline_board import active_pipelines

FILTERS = ("pipeline", "milestone", "owner", "status", "month")
STATUSES = (views.OPEN, views.WON, views.LOST)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_MILESTONES = 500
MAX_USERS = 500


@dataclass(frozen=True)
class OpportunityList:
    paging: Paging
    opportunities: list[Any]
    totals: list[str]
    pipelines: list[Any]
    milestones: list[tuple[str, list[Any]]]
    owners: list[Any]


def choice(raw: str | None) -> int | None:
    """An id chosen in a filter; anything else is no filter."""
    raw = (raw or "").strip()
    return whole_number(raw)


def wanted(request: Request) -> views.OpportunityFilter:
    query = request.query_params
    status, month = query.get("status", ""), query.get("month", "")
    return views.OpportunityFilter(
        pipeline_id=choice(query.get("pipeline")),
        milestone_id=choice(query.get("milestone")),
        owner_id=choice(query.get("owner")),
        status=status if status in STATUSES else None,
        close_month=month if MONTH.match(month) else None,
    )


def milestones_listed(conn: sa.Connection, account_id: int) -> list[Any]:
    ids = pipelines.milestone_page_ids(conn, account_id, None, 0, MAX_MILESTONES)
    return ordered(pipelines.load_milestones(conn, account_id, ids) if ids else {}, ids)


def _load(conn: sa.Connection, viewer: Viewer, request: Request) -> OpportunityList:
    account_id = viewer.account_id
    page, chosen = paging(request, FILTERS), wanted(request)
    shown, ids = page.trim(views.opportunity_ids(conn, account_id, chosen, page.offset, page.fetch))
    rows = opportunities.load(conn, account_id, ids) if ids else {}
    totals = views.value_totals(conn, account_id, chosen)
    return OpportunityList(
        paging=shown,
        opportunities=ordered(rows, ids),
        totals=[money(total.total, total.currency) for total in totals],
        pipelines=active_pipelines(conn, account_id),
        milestones=grouped(milestones_listed(conn, account_id), "pipeline_name"),
        owners=views.account_users(conn, account_id, MAX_USERS),
    )


async def list_opportunities(request: Request, viewer: Viewer) -> Response:
    found = await database(request).read(_load, viewer, request)
    return render(request, "opportunities.html", viewer, found=found, wanted=wanted(request))


ROUTES = [Route("/opportunities", screen(list_opportunities), methods=["GET"])]
