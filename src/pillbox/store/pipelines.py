"""Pipelines and their milestones, and the lost reasons of an account."""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store import seeded_ids
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, add_rows, insert_id
from pillbox.store.sql_terms import ids_param
from pillbox.store.stage_containers import StageContainers
from pillbox.store.tables.opportunities import lost_reasons, milestones, opportunities, pipelines

milestones_table = milestones  # `milestones` also names create_pipeline_with's argument

# Capsule's default pipeline: (name, description, probability, complete, days until stale).
DEFAULT_PIPELINE = "Pipeline"
DEFAULT_MILESTONES = (
    ("New", "You have a potential buyer for your offering", 10, False, 12),
    ("Bid", "You have put forward a bid for your offering", 50, False, 12),
    ("Won", None, 100, True, None),
    ("Lost", None, 0, True, None),
)


def create_default_pipeline(conn: sa.Connection, account_id: int) -> int:
    return create_pipeline_with(conn, account_id, DEFAULT_PIPELINE, DEFAULT_MILESTONES)


def create_pipeline_with(
    conn: sa.Connection,
    account_id: int,
    pipeline_name: str,
    milestones: Iterable[tuple[str, str | None, int, bool, int | None]],
) -> int:
    """A pipeline and its milestones: (name, description, probability, complete, stale days)."""
    pipeline_id = create_pipeline(conn, account_id, pipeline_name, None)
    if seeded_ids.current() is not None:  # each row takes its id from the seed
        for name, description, probability, complete, stale in milestones:
            create_milestone(
                conn,
                account_id,
                pipeline_id,
                name=name,
                description=description,
                probability=probability,
                complete=complete,
                days_until_stale=stale,
            )
        return pipeline_id
    now = timestamps.now()
    rows = [
        (account_id, pipeline_id, order, now, now, *milestone)
        for order, milestone in enumerate(milestones, start=1)
    ]
    add_rows(conn, milestones_table, _NEW_MILESTONE, rows)
    return pipeline_id


# The columns of the rows `create_pipeline_with` adds in one statement.
_NEW_MILESTONE = (
    "account_id",
    "pipeline_id",
    "display_order",
    "created_at",
    "updated_at",
    "name",
    "description",
    "probability",
    "complete",
    "days_until_stale",
)


# -- pipelines -----------------------------------------------------------------------------------


CONTAINERS = StageContainers(pipelines, milestones, "pipeline_id")
PIPELINES = CONTAINERS.scoped
MILESTONES = CONTAINERS.scoped_stages
create_pipeline = CONTAINERS.create
load_pipelines = CONTAINERS.load
find_pipeline = CONTAINERS.find
active_pipeline_count = CONTAINERS.active_count
update_pipeline = CONTAINERS.update
create_milestone = CONTAINERS.create_stage
update_milestone = CONTAINERS.update_stage


def pipeline_page_ids(
    conn: sa.Connection, account_id: int, offset: int, limit: int, archived: bool, name: str | None
) -> list[int]:
    conditions = () if archived else (CONTAINERS.active,)
    return CONTAINERS.page_ids(conn, account_id, offset, limit, name, *conditions)


def oldest_active_pipeline(conn: sa.Connection, account_id: int) -> int | None:
    query = (
        sa.select(pipelines.c.id)
        .where(pipelines.c.account_id == account_id, pipelines.c.archived_at.is_(None))
        .order_by(pipelines.c.id)
        .limit(1)
    )
    return conn.scalar(query)


LOST_REASONS = Scoped(lost_reasons)


# -- milestones ----------------------------------------------------------------------------------

_MILESTONE_COLUMNS = (milestones, pipelines.c.name.label("pipeline_name"))
_MILESTONE_FROM = milestones.join(pipelines, pipelines.c.id == milestones.c.pipeline_id)
_MILESTONE_ORDER = (milestones.c.pipeline_id, milestones.c.display_order, milestones.c.id)


# On the store's fast path (store/sql.Query): an opportunity list embeds its milestones.
_LOAD_MILESTONES = Query(
    sa.select(*_MILESTONE_COLUMNS)
    .select_from(_MILESTONE_FROM)
    .where(milestones.c.account_id == sa.bindparam("account_id"), ids_param(milestones.c.id))
)


def load_milestones(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in _LOAD_MILESTONES.rows(conn, account_id=account_id, ids=ids)}


def milestone_page_ids(
    conn: sa.Connection, account_id: int, pipeline_id: int | None, offset: int, limit: int
) -> list[int]:
    """Milestones in pipeline order, then their order within it; of one pipeline, or of all."""
    query = sa.select(milestones.c.id).where(milestones.c.account_id == account_id)
    if pipeline_id is not None:
        query = query.where(milestones.c.pipeline_id == pipeline_id)
    return list(conn.scalars(query.order_by(*_MILESTONE_ORDER).limit(limit).offset(offset)))


def find_milestone(conn: sa.Connection, account_id: int, milestone_id: int) -> Any:
    return load_milestones(conn, account_id, [milestone_id]).get(milestone_id)


def milestone_in_use(conn: sa.Connection, milestone_id: int) -> bool:
    query = sa.select(opportunities.c.id).where(opportunities.c.milestone_id == milestone_id)
    return conn.scalar(query.limit(1)) is not None


def delete_milestone(conn: sa.Connection, account_id: int, milestone_id: int) -> None:
    MILESTONES.delete(conn, account_id, milestone_id)


def milestones_of(conn: sa.Connection, pipeline_id: int) -> list[Any]:
    query = (
        sa.select(milestones)
        .where(milestones.c.pipeline_id == pipeline_id)
        .order_by(milestones.c.display_order, milestones.c.id)
    )
    return list(conn.execute(query))


# -- lost reasons --------------------------------------------------------------------------------

_LIVE_REASON = lost_reasons.c.deleted_at.is_(None)


def create_lost_reason(conn: sa.Connection, account_id: int, name: str, included: bool) -> int:
    now = timestamps.now()
    values = dict(
        account_id=account_id,
        name=name,
        included_for_conversion=included,
        created_at=now,
        updated_at=now,
    )
    return insert_id(conn, lost_reasons.insert().values(**values))


_LOAD_LOST_REASONS = Query(
    sa.select(lost_reasons).where(
        lost_reasons.c.account_id == sa.bindparam("account_id"),
        ids_param(lost_reasons.c.id),
        _LIVE_REASON,
    )
)


def load_lost_reasons(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in _LOAD_LOST_REASONS.rows(conn, account_id=account_id, ids=ids)}


def lost_reason_page_ids(
    conn: sa.Connection, account_id: int, offset: int, limit: int, name: str | None
) -> list[int]:
    query = sa.select(lost_reasons.c.id).where(
        lost_reasons.c.account_id == account_id, _LIVE_REASON
    )
    if name:
        query = query.where(
            sa.func.lower(lost_reasons.c.name).contains(name.lower(), autoescape=True)
        )
    return list(conn.scalars(query.order_by(lost_reasons.c.id).limit(limit).offset(offset)))


def update_lost_reason(
    conn: sa.Connection, account_id: int, reason_id: int, values: dict[str, Any]
) -> None:
    LOST_REASONS.update(conn, account_id, reason_id, {**values, "updated_at": timestamps.now()})


def milestones_named(conn: sa.Connection, account_id: int, name: str) -> list[Any]:
    """The account's milestones called `name` (any case), as (id, pipeline_id): those of active
    pipelines first, then in pipeline order and their order within it."""
    query = (
        sa.select(milestones.c.id, milestones.c.pipeline_id)
        .select_from(_MILESTONE_FROM)
        .where(
            milestones.c.account_id == account_id,
            sa.func.lower(milestones.c.name) == name.lower(),
        )
        .order_by(pipelines.c.archived_at.is_not(None), *_MILESTONE_ORDER)
    )
    return list(conn.execute(query))
