"""Project boards and their stages: store/stage_containers.py, and what boards do of their own
(the default board, the lists' filters, open projects on a stage)."""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store import seeded_ids
from pillbox.store.sql import add_rows
from pillbox.store.stage_containers import StageContainers
from pillbox.store.tables.boards import boards, stages
from pillbox.store.tables.kases import kases

# Capsule's board template: (stage name, description).
DEFAULT_BOARD = "Projects"
DEFAULT_STAGES = (
    ("Project Brief", "Define what needs to be done"),
    ("Planning", "How to do what needs to be done"),
    ("Delivery", "Make the project happen"),
    ("Monitor", "Keep the project on track"),
    ("Review", "Time to review the success of the project"),
)


def create_default_board(conn: sa.Connection, account_id: int) -> int:
    board_id = create_board(conn, account_id, DEFAULT_BOARD, None)
    if seeded_ids.current() is not None:  # each row takes its id from the seed
        for name, description in DEFAULT_STAGES:
            create_stage(conn, account_id, board_id, name=name, description=description)
        return board_id
    now = timestamps.now()
    rows = [
        (account_id, board_id, order, now, now, name, description)
        for order, (name, description) in enumerate(DEFAULT_STAGES, start=1)
    ]
    columns = ("account_id", "board_id", "display_order", "created_at", "updated_at")
    add_rows(conn, stages, (*columns, "name", "description"), rows)
    return board_id


# -- boards --------------------------------------------------------------------------------------

CONTAINERS = StageContainers(boards, stages, "board_id")
BOARDS = CONTAINERS.scoped
STAGES = CONTAINERS.scoped_stages
create_board = CONTAINERS.create
load_boards = CONTAINERS.load
find_board = CONTAINERS.find
active_board_count = CONTAINERS.active_count
update_board = CONTAINERS.update


def board_page_ids(
    conn: sa.Connection, account_id: int, offset: int, limit: int, status: str, name: str | None
) -> list[int]:
    """Boards by `status`: active (default), archived, nonempty (holding projects) or all."""
    conditions = []
    if status == "active":
        conditions.append(boards.c.archived_at.is_(None))
    elif status == "archived":
        conditions.append(boards.c.archived_at.is_not(None))
    elif status == "nonempty":
        holding = sa.select(stages.c.board_id).join(kases, kases.c.stage_id == stages.c.id)
        conditions.append(boards.c.id.in_(holding))
    return CONTAINERS.page_ids(conn, account_id, offset, limit, name, *conditions)


# -- stages --------------------------------------------------------------------------------------

_STAGE_ORDER = (stages.c.board_id, stages.c.display_order, stages.c.id)


create_stage = CONTAINERS.create_stage
update_stage = CONTAINERS.update_stage


def load_stages(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    query = (
        sa.select(stages, boards.c.name.label("board_name"))
        .join(boards, boards.c.id == stages.c.board_id)
        .where(stages.c.account_id == account_id, stages.c.id.in_(ids))
    )
    return {row.id: row for row in conn.execute(query)}


def find_stage(conn: sa.Connection, account_id: int, stage_id: int) -> Any:
    return load_stages(conn, account_id, [stage_id]).get(stage_id)


def stage_page_ids(
    conn: sa.Connection,
    account_id: int,
    offset: int,
    limit: int,
    *,
    board_id: int | None = None,
    status: str = "active",
    on_archived_boards: bool = False,
) -> list[int]:
    """Stages in board order, then their order on the board."""
    query = sa.select(stages.c.id).where(stages.c.account_id == account_id)
    if board_id is not None:
        query = query.where(stages.c.board_id == board_id)
    if status == "active":
        query = query.where(stages.c.archived_at.is_(None))
    elif status == "archived":
        query = query.where(stages.c.archived_at.is_not(None))
    if not on_archived_boards and board_id is None:
        live_boards = sa.select(boards.c.id).where(boards.c.archived_at.is_(None))
        query = query.where(stages.c.board_id.in_(live_boards))
    return list(conn.scalars(query.order_by(*_STAGE_ORDER).limit(limit).offset(offset)))


def open_projects_on(conn: sa.Connection, stage_id: int) -> bool:
    query = sa.select(kases.c.id).where(kases.c.stage_id == stage_id, kases.c.status == "OPEN")
    return conn.scalar(query.limit(1)) is not None
