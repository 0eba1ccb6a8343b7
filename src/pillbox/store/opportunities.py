"""Opportunity queries: paging ids, loading a page with its references joined in, and writes.

A page of opportunities is one query: owner, team, main party, milestone, last open milestone and
lost reason are joined in, since each opportunity shows a short form of every one of them.
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox.store import page_blocks
from pillbox.store.listing import Listing
from pillbox.store.records import tagged
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, id_page, ids_param, insert_row
from pillbox.store.tables import (
    lost_reasons,
    milestones,
    opportunities,
    parties,
    teams,
    users,
)

last_open = milestones.alias("last_open")

_LOAD = Query(
    sa.select(
        opportunities,
        users.c.username.label("owner_username"),
        users.c.name.label("owner_name"),
        users.c.deleted.label("owner_deleted"),
        teams.c.name.label("team_name"),
        parties.c.type.label("party_type"),
        parties.c.first_name.label("party_first_name"),
        parties.c.last_name.label("party_last_name"),
        parties.c.name.label("party_name"),
        milestones.c.name.label("milestone_name"),
        milestones.c.complete.label("milestone_complete"),
        last_open.c.name.label("last_open_milestone_name"),
        lost_reasons.c.name.label("lost_reason_name"),
    )
    .select_from(
        opportunities.join(parties, parties.c.id == opportunities.c.party_id)
        .join(milestones, milestones.c.id == opportunities.c.milestone_id)
        .outerjoin(users, users.c.id == opportunities.c.owner_id)
        .outerjoin(teams, teams.c.id == opportunities.c.team_id)
        .outerjoin(last_open, last_open.c.id == opportunities.c.last_open_milestone_id)
        .outerjoin(lost_reasons, lost_reasons.c.id == opportunities.c.lost_reason_id)
    )
    .where(opportunities.c.account_id == sa.bindparam("account_id"), ids_param(opportunities.c.id))
)


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in _LOAD.rows(conn, account_id=account_id, ids=ids)}


_PAGE = id_page(opportunities)
_PAGE_SINCE = id_page(opportunities, opportunities.c.updated_at >= sa.bindparam("since"))
_OF_PARTY = id_page(opportunities, opportunities.c.party_id == sa.bindparam("party_id"))


_SEEK = id_page(opportunities, opportunities.c.id >= sa.bindparam("start"))


def page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    if listing.since is None:
        return page_blocks.id_ordered_page(
            conn, "opportunities", account_id, listing.offset, listing.limit, _PAGE, _SEEK
        )
    page = dict(account_id=account_id, offset=listing.offset, limit=listing.limit)
    return _PAGE_SINCE.scalars(conn, since=listing.since, **page)


def party_opportunity_ids(
    conn: sa.Connection, account_id: int, party_id: int, offset: int, limit: int
) -> list[int]:
    """Opportunities whose main party this is (additional-party links are not listed)."""
    return _OF_PARTY.scalars(
        conn, account_id=account_id, party_id=party_id, offset=offset, limit=limit
    )


SCOPED = Scoped(opportunities)


def find(conn: sa.Connection, account_id: int, opportunity_id: int) -> Any:
    return SCOPED.find(conn, account_id, opportunity_id)


def insert(conn: sa.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, opportunities, values)


def update(
    conn: sa.Connection, account_id: int, opportunity_id: int, values: dict[str, Any]
) -> None:
    SCOPED.update(conn, account_id, opportunity_id, values)


def delete(conn: sa.Connection, account_id: int, opportunity_id: int) -> None:
    SCOPED.delete(conn, account_id, opportunity_id)


def ids_of_party(conn: sa.Connection, account_id: int, party_id: int) -> list[int]:
    query = sa.select(opportunities.c.id).where(
        opportunities.c.account_id == account_id, opportunities.c.party_id == party_id
    )
    return list(conn.scalars(query))


@dataclass(frozen=True)
class OpportunityCriteria:
    """Conditions a list of opportunities meets, all of them; None is no condition."""

    since: str | None = None  # changed at or after it
    tag: str | None = None  # carries the tag of this name (any case)
    milestone: str | None = None  # at a milestone of this name (any case), in any pipeline

    @property
    def empty(self) -> bool:
        return not (self.since or self.tag or self.milestone)


def matching_ids(
    conn: sa.Connection,
    account_id: int,
    criteria: OpportunityCriteria,
    offset: int,
    limit: int,
    among: list[int] | None = None,
) -> list[int]:
    """One page, in id order, of the account's opportunities meeting `criteria` (and `among`)."""
    query = sa.select(opportunities.c.id).where(opportunities.c.account_id == account_id)
    if criteria.since is not None:
        query = query.where(opportunities.c.updated_at >= criteria.since)
    if criteria.tag is not None:
        carrying = tagged(account_id, "opportunities", criteria.tag)
        query = query.where(opportunities.c.id.in_(carrying))
    if criteria.milestone is not None:
        named = sa.select(milestones.c.id).where(
            milestones.c.account_id == account_id,
            sa.func.lower(milestones.c.name) == criteria.milestone.lower(),
        )
        query = query.where(opportunities.c.milestone_id.in_(named))
    if among is not None:
        query = query.where(opportunities.c.id.in_(among))
    return list(conn.scalars(query.order_by(opportunities.c.id).offset(offset).limit(limit)))
