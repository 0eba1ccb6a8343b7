"""Project queries: loading a page with its references joined in, projects of an opportunity, and
the list filters of API v1; the rest is store/party_records.py, shared with opportunities."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox.store import search
from pillbox.store.party_records import PartyRecords, load_query
from pillbox.store.sql import id_page
from pillbox.store.tables.boards import stages
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities

_LOAD = load_query(
    kases,
    (opportunities.c.name.label("opportunity_name"), stages.c.name.label("stage_name")),
    lambda joined: joined.outerjoin(
        opportunities, opportunities.c.id == kases.c.opportunity_id
    ).outerjoin(stages, stages.c.id == kases.c.stage_id),
)


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in _LOAD.rows(conn, account_id=account_id, ids=ids)}


RECORDS = PartyRecords(kases, "kases", search.KASES, choices=("status",))
SCOPED = RECORDS.scoped
_OF_OPPORTUNITY = id_page(kases, kases.c.opportunity_id == sa.bindparam("opportunity_id"))

# A page of projects, changed since `since` and of one `status` when those are given.
page_ids = RECORDS.page_ids
party_kase_ids = RECORDS.party_page_ids
find = RECORDS.find
insert = RECORDS.insert
update = RECORDS.update
delete = RECORDS.delete
ids_of_party = RECORDS.ids_of_party


def opportunity_kase_ids(
    conn: sa.Connection, account_id: int, opportunity_id: int, offset: int, limit: int
) -> list[int]:
    return _OF_OPPORTUNITY.scalars(
        conn, account_id=account_id, opportunity_id=opportunity_id, offset=offset, limit=limit
    )


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
    conditions = []
    if criteria.since is not None:
        conditions.append(RECORDS.changed_since(criteria.since))
    if criteria.tag is not None:
        conditions.append(RECORDS.tagged(account_id, criteria.tag))
    return RECORDS.matching_ids(conn, account_id, conditions, offset, limit, among)
