"""Opportunities and projects as lists and boards show them: filtered pages, totals computed in
SQL (value per currency, count per column) and a board's cards, a fixed number per column.

Whatever a list or a board holds, each of these is one statement.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from pillbox.store.tables.accounts import users
from pillbox.store.tables.boards import stages
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import milestones, opportunities

OPEN, WON, LOST = "open", "won", "lost"


@dataclass(frozen=True)
class OpportunityFilter:
    """Conditions on a list of opportunities, all of them; None is no condition."""

    pipeline_id: int | None = None
    milestone_id: int | None = None
    owner_id: int | None = None
    status: str | None = None  # open, won or lost
    close_month: str | None = None  # YYYY-MM, of the expected close date


@dataclass(frozen=True)
class KaseFilter:
    """Conditions on a list of projects, all of them; None is no condition."""

    board_id: int | None = None
    stage_id: int | None = None
    owner_id: int | None = None
    status: str | None = None  # OPEN or CLOSED


def _milestones_where(*conditions: sa.ColumnElement[bool]) -> Any:
    return sa.select(milestones.c.id).where(*conditions)


def _status(status: str) -> sa.ColumnElement[bool]:
    """Open: at a milestone that is not complete; won or lost: complete, at more or at 0%."""
    if status == OPEN:
        # The open milestones named, not the complete ones excluded: the account's index on
        # (milestone, …) is then read at those milestones alone, not across every opportunity.
        return opportunities.c.milestone_id.in_(_milestones_where(sa.not_(milestones.c.complete)))
    complete = opportunities.c.milestone_id.in_(_milestones_where(milestones.c.complete))
    if status == WON:
        return sa.and_(complete, opportunities.c.probability > 0)
    return sa.and_(complete, opportunities.c.probability == 0)


def _opportunity_conditions(
    account_id: int, wanted: OpportunityFilter
) -> list[sa.ColumnElement[bool]]:
    found = [opportunities.c.account_id == account_id]
    if wanted.pipeline_id is not None:
        of_pipeline = _milestones_where(milestones.c.pipeline_id == wanted.pipeline_id)
        found.append(opportunities.c.milestone_id.in_(of_pipeline))
    if wanted.milestone_id is not None:
        found.append(opportunities.c.milestone_id == wanted.milestone_id)
    if wanted.owner_id is not None:
        found.append(opportunities.c.owner_id == wanted.owner_id)
    if wanted.status is not None:
        found.append(_status(wanted.status))
    if wanted.close_month is not None:
        found.append(
            opportunities.c.expected_close_on.between(
                f"{wanted.close_month}-01", f"{wanted.close_month}-31"
            )
        )
    return found


def opportunity_ids(
    conn: sa.Connection,
    account_id: int,
    wanted: OpportunityFilter,
    offset: int,
    limit: int,
    by_close_date: bool = False,
) -> list[int]:
    """A page of the opportunities `wanted`, in id order or by expected close date."""
    order = (
        (opportunities.c.expected_close_on, opportunities.c.id)
        if by_close_date
        else (opportunities.c.id,)
    )
    query = (
        sa.select(opportunities.c.id)
        .where(*_opportunity_conditions(account_id, wanted))
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    return list(conn.scalars(query))


def _amount() -> Any:
    return sa.func.sum(sa.cast(opportunities.c.value_amount, sa.Numeric(20, 4)))


@dataclass(frozen=True)
class Total:
    currency: str
    count: int
    total: Decimal


def value_totals(conn: sa.Connection, account_id: int, wanted: OpportunityFilter) -> list[Total]:
    """(currency, count, total) of every opportunity `wanted` that has a value, by currency.

    Grouped by milestone and currency, the order of the index it reads (no sort of the rows),
    then added up here from those few groups."""
    query = (
        sa.select(
            opportunities.c.value_currency,
            sa.func.count(),
            _amount(),
        )
        .where(
            *_opportunity_conditions(account_id, wanted),
            opportunities.c.value_currency.is_not(None),
        )
        .group_by(opportunities.c.milestone_id, opportunities.c.value_currency)
    )
    counts: dict[str, int] = defaultdict(int)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for currency, count, total in conn.execute(query):
        counts[currency] += count
        sums[currency] += Decimal(str(total or 0))
    return [Total(currency, counts[currency], sums[currency]) for currency in sorted(counts)]


def _first_of_each(
    row_id: Any,
    column: Any,
    date: Any,
    where: list[Any],
    column_ids: list[int],
    per_column: int,
) -> Any:
    """Ids of the first `per_column` rows of each column, soonest `date` first and those without
    one after: one statement of two index-ordered parts a column, whatever each column holds.

    The columns are the account's (their milestones or stages were read through it), and the
    cards are then loaded through the account: no account condition here, so that the column's
    index (column, date, id) is the one used."""
    parts = []
    for place, column_id in enumerate(column_ids):
        for dated in (True, False):
            has_date = date.is_not(None) if dated else date.is_(None)
            part = (
                sa.select(
                    row_id.label("id"),
                    column.label("column"),
                    date.label("date"),
                    sa.literal(place * 2 + (0 if dated else 1), sa.Integer).label("part"),
                )
                .where(*where, column == column_id, has_date)
                .order_by(date, row_id)  # the index's order, for those without a date too
                .limit(per_column)
            )
            parts.append(part.subquery().select())
    return sa.union_all(*parts).subquery()


def _trimmed(conn: sa.Connection, union: Any, per_column: int) -> list[int]:
    query = sa.select(union.c.id, union.c.column).order_by(union.c.part, union.c.date, union.c.id)
    taken: dict[int, int] = {}
    ids = []
    for row_id, column_id in conn.execute(query):
        if taken.get(column_id, 0) < per_column:
            taken[column_id] = taken.get(column_id, 0) + 1
            ids.append(int(row_id))
    return ids


def milestone_cards(conn: sa.Connection, milestone_ids: list[int], per_column: int) -> list[int]:
    """The first `per_column` opportunities at each milestone, soonest expected close first."""
    if not milestone_ids:
        return []
    deals = opportunities.c
    union = _first_of_each(
        deals.id, deals.milestone_id, deals.expected_close_on, [], milestone_ids, per_column
    )
    return _trimmed(conn, union, per_column)


def milestone_totals(conn: sa.Connection, account_id: int, milestone_ids: list[int]) -> list[Any]:
    """(milestone_id, currency, count, total) of the opportunities at these milestones; the
    currency is None for those without a value."""
    if not milestone_ids:
        return []
    query = (
        sa.select(
            opportunities.c.milestone_id,
            opportunities.c.value_currency.label("currency"),
            sa.func.count().label("count"),
            _amount().label("total"),
        )
        .where(
            opportunities.c.account_id == account_id,
            opportunities.c.milestone_id.in_(milestone_ids),
        )
        .group_by(opportunities.c.milestone_id, opportunities.c.value_currency)
        .order_by(opportunities.c.milestone_id, opportunities.c.value_currency)
    )
    return list(conn.execute(query))


def _kase_conditions(account_id: int, wanted: KaseFilter) -> list[sa.ColumnElement[bool]]:
    found = [kases.c.account_id == account_id]
    if wanted.board_id is not None:
        on_board = sa.select(stages.c.id).where(stages.c.board_id == wanted.board_id)
        found.append(kases.c.stage_id.in_(on_board))
    if wanted.stage_id is not None:
        found.append(kases.c.stage_id == wanted.stage_id)
    if wanted.owner_id is not None:
        found.append(kases.c.owner_id == wanted.owner_id)
    if wanted.status is not None:
        found.append(kases.c.status == wanted.status)
    return found


def kase_ids(
    conn: sa.Connection, account_id: int, wanted: KaseFilter, offset: int, limit: int
) -> list[int]:
    query = (
        sa.select(kases.c.id)
        .where(*_kase_conditions(account_id, wanted))
        .order_by(kases.c.id)
        .offset(offset)
        .limit(limit)
    )
    return list(conn.scalars(query))


def _open_on(account_id: int, stage_ids: list[int]) -> list[sa.ColumnElement[bool]]:
    return [
        kases.c.account_id == account_id,
        kases.c.status == "OPEN",
        kases.c.stage_id.in_(stage_ids),
    ]


def stage_cards(conn: sa.Connection, stage_ids: list[int], per_column: int) -> list[int]:
    """The first `per_column` open projects on each stage, soonest expected close first."""
    if not stage_ids:
        return []
    where = [kases.c.status == "OPEN"]
    union = _first_of_each(
        kases.c.id, kases.c.stage_id, kases.c.expected_close_on, where, stage_ids, per_column
    )
    return _trimmed(conn, union, per_column)


def stage_counts(conn: sa.Connection, account_id: int, stage_ids: list[int]) -> dict[int, int]:
    """How many open projects are on each of these stages."""
    if not stage_ids:
        return {}
    query = (
        sa.select(kases.c.stage_id, sa.func.count())
        .where(*_open_on(account_id, stage_ids))
        .group_by(kases.c.stage_id)
    )
    return {int(stage_id): int(count) for stage_id, count in conn.execute(query)}


def account_users(conn: sa.Connection, account_id: int, limit: int) -> list[Any]:
    """The account's users by name, for choosing an owner."""
    query = (
        sa.select(users.c.id, users.c.name)
        .where(users.c.account_id == account_id, users.c.deleted.is_(False))
        .order_by(users.c.name, users.c.id)
        .limit(limit)
    )
    return list(conn.execute(query))
