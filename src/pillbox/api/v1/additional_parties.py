"""API v1 additional parties: people and organisations linked to an opportunity or a case
besides its main party (`/api/opportunity/{id}/party[/{partyId}]`, the same under `/api/kase`).

The links are v2's (`/api/v2/{opportunities|kases}/{id}/parties`), read and changed through the
v2 domain functions. The reference leaves the answers unconfirmed and recommends tags' manner,
which is followed:

- `GET …/party` lists the linked parties as `parties` of `person`/`organisation` documents (the
  documents of `GET /api/party`), in id order, paged by `start`/`limit`; the main party is not
  among them.
- `POST …/party/{partyId}` (no body) links the party: `201` with the link's address as
  `Location` when newly linked, `200` when it already was. Linking the main party is a 400, as
  v2's rule has it.
- `DELETE …/party/{partyId}` unlinks the party (it stays): `200`; a party not linked is a 404.
- A record or party that is not the account's is a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit.resource import database, principal_of
from pillbox.api.v1 import params
from pillbox.api.v1.http import Handler, Route, created, document_response, done, path_id
from pillbox.api.v1.parties import parties_element
from pillbox.api.v1.records import KASE, NO_EMBEDS, OPPORTUNITY, RecordType, check_record
from pillbox.domain import kases, opportunities
from pillbox.store import additional_parties
from pillbox.store.accounts import Principal
from pillbox.store.additional_parties import PartyLinks
from pillbox.wire import renderers

Link = Callable[[sa.Connection, Principal, int, int], None]


@dataclass(frozen=True)
class LinkedRecord:
    """A record type that takes additional parties, with its links and the v2 rules."""

    kind: RecordType
    links: PartyLinks
    add: Link
    remove: Link


RECORDS = (
    LinkedRecord(
        OPPORTUNITY,
        additional_parties.OPPORTUNITIES,
        opportunities.add_party,
        opportunities.remove_party,
    ),
    LinkedRecord(KASE, additional_parties.KASES, kases.add_party, kases.remove_party),
)


def list_handler(record: LinkedRecord) -> Handler:
    async def handle(request: Request) -> Response:
        record_id = path_id(request)
        window = params.window(request.query_params)
        who = principal_of(request)

        def run(conn: sa.Connection) -> list[dict[str, Any]]:
            check_record(conn, who.account_id, record.kind, record_id)
            ids = record.links.party_ids(conn, record_id, window.start, window.limit)
            return renderers.PARTY(conn, who, ids, NO_EMBEDS)

        wires = await database(request).read(run)
        return document_response(request, parties_element(wires))

    return handle


def _link(
    conn: sa.Connection, who: Principal, record: LinkedRecord, record_id: int, party_id: int
) -> bool:
    """Links the party; returns whether it was not linked before."""
    check_record(conn, who.account_id, record.kind, record_id)
    if record.links.has(conn, record_id, party_id):
        return False
    record.add(conn, who, record_id, party_id)
    return True


def add_handler(record: LinkedRecord) -> Handler:
    async def handle(request: Request) -> Response:
        record_id, party_id = path_id(request), path_id(request, "partyId")
        who = principal_of(request)
        added = await database(request).write(_link, who, record, record_id, party_id)
        if not added:
            return done()
        return created(request, f"/{record.kind.segment}/{record_id}/party/{party_id}")

    return handle


def remove_handler(record: LinkedRecord) -> Handler:
    async def handle(request: Request) -> Response:
        record_id, party_id = path_id(request), path_id(request, "partyId")
        await database(request).write(record.remove, principal_of(request), record_id, party_id)
        return done()

    return handle


def routes() -> list[Route]:
    """(method, path under /api, handler) of the additional-party endpoints of both records."""
    found: list[Route] = []
    for record in RECORDS:
        one = f"/{record.kind.segment}/{{id}}/party/{{partyId}}"
        found += [
            ("GET", f"/{record.kind.segment}/{{id}}/party", list_handler(record)),
            ("POST", one, add_handler(record)),
            ("DELETE", one, remove_handler(record)),
        ]
    return found
