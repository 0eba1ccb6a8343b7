"""/settings/boards: the project boards and their stages, in order."""

import sqlalchemy as sa

from pillbox.domain import boards as domain
from pillbox.store import boards as store
from pillbox.store.accounts import Principal
from pillbox.web.settings_kit import (
    Choices,
    Collection,
    Input,
    Item,
    SettingsPage,
    page_routes,
    reference,
)

MAX_ROWS = 1000


def _boards(conn: sa.Connection, who: Principal) -> list[Item]:
    ids = store.board_page_ids(conn, who.account_id, 0, MAX_ROWS, "active", None)
    found = store.load_boards(conn, who.account_id, ids) if ids else {}
    return [
        Item(i, found[i].name, {"name": found[i].name, "description": found[i].description})
        for i in ids
        if i in found
    ]


def _board_choices(conn: sa.Connection, who: Principal) -> dict[str, Choices]:
    return {"board": [(str(item.id), item.label) for item in _boards(conn, who)]}


def _stages(conn: sa.Connection, who: Principal) -> list[Item]:
    ids = store.stage_page_ids(conn, who.account_id, 0, MAX_ROWS)
    found = store.load_stages(conn, who.account_id, ids) if ids else {}
    return [
        Item(
            i,
            found[i].name,
            {
                "name": found[i].name,
                "displayOrder": found[i].display_order,
                "description": found[i].description,
            },
            notes=[f"board {found[i].board_name}"],
        )
        for i in ids
        if i in found
    ]


BOARDS = Collection(
    key="boards",
    title="Boards",
    noun="board",
    resource="board",
    model=domain.BoardInput,
    inputs=(Input("name", "Name"), Input("description", "Description", kind="textarea")),
    load=_boards,
    create=domain.create_board,
    update=domain.update_board,
    delete=domain.archive_board,
    delete_verb="Archive",
    delete_warning="The board leaves the lists; its projects keep their stages.",
)

STAGES = Collection(
    key="stages",
    title="Stages",
    noun="stage",
    resource="stage",
    model=domain.StageInput,
    inputs=(
        Input("board", "Board", kind="select", read=reference, on_edit=False),
        Input("name", "Name"),
        Input("displayOrder", "Order", kind="number"),
        Input("description", "Description", kind="textarea"),
    ),
    load=_stages,
    load_choices=_board_choices,
    create=domain.create_stage,
    update=domain.update_stage,
    delete=domain.delete_stage,
)

BOARDS_PAGE = SettingsPage(
    "/settings/boards",
    "Boards",
    "The boards projects move across, each with its stages in order.",
    (BOARDS, STAGES),
)

ROUTES = page_routes(BOARDS_PAGE)
