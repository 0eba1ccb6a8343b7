"""The board kit: one board for pipelines and project boards alike.

A board is columns (a pipeline's milestones, a board's stages) holding cards (opportunities,
projects), each column with its totals and a link to the whole list when it holds more than is
shown. Every card carries a "move to" form (a select and a button) that works without
JavaScript; static/board.js posts the same form when a card is dragged onto another column. A
move the rules refuse redraws the board with the rule's message beside the card's control.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from pillbox.errors import NotFound, ValidationFailed
from pillbox.numbers import whole_number
from pillbox.store.accounts import Principal
from pillbox.web.format import money, party_name
from pillbox.web.forms import FieldErrors, text
from pillbox.web.kit import Viewer, database, path_id, redirect, render, screen

CARDS_PER_COLUMN = 20  # the rest of a column is a link to the list


@dataclass(frozen=True)
class Card:
    id: int
    name: str
    href: str
    party: str
    party_href: str
    value: str
    closes: str
    owner: str


@dataclass(frozen=True)
class Column:
    id: int
    name: str
    cards: list[Card]
    count: int
    totals: list[str]
    more_href: str  # the list of everything in the column
    closing: str = ""  # "won" or "lost": a drop target only, closing what is dropped on it


@dataclass(frozen=True)
class Board:
    id: int
    name: str
    noun: str  # what a card is: "opportunity" or "project"
    path: str  # "/pipelines" or "/boards"
    columns: list[Column]
    others: list[Any]  # (id, name) of the boards to switch to
    list_href: str
    reasons: list[Any] = field(default_factory=list)  # lost reasons, for closing as lost

    @property
    def move_url(self) -> str:
        return f"{self.path}/{self.id}/move"


@dataclass(frozen=True)
class Move:
    """A card moved: the record, the column it goes to, and a lost reason if one was chosen."""

    record_id: int
    target: int | None
    lost_reason: int | None


def _number(raw: str) -> int | None:
    return whole_number(raw)


def read_move(form: FormData) -> Move:
    record_id = _number(text(form, "record"))
    if record_id is None:
        raise NotFound()
    return Move(record_id, _number(text(form, "to")), _number(text(form, "lostReason")))


def ref(row_id: int | None) -> dict[str, int] | None:
    return {"id": row_id} if row_id is not None else None


def card(row: Any, href: str, value: str = "") -> Card:
    """A card of an opportunity or a project row as the store loads them."""
    return Card(
        id=row.id,
        name=row.name,
        href=href,
        party=party_name(row, "party_") or "(no name)",
        party_href=f"/parties/{row.party_id}",
        value=value,
        closes=row.expected_close_on or "",
        owner=row.owner_name or "",
    )


def value_of(row: Any) -> str:
    return money(row.value_amount, row.value_currency)


def ordered(rows: dict[int, Any], ids: list[int]) -> list[Any]:
    return [rows[i] for i in ids if i in rows]


def grouped(rows: list[Any], attribute: str) -> list[tuple[str, list[Any]]]:
    """Rows in runs of the same `attribute` (milestones by pipeline, stages by board)."""
    return [(str(key), list(run)) for key, run in groupby(rows, lambda r: getattr(r, attribute))]


Loader = Callable[[sa.Connection, Viewer, int], Board]
Mover = Callable[[sa.Connection, Principal, int, Move], None]


def show_screen(load: Loader) -> Any:
    @screen
    async def show_board(request: Request, viewer: Viewer) -> Response:
        board = await database(request).read(load, viewer, path_id(request))
        return render(request, "board.html", viewer, board=board, errors=FieldErrors(), moved=None)

    return show_board


def move_screen(load: Loader, move: Mover, path: str) -> Any:
    """A card's move posted: back to the board, or the board redrawn with the refusal (422)."""

    @screen
    async def move_card(request: Request, viewer: Viewer) -> Response:
        board_id = path_id(request)
        moved = read_move(await request.form())
        try:
            await database(request).write(move, viewer.principal, board_id, moved)
        except ValidationFailed as failure:
            board = await database(request).read(load, viewer, board_id)
            errors = FieldErrors.of_failure(failure)
            return render(
                request, "board.html", viewer, status=422, board=board, errors=errors, moved=moved
            )
        return redirect(f"{path}/{board_id}")

    return move_card
