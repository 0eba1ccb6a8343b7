"""Project boards and their stages."""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store import seeded_ids
from pillbox.store.scoped import Scoped
from pillbox.store.sql import add_rows, insert_id
from pillbox.store.tables import boards, kases, stages

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


def create_board(conn: sa.Connection, account_id: int, name: str, description: str | None) -> int:
    now = timestamps.now()
    values = dict(
        account_id=account_id, name=name, description=description, created_at=now, updated_at=now
    )
    return insert_id(conn, boards.insert().values(**values))


def load_boards(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    query = sa.select(boards).where(boards.c.account_id == account_id, boards.c.id.in_(ids))
    return {row.id: row for row in conn.execute(query)}


def find_board(conn: sa.Connection, account_id: int, board_id: int) -> Any:
    return load_boards(conn, account_id, [board_id]).get(board_id)


def board_page_ids(
    conn: sa.Connection, account_id: int, offset: int, limit: int, status: str, name: str | None
) -> list[int]:
    """Boards by `status`: active (default), archived, nonempty (holding projects) or all."""
    query = sa.select(boards.c.id).where(boards.c.account_id == account_id)
    if status == "active":
        query = query.where(boards.c.archived_at.is_(None))
    elif status == "archived":
        query = query.where(boards.c.archived_at.is_not(None))
    elif status == "nonempty":
        holding = sa.select(stages.c.board_id).join(kases, kases.c.stage_id == stages.c.id)
        query = query.where(boards.c.id.in_(holding))
    if name:
        query = query.where(sa.func.lower(boards.c.name).contains(name.lower(), autoescape=True))
    return list(conn.scalars(query.order_by(boards.c.id).limit(limit).offset(offset)))


def active_board_count(conn: sa.Connection, account_id: int) -> int:
    query = sa.select(sa.func.count()).where(
        boards.c.account_id == account_id, boards.c.archived_at.is_(None)
    )
    return int(conn.scalar(query) or 0)


BOARDS = Scoped(boards)
STAGES = Scoped(stages)


def update_board(
    conn: sa.Connection, account_id: int, board_id: int, values: dict[str, Any]
) -> None:
    BOARDS.update(conn, account_id, board_id, {**values, "updated_at": timestamps.now()})


# -- stages --------------------------------------------------------------------------------------

_STAGE_ORDER = (stages.c.board_id, stages.c.display_order, stages.c.id)


def create_stage(conn: sa.Connection, account_id: int, board_id: int, **values: Any) -> int:
    now = timestamps.now()
    last = sa.select(sa.func.max(stages.c.display_order)).where(stages.c.board_id == board_id)
    row = dict(
        account_id=account_id,
        board_id=board_id,
        display_order=int(conn.scalar(last) or 0) + 1,
        created_at=now,
        updated_at=now,
    )
    return insert_id(conn, stages.insert().values(**{**row, **values}))


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


def update_stage(
    conn: sa.Connection, account_id: int, stage_id: int, values: dict[str, Any]
) -> None:
    STAGES.update(conn, account_id, stage_id, {**values, "updated_at": timestamps.now()})


def open_projects_on(conn: sa.Connection, stage_id: int) -> bool:
    query = sa.select(kases.c.id).where(kases.c.stage_id == stage_id, kases.c.status == "OPEN")
    return conn.scalar(query.limit(1)) is not None
