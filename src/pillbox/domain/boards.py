"""Project boards and their stages: the columns projects move through.

Administrators manage them. A board is archived rather than destroyed; a stage with open projects
on it cannot be deleted, and a deleted stage is archived, staying on the closed projects it holds.
"""

from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field

from pillbox import timestamps
from pillbox.domain.base import InputModel, RefIn, require_admin, required_name
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import boards as store
from pillbox.store.accounts import Principal

MAX_ACTIVE_BOARDS = 30
Name = Annotated[str, Field(max_length=200)]
Description = Annotated[str, Field(max_length=10_000)]


class BoardInput(InputModel):
    name: Name | None = None
    description: Description | None = None


def _check_board_room(conn: sa.Connection, who: Principal) -> None:
    if store.active_board_count(conn, who.account_id) >= MAX_ACTIVE_BOARDS:
        message = f"an account has at most {MAX_ACTIVE_BOARDS} active boards"
        raise ValidationFailed.single(message, "board", "name")


def create_board(conn: sa.Connection, who: Principal, data: BoardInput) -> int:
    require_admin(who)
    _check_board_room(conn, who)
    name = required_name(data.name, "board")
    return store.create_board(conn, who.account_id, name, data.description)


def _board(conn: sa.Connection, who: Principal, board_id: int) -> Any:
    found = store.find_board(conn, who.account_id, board_id)
    if found is None:
        raise NotFound()
    return found


def update_board(conn: sa.Connection, who: Principal, board_id: int, data: BoardInput) -> None:
    _board(conn, who, board_id)
    require_admin(who)
    values: dict[str, Any] = {}
    if data.sent("name"):
        values["name"] = required_name(data.name, "board")
    if data.sent("description"):
        values["description"] = data.description
    if values:
        store.update_board(conn, who.account_id, board_id, values)


def archive_board(conn: sa.Connection, who: Principal, board_id: int) -> None:
    """Capsule's delete: the board leaves the lists; its projects keep their stages."""
    if _board(conn, who, board_id).archived_at is not None:
        raise NotFound()
    require_admin(who)
    store.update_board(conn, who.account_id, board_id, {"archived_at": timestamps.now()})


def restore_board(conn: sa.Connection, who: Principal, board_id: int) -> int:
    found = _board(conn, who, board_id)
    require_admin(who)
    if found.archived_at is not None:
        _check_board_room(conn, who)
        store.update_board(conn, who.account_id, board_id, {"archived_at": None})
    return board_id


class StageInput(InputModel):
    name: Name | None = None
    description: Description | None = None
    board: RefIn | None = None
    display_order: Annotated[int, Field(ge=0, le=10_000)] | None = None


def create_stage(conn: sa.Connection, who: Principal, data: StageInput) -> int:
    require_admin(who)
    name = required_name(data.name, "stage")
    if data.board is None:
        raise ValidationFailed.single("board is required", "stage", "board")
    board = store.find_board(conn, who.account_id, data.board.id) if data.board.id else None
    if board is None or board.archived_at is not None:
        raise ValidationFailed.single("board not found", "stage", "board")
    values: dict[str, Any] = {"name": name, "description": data.description}
    if data.display_order is not None:
        values["display_order"] = data.display_order
    return store.create_stage(conn, who.account_id, board.id, **values)


def _stage(conn: sa.Connection, who: Principal, stage_id: int) -> Any:
    found = store.find_stage(conn, who.account_id, stage_id)
    if found is None:
        raise NotFound()
    return found


def update_stage(conn: sa.Connection, who: Principal, stage_id: int, data: StageInput) -> None:
    """Name, description and position; a stage stays on its board."""
    _stage(conn, who, stage_id)
    require_admin(who)
    values: dict[str, Any] = {}
    if data.sent("name"):
        values["name"] = required_name(data.name, "stage")
    if data.sent("description"):
        values["description"] = data.description
    if data.display_order is not None:
        values["display_order"] = data.display_order
    if values:
        store.update_stage(conn, who.account_id, stage_id, values)


def delete_stage(conn: sa.Connection, who: Principal, stage_id: int) -> None:
    if _stage(conn, who, stage_id).archived_at is not None:
        raise NotFound()
    require_admin(who)
    if store.open_projects_on(conn, stage_id):
        raise ValidationFailed.single("stage has open projects", "stage", "stage")
    store.update_stage(conn, who.account_id, stage_id, {"archived_at": timestamps.now()})
