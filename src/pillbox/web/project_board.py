"""/boards/{id}: the project board. A column per active stage in the board's order, a card per
open project, how many each column holds. A move is the API's stage change (`update_kase`)."""

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import kases as domain
from pillbox.errors import NotFound, ValidationFailed
from pillbox.numbers import whole_number
from pillbox.store import board_views as views
from pillbox.store import boards, kases
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
)
from pillbox.web.forms import as_input
from pillbox.web.kit import Viewer, database, redirect, render, screen

PATH = "/boards"
MAX_BOARDS = 100  # the switcher's choices
MAX_STAGES = 100


def active_boards(conn: sa.Connection, account_id: int) -> list[Any]:
    ids = boards.board_page_ids(conn, account_id, 0, MAX_BOARDS, "active", None)
    return ordered(boards.load_boards(conn, account_id, ids) if ids else {}, ids)


def stages_of(conn: sa.Connection, account_id: int, board_id: int) -> list[Any]:
    ids = boards.stage_page_ids(conn, account_id, 0, MAX_STAGES, board_id=board_id)
    return ordered(boards.load_stages(conn, account_id, ids) if ids else {}, ids)


def _list_href(**params: Any) -> str:
    return "/projects?" + urlencode(params)


def _columns(conn: sa.Connection, account_id: int, board_id: int) -> list[Column]:
    stages = stages_of(conn, account_id, board_id)
    stage_ids = [stage.id for stage in stages]
    card_ids = views.stage_cards(conn, stage_ids, CARDS_PER_COLUMN)
    rows = ordered(kases.load(conn, account_id, card_ids) if card_ids else {}, card_ids)
    cards = defaultdict(list)
    for row in rows:
        cards[row.stage_id].append(card(row, f"/projects/{row.id}"))
    counts = views.stage_counts(conn, account_id, stage_ids)
    return [
        Column(
            id=stage.id,
            name=stage.name,
            cards=cards[stage.id],
            count=counts.get(stage.id, 0),
            totals=[],
            more_href=_list_href(stage=stage.id, status="open"),
        )
        for stage in stages
    ]


def load_board(conn: sa.Connection, viewer: Viewer, board_id: int) -> Board:
    account_id = viewer.account_id
    board = boards.find_board(conn, account_id, board_id)
    if board is None:
        raise NotFound()
    return Board(
        id=board.id,
        name=board.name,
        noun="project",
        path=PATH,
        columns=_columns(conn, account_id, board.id),
        others=[(b.id, b.name) for b in active_boards(conn, account_id)],
        list_href=_list_href(board=board.id, status="open"),
    )


def move(conn: sa.Connection, who: Principal, board_id: int, moved: Move) -> None:
    if boards.find_board(conn, who.account_id, board_id) is None:
        raise NotFound()
    if moved.target is None:  # no stage takes a project off its board: not a move
        raise ValidationFailed.single("stage is required", domain.RESOURCE, "stage")
    data = as_input(domain.KaseInput, {"stage": ref(moved.target)}, domain.RESOURCE)
    domain.update_kase(conn, who, moved.record_id, data)


async def first_board(request: Request, viewer: Viewer) -> Response:
    """The chosen board (the switcher's form), else the first; or the empty state."""
    chosen = request.query_params.get("board", "")
    if whole_number(chosen):
        return redirect(f"{PATH}/{chosen}")
    found = await database(request).read(active_boards, viewer.account_id)
    if found:
        return redirect(f"{PATH}/{found[0].id}")
    return render(request, "board_none.html", viewer, noun="board")


ROUTES = [
    Route(PATH, screen(first_board), methods=["GET"]),
    Route(PATH + "/{id}", show_screen(load_board), methods=["GET"]),
    Route(PATH + "/{id}/move", move_screen(load_board, move, PATH), methods=["POST"]),
]
