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
from pillbox.store.tables import users

DELETERS = {
    "kases": delete_kase,
    "opportunities": delete_opportunity,
    "parties": delete_party,  # last: deleting a party deletes its opportunities and projects
}


def apply(conn: sa.Connection, client: CapsuleClient, current: State, ids: IdMap) -> None:
    assert current.report.since is not None
    actor = _actor(conn, current.account_id)
    for collection, delete in DELETERS.items():
        page, more = 1, True
        while more:
            params = {"since": current.report.since}
            listed = client.page(f"/{collection}/deleted", collection, page, params)
            for item in listed.items:
                local = ids.local(collection, item["id"])
                if local is None:
                    continue
                try:
                    delete(conn, actor, local)
                    current.report.deleted += 1
                except NotFound:
                    pass  # gone with its party already
                ids.drop(collection, item["id"])
            page, more = page + 1, listed.has_more


def _actor(conn: sa.Connection, account_id: int) -> Principal:
    """Deletions act as the account's first user (there is one: the import brought them)."""
    query = sa.select(sa.func.min(users.c.id)).where(users.c.account_id == account_id)
    return Principal(conn.scalar(query) or 0, account_id, "write", is_admin=True)
