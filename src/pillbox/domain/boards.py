"""Project boards and their stages: the columns projects move through.

Administrators manage them. A board is archived rather than destroyed; a stage with open projects
on it cannot be deleted, and a deleted stage is archived, staying on the closed projects it holds.
"""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.domain import stage_containers as containers
from pillbox.domain.base import InputModel, RefIn, require_admin, required_name
from pillbox.domain.stage_containers import ContainerInput, ContainerKind, Description, Name
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import boards as store
from pillbox.store.accounts import Principal

MAX_ACTIVE_BOARDS = containers.MAX_ACTIVE
KIND = ContainerKind("board", "boards", store.CONTAINERS)


# A board's name and description (no docstring: it would become the schema's description).
class BoardInput(ContainerInput):
    pass


def create_board(conn: sa.Connection, who: Principal, data: BoardInput) -> int:
    return containers.create(conn, who, KIND, data)


def update_board(conn: sa.Connection, who: Principal, board_id: int, data: BoardInput) -> None:
    containers.update(conn, who, KIND, board_id, data)


def archive_board(conn: sa.Connection, who: Principal, board_id: int) -> None:
    """Capsule's delete: the board leaves the lists; its projects keep their stages."""
    if containers.found(conn, who, KIND, board_id).archived_at is not None:
        raise NotFound()
    require_admin(who)
    containers.archive(conn, who, KIND, board_id)


def restore_board(conn: sa.Connection, who: Principal, board_id: int) -> int:
    return containers.restore(conn, who, KIND, board_id)


class StageInput(InputModel):
    name: Name | None = None
    description: Description | None = None
    board: RefIn | None = None
    display_order: containers.DisplayOrder | None = None


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
    values = containers.stage_changes(data, "stage")
    if values:
        store.update_stage(conn, who.account_id, stage_id, values)


def delete_stage(conn: sa.Connection, who: Principal, stage_id: int) -> None:
    if _stage(conn, who, stage_id).archived_at is not None:
        raise NotFound()
    require_admin(who)
    if store.open_projects_on(conn, stage_id):
        raise ValidationFailed.single("stage has open projects", "stage", "stage")
    store.update_stage(conn, who.account_id, stage_id, {"archived_at": timestamps.now()})
