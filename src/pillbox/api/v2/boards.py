"""/api/v2/boards and /api/v2/stages: the columns projects move through."""

import sqlalchemy as sa

from pillbox.api.kit import (
    Resource,
    SubList,
    action_endpoint,
    resource_endpoints,
    sub_list_endpoint,
)
from pillbox.api.v2 import schemas
from pillbox.api.v2.schemas import INTEGER, NESTED_TEAM, STRING, nullable, obj
from pillbox.domain import boards as domain
from pillbox.store import boards as store
from pillbox.store.listing import Listing
from pillbox.wire import boards as wire

STAGE_SCHEMA = obj(
    {
        "id": INTEGER,
        "name": STRING,
        "description": nullable("string"),
        "board": NESTED_TEAM,  # {id, name}
        "displayOrder": INTEGER,
        "createdAt": STRING,
        "updatedAt": STRING,
    }
)

BOARD_STATUSES = ("active", "archived", "nonempty", "all")
STAGE_STATUSES = ("active", "archived", "all")


def _board_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    status = listing.choices.get("status") or "active"
    return store.board_page_ids(
        conn, account_id, listing.offset, listing.limit, status, listing.name
    )


def _stage_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.stage_page_ids(
        conn,
        account_id,
        listing.offset,
        listing.limit,
        status=listing.choices.get("status") or "active",
        on_archived_boards=bool(listing.flags.get("includeOnDeletedBoard")),
    )


BOARDS = Resource(
    singular="board",
    plural="boards",
    embeds=frozenset(),
    render=wire.render_boards,
    page_ids=_board_ids,
    wire_schema=schemas.CONTAINER,
    input_model=domain.BoardInput,
    create=domain.create_board,
    update=domain.update_board,
    delete=domain.archive_board,
    delete_archives=True,
    since=False,
    deleted_feed=False,
    many_ids=False,
    list_by_name=True,
    list_choices=(("status", BOARD_STATUSES),),
)

STAGES = Resource(
    singular="stage",
    plural="stages",
    embeds=frozenset(),
    render=wire.render_stages,
    page_ids=_stage_ids,
    wire_schema=STAGE_SCHEMA,
    input_model=domain.StageInput,
    create=domain.create_stage,
    update=domain.update_stage,
    delete=domain.delete_stage,
    delete_archives=True,
    since=False,
    deleted_feed=False,
    many_ids=False,
    list_flags=("includeOnDeletedBoard",),
    list_choices=(("status", STAGE_STATUSES),),
)


def _board_stage_ids(
    conn: sa.Connection, account_id: int, board_id: int, offset: int, limit: int
) -> list[int]:
    return store.stage_page_ids(conn, account_id, offset, limit, board_id=board_id)


BOARD_STAGES = SubList(
    path="/boards/{id}/stages",
    summary="List the active stages of a board, in board order",
    resource=STAGES,
    parent_exists=store.BOARDS.exists,
    page_ids=_board_stage_ids,
)

ENDPOINTS = [
    *resource_endpoints(BOARDS),
    sub_list_endpoint(BOARD_STAGES, "list_board_stages"),
    action_endpoint(
        "/boards/{id}/restore",
        "Restore an archived board",
        "restore_board",
        BOARDS,
        domain.restore_board,
        200,
    ),
    *resource_endpoints(STAGES),
]
