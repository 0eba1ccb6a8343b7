"""Deep pages at the cost of the first: a page's first row found from the counts of blocks.

`OFFSET n` steps over n index entries, so page 990 of a list cost twice page 1. Each list in a
fixed order is cut into blocks of that order (ids by the 1,024, days of a date), and database
triggers keep each block's row count per account (migration 0024, tables/page_blocks.py). For a
deep offset, one statement sums the counts in order and names the block holding the offset and
how many rows come before it; the page is then read from that block's start with an offset of
less than one block. The rows and their order are those of the plain OFFSET statement: the
seek condition only skips rows that come before the block.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from pillbox.store.sql import Query
from pillbox.store.sql_terms import ids_param
from pillbox.store.tables.page_blocks import page_blocks

# Below this offset the plain OFFSET statement is as cheap as the block lookup.
ANCHOR_FROM = 1000
ID_BLOCK = 1024  # ids per block (the triggers' `id / 1024`)
FANOUT = 100  # blocks per run of blocks (level 1)


@dataclass(frozen=True)
class Anchor:
    """Where a deep page starts: `rows_before` rows of the list come before `block`."""

    block: int
    rows_before: int


def _anchor_query(descending: bool) -> Query:
    """Of one level's blocks between `low` and `high`: the first whose running total passes
    `offset`, and the rows before it."""
    counts = page_blocks.c
    total = sa.func.sum(counts.row_count)
    order = counts.block.desc() if descending else counts.block
    running = (
        sa.select(
            counts.block,
            total.label("total"),
            sa.func.sum(total).over(order_by=order).label("upto"),
        )
        .where(
            counts.account_id == sa.bindparam("account_id"),
            ids_param(counts.listing, "lists"),
            counts.level == sa.bindparam("level"),
            counts.block.between(sa.bindparam("low"), sa.bindparam("high")),
        )
        .group_by(counts.block)
        .subquery("running")
    )
    block_order = running.c.block.desc() if descending else running.c.block
    return Query(
        sa.select(running.c.block, (running.c.upto - running.c.total).label("rows_before"))
        .where(running.c.upto > sa.bindparam("offset"))
        .order_by(block_order)
        .limit(1)
    )


_ANCHORS = {descending: _anchor_query(descending) for descending in (False, True)}
_EVERY_BLOCK = (-(2**62), 2**62)
# Counts are 32-bit integers on PostgreSQL: no list is longer, so a larger offset is past the end.
_LONGEST_LIST = 2**31 - 1


def anchor(
    conn: sa.Connection, account_id: int, lists: list[str], offset: int, descending: bool = False
) -> Anchor | None:
    """The block holding the row at `offset` of the account's lists merged in block order: the
    run of blocks first (level 1), then the block within it (level 0), so that neither step
    reads more than ~100 counts. None when the lists have no more rows than `offset`, or when a
    write committed between the two steps (PostgreSQL): the caller then pages with OFFSET."""
    if offset > _LONGEST_LIST:
        return None
    query = _ANCHORS[descending]
    params = dict(account_id=account_id, lists=lists)
    low, high = _EVERY_BLOCK
    run = query.first(conn, level=1, low=low, high=high, offset=offset, **params)
    if run is None:
        return None
    low, high = run.block * FANOUT, run.block * FANOUT + FANOUT - 1
    within = offset - run.rows_before
    found = query.first(conn, level=0, low=low, high=high, offset=within, **params)
    if found is None:
        return None
    return Anchor(int(found.block), int(run.rows_before + found.rows_before))


def id_block_start(block: int) -> int:
    """The first id of an id block."""
    return block * ID_BLOCK


def day_of_block(block: int) -> date:
    """The day a day block (YYYYMMDD as a number) stands for."""
    return date(block // 10000, block // 100 % 100, block % 100)


def day_after_block(block: int) -> str:
    """The day after a day block, as ISO text: timestamps of the block and before sort below it."""
    return (day_of_block(block) + timedelta(days=1)).isoformat()


def id_ordered_page(
    conn: sa.Connection,
    listing: str,
    account_id: int,
    offset: int,
    limit: int,
    plain: Query,
    seek: Query,
    **params: Any,
) -> list[int]:
    """A page of a list in id order: `plain` pages with OFFSET, `seek` also takes `start`, the
    first id it may return."""
    page = dict(account_id=account_id, limit=limit, **params)
    found = anchor(conn, account_id, [listing], offset) if offset >= ANCHOR_FROM else None
    if found is None:
        return plain.scalars(conn, offset=offset, **page)
    start = id_block_start(found.block)
    return seek.scalars(conn, start=start, offset=offset - found.rows_before, **page)
