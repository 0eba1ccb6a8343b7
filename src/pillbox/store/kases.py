"""Project queries: paging ids, loading a page with its references joined in, and writes."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox.store import page_blocks
from pillbox.store.listing import Listing
from pillbox.store.records import tagged
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, id_page, ids_param, insert_row
from pillbox.store.tables import kases, opportunities, parties, stages, teams, users

_LOAD = Query(
    sa.select(
        kases,
        users.c.username.label("owner_username"),
        users.c.name.label("owner_name"),
        users.c.deleted.label("owner_deleted"),
        teams.c.name.label("team_name"),
        parties.c.type.label("party_type"),
        parties.c.first_name.label("party_first_name"),
        parties.c.last_name.label("party_last_name"),
        parties.c.name.label("party_name"),
        opportunities.c.name.label("opportunity_name"),
        stages.c.name.label("stage_name"),
    )
    .select_from(
        kases.join(parties, parties.c.id == kases.c.party_id)
        .outerjoin(users, users.c.id == kases.c.owner_id)
        .outerjoin(teams, teams.c.id == kases.c.team_id)
        .outerjoin(opportunities, opportunities.c.id == kases.c.opportunity_id)
        .outerjoin(stages, stages.c.id == kases.c.stage_id)
    )
    .where(kases.c.account_id == sa.bindparam("account_id"), ids_param(kases.c.id))
)


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in _LOAD.rows(conn, account_id=account_id, ids=ids)}


_STATUS = kases.c.status == sa.bindparam("status")
_SINCE = kases.c.updated_at >= sa.bindparam("since")
_PAGES = {
    (False, False): id_page(kases),
    (True, False): id_page(kases, _SINCE),
    (False, True): id_page(kases, _STATUS),
    (True, True): id_page(kases, _SINCE, _STATUS),
}
_SEEK = id_page(kases, kases.c.id >= sa.bindparam("start"))
_OF_PARTY = id_page(kases, kases.c.party_id == sa.bindparam("party_id"))
_OF_OPPORTUNITY = id_page(kases, kases.c.opportunity_id == sa.bindparam("opportunity_id"))


def page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    """A page of projects, changed since `since` and of one `status` when those are given."""
    status = listing.choices.get("status")
    if listing.since is None and status is None:
        return page_blocks.id_ordered_page(
            conn, "kases", account_id, listing.offset, listing.limit, _PAGES[False, False], _SEEK
        )
    query = _PAGES[(listing.since is not None, status is not None)]
    params: dict[str, Any] = dict(account_id=account_id, offset=listing.offset, limit=listing.limit)
    if listing.since is not None:
        params["since"] = listing.since
    if status is not None:
        params["status"] = status
    return query.scalars(conn, **params)


def party_kase_ids(
    conn: sa.Connection, account_id: int, party_id: int, offset: int, limit: int
) -> list[int]:
    return _OF_PARTY.scalars(
        conn, account_id=account_id, party_id=party_id, offset=offset, limit=limit
    )


def opportunity_kase_ids(
    conn: sa.Connection, account_id: int, opportunity_id: int, offset: int, limit: int
) -> list[int]:
    return _OF_OPPORTUNITY.scalars(
        conn, account_id=account_id, opportunity_id=opportunity_id, offset=offset, limit=limit
    )


SCOPED = Scoped(kases)


def find(conn: sa.Connection, account_id: int, kase_id: int) -> Any:
    return SCOPED.find(conn, account_id, kase_id)


def insert(conn: sa.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, kases, values)


def update(conn: sa.Connection, account_id: int, kase_id: int, values: dict[str, Any]) -> None:
    SCOPED.update(conn, account_id, kase_id, values)


def delete(conn: sa.Connection, account_id: int, kase_id: int) -> None:
    SCOPED.delete(conn, account_id, kase_id)


def ids_of_party(conn: sa.Connection, account_id: int, party_id: int) -> list[int]:
    query = sa.select(kases.c.id).where(
        kases.c.account_id == account_id, kases.c.party_id == party_id
    )
    return list(conn.scalars(query))


@dataclass(frozen=True)
class KaseCriteria:
    """Conditions a list of projects meets, all of them; None is no condition."""

    since: str | None = None  # changed at or after it
    tag: str | None = None  # carries the tag of this name (any case)

    @property
    def empty(self) -> bool:
        return not (self.since or self.tag)


def matching_ids(
    conn: sa.Connection,
    account_id: int,
    criteria: KaseCriteria,
    offset: int,
    limit: int,
    among: list[int] | None = None,
) -> list[int]:
    """One page, in id order, of the account's projects meeting `criteria` (and `among`)."""
    query = sa.select(kases.c.id).where(kases.c.account_id == account_id)
    if criteria.since is not None:
        query = query.where(kases.c.updated_at >= criteria.since)
    if criteria.tag is not None:
        query = query.where(kases.c.id.in_(tagged(account_id, "kases", criteria.tag)))
    if among is not None:
        query = query.where(kases.c.id.in_(among))
    return list(conn.scalars(query.order_by(kases.c.id).offset(offset).limit(limit)))
