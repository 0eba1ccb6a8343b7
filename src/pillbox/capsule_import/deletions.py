"""`--since-last`: records Capsule deleted since the last import are deleted here too.

Capsule lists deleted parties, opportunities and projects (`/{collection}/deleted?since=`); each
one this import wrote is deleted through the domain, as a deletion through the API would be: with
what hangs off it, into Pillbox's own deleted feed, announced to REST hooks.
"""

import sqlalchemy as sa

from pillbox.capsule_import.client import CapsuleClient
from pillbox.capsule_import.ids import IdMap
from pillbox.capsule_import.state import State
from pillbox.domain.kases import delete_kase
from pillbox.domain.opportunities import delete_opportunity
from pillbox.domain.parties import delete_party
from pillbox.errors import NotFound
from pillbox.store.accounts import Principal
from pillbox.store.tables.accounts import users

DELETERS = {
    "kases": delete_kase,
    "opportunities": delete_opportunity,
    "parties": delete_party,  # last: deleting a party deletes its opportunities and projects
}


def read(client: CapsuleClient, since: str) -> dict[str, list[int]]:
    """The Capsule ids of each collection's records deleted since `since`."""
    found: dict[str, list[int]] = {}
    for collection in DELETERS:
        found[collection], page, more = [], 1, True
        while more:
            listed = client.page(f"/{collection}/deleted", collection, page, {"since": since})
            found[collection] += [item["id"] for item in listed.items]
            page, more = page + 1, listed.has_more
    return found


def apply(conn: sa.Connection, current: State, ids: IdMap, deleted: dict[str, list[int]]) -> None:
    """Deletes here the records of `deleted` this import wrote."""
    actor = _actor(conn, current.account_id)
    for collection, delete in DELETERS.items():
        for source_id in deleted.get(collection, []):
            local = ids.local(collection, source_id)
            if local is None:
                continue
            try:
                delete(conn, actor, local)
                current.report.deleted += 1
            except NotFound:
                pass  # gone with its party already
            ids.drop(collection, source_id)


def _actor(conn: sa.Connection, account_id: int) -> Principal:
    """Deletions act as the account's first user (there is one: the import brought them)."""
    query = sa.select(sa.func.min(users.c.id)).where(users.c.account_id == account_id)
    return Principal(conn.scalar(query) or 0, account_id, "write", is_admin=True)
