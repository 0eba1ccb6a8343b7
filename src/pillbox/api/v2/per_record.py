"""Lists of one resource on each record type: `/{parties,opportunities,kases}/{id}/{noun}`."""

from collections.abc import Callable

import sqlalchemy as sa

from pillbox.api.kit import Endpoint, Resource, SubList, sub_list_endpoint
from pillbox.store import kases, opportunities, parties

# entity -> (the column naming the record in the listed resource's table, the records' table)
RECORDS = {
    "parties": ("party_id", parties.SCOPED),
    "opportunities": ("opportunity_id", opportunities.SCOPED),
    "kases": ("kase_id", kases.SCOPED),
}
# (conn, account_id, column, record id, offset, limit) -> one page of ids
RecordPage = Callable[[sa.Connection, int, str, int, int, int], list[int]]


def per_record_lists(resource: Resource, page_ids: RecordPage, summary: str) -> list[Endpoint]:
    """`summary` names the record type: "List the entries of one of the {entity}"."""
    return [
        sub_list_endpoint(
            _sub_list(resource, entity, page_ids, summary), f"list_{entity}_{resource.plural}"
        )
        for entity in RECORDS
    ]


def _sub_list(resource: Resource, entity: str, page_ids: RecordPage, summary: str) -> SubList:
    column, records = RECORDS[entity]

    def page(
        conn: sa.Connection, account_id: int, record_id: int, offset: int, limit: int
    ) -> list[int]:
        return page_ids(conn, account_id, column, record_id, offset, limit)

    return SubList(
        path=f"/{entity}/{{id}}/{resource.plural}",
        summary=summary.format(entity=entity),
        resource=resource,
        parent_exists=records.exists,
        page_ids=page,
    )
