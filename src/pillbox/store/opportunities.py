"""Opportunity queries: loading a page with its references joined in, and the list filters of
API v1; the rest is store/party_records.py, shared with projects.

A page of opportunities is one query: owner, team, main party, milestone, last open milestone and
lost reason are joined in, since each opportunity shows a short form of every one of them.
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox.store import search
from pillbox.store.party_records import PartyRecords, load_query
from pillbox.store.tables.opportunities import lost_reasons, milestones, opportunities

last_open = milestones.alias("last_open")

_LOAD = load_query(
    opportunities,
    (
        milestones.c.name.label("milestone_name"),
        milestones.c.complete.label("milestone_complete"),
        last_open.c.name.label("last_open_milestone_name"),
        lost_reasons.c.name.label("lost_reason_name"),
    ),
    lambda joined: (
        joined.join(milestones, milestones.c.id == opportunities.c.milestone_id)
        .outerjoin(last_open, last_open.c.id == opportunities.c.last_open_milestone_id)
        .outerjoin(lost_reasons, lost_reasons.c.id == opportunities.c.lost_reason_id)
    ),
)


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in _LOAD.rows(conn, account_id=account_id, ids=ids)}


RECORDS = PartyRecords(opportunities, "opportunities", search.OPPORTUNITIES)
SCOPED = RECORDS.scoped
page_ids = RECORDS.page_ids
# Opportunities whose main party this is (additional-party links are not listed).
party_opportunity_ids = RECORDS.party_page_ids
find = RECORDS.find
insert = RECORDS.insert
update = RECORDS.update
delete = RECORDS.delete
ids_of_party = RECORDS.ids_of_party


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
    conditions = []
    if criteria.since is not None:
        conditions.append(RECORDS.changed_since(criteria.since))
    if criteria.tag is not None:
        conditions.append(RECORDS.tagged(account_id, criteria.tag))
    if criteria.milestone is not None:
        named = sa.select(milestones.c.id).where(
            milestones.c.account_id == account_id,
            sa.func.lower(milestones.c.name) == criteria.milestone.lower(),
        )
        conditions.append(opportunities.c.milestone_id.in_(named))
    return RECORDS.matching_ids(conn, account_id, conditions, offset, limit, among)
