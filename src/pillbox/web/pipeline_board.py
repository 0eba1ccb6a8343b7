"""/pipelines/{id}: the pipeline board. A column per open milestone in the pipeline's order, a
card per open opportunity, the value per currency of each column, and the pipeline's complete
milestones (Won, Lost) as drop targets. A move is the API's milestone change (`update_opportunity`,
through `move_opportunity`, which asks for a lost reason when closing as lost)."""

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import opportunities as domain
from pillbox.errors import NotFound
from pillbox.numbers import whole_number
from pillbox.store import board_views as views
from pillbox.store import opportunities, pipelines
from pillbox.store.accounts import Principal
from pillbox.web.board_kit import (
    CARDS_PER_COLUMN,
    Board,
    Column,
    Move,
    card,
    move_screen,
    ordered,
    ref,
    show_screen,
    value_of,
)
from pillbox.web.format import money
from pillbox.web.forms import as_input
from pillbox.web.kit import Viewer, database, redirect, render, screen

PATH = "/pipelines"
MAX_PIPELINES = 100  # the switcher's choices
MAX_REASONS = 200


def active_pipelines(conn: sa.Connection, account_id: int) -> list[Any]:
    ids = pipelines.pipeline_page_ids(conn, account_id, 0, MAX_PIPELINES, False, None)
    found = pipelines.load_pipelines(conn, account_id, ids) if ids else {}
    return ordered(found, ids)


def lost_reasons(conn: sa.Connection, account_id: int) -> list[Any]:
    ids = pipelines.lost_reason_page_ids(conn, account_id, 0, MAX_REASONS, None)
    return ordered(pipelines.load_lost_reasons(conn, account_id, ids) if ids else {}, ids)


def _list_href(**params: Any) -> str:
    return "/opportunities?" + urlencode({k: v for k, v in params.items() if v is not None})


def _columns(conn: sa.Connection, account_id: int, pipeline_id: int) -> list[Column]:
    steps = pipelines.milestones_of(conn, pipeline_id)
    open_ids = [step.id for step in steps if not step.complete]
    card_ids = views.milestone_cards(conn, open_ids, CARDS_PER_COLUMN)
    rows = ordered(opportunities.load(conn, account_id, card_ids) if card_ids else {}, card_ids)
    cards = defaultdict(list)
    for row in rows:
        cards[row.milestone_id].append(card(row, f"/opportunities/{row.id}", value_of(row)))
    counts: dict[int, int] = defaultdict(int)
    totals: dict[int, list[str]] = defaultdict(list)
    for total in views.milestone_totals(conn, account_id, open_ids):
        counts[total.milestone_id] += total.count
        if total.currency is not None:
            totals[total.milestone_id].append(money(total.total, total.currency))
    return [
        Column(
            id=step.id,
            name=step.name,
            cards=cards[step.id],
            count=counts[step.id],
            totals=totals[step.id],
            more_href=_list_href(pipeline=pipeline_id, milestone=step.id, status="open"),
            closing=("won" if step.probability else "lost") if step.complete else "",
        )
        for step in steps
    ]


def load_board(conn: sa.Connection, viewer: Viewer, pipeline_id: int) -> Board:
    account_id = viewer.account_id
    pipeline = pipelines.find_pipeline(conn, account_id, pipeline_id)
    if pipeline is None:
        raise NotFound()
    return Board(
        id=pipeline.id,
        name=pipeline.name,
        noun="opportunity",
        path=PATH,
        columns=_columns(conn, account_id, pipeline.id),
        others=[(p.id, p.name) for p in active_pipelines(conn, account_id)],
        list_href=_list_href(pipeline=pipeline.id, status="open"),
        reasons=lost_reasons(conn, account_id),
    )


def move(conn: sa.Connection, who: Principal, pipeline_id: int, moved: Move) -> None:
    if pipelines.find_pipeline(conn, who.account_id, pipeline_id) is None:
        raise NotFound()
    body: dict[str, Any] = {"milestone": ref(moved.target)}
    if moved.lost_reason is not None:
        body["lostReason"] = ref(moved.lost_reason)
    data = as_input(domain.OpportunityInput, body, domain.RESOURCE)
    domain.move_opportunity(conn, who, moved.record_id, data)


async def first_pipeline(request: Request, viewer: Viewer) -> Response:
    """The chosen pipeline's board (the switcher's form), else the first; or the empty state."""
    chosen = request.query_params.get("pipeline", "")
    if whole_number(chosen):
        return redirect(f"{PATH}/{chosen}")
    first = await database(request).read(pipelines.oldest_active_pipeline, viewer.account_id)
    if first is not None:
        return redirect(f"{PATH}/{first}")
    return render(request, "board_none.html", viewer, noun="pipeline")


ROUTES = [
    Route(PATH, screen(first_pipeline), methods=["GET"]),
    Route(PATH + "/{id}", show_screen(load_board), methods=["GET"]),
    Route(PATH + "/{id}/move", move_screen(load_board, move, PATH), methods=["POST"]),
]
