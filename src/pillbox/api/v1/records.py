"""What API v1 does alike for the records it serves: finding them, their owners and tracks, and
their lists.

- `RECORD_TYPES` describes parties, opportunities and cases as v1 paths name them (`party`,
  `opportunity`, `kase`): the v2 functions that read and change each, and the elements naming
  a record of that type in another's document (`caseId`, `caseName`). Tags, custom fields,
  history and the tasks of a record are served for all three from this one description.
- A record is the account's or is not found: another account's and a missing one are the same
  404 (`check_record`, `rendered`).
- `owner` is a username: blank is no owner, a name the account does not have a 400.
- On create, `trackId` (in the query or, as one client sends it, an element) applies that track
  definition, dated by `endDate` (a date or date-time; default today).
- A list with both search terms (`q`) and filters walks v2's ranked search matches, keeping
  those that meet the filters too, so the best match still comes first (`ranked_ids`).
- A party's lists (its people, opportunities, cases) answer 404 for a party the account does
  not have, and are paged by `start`/`limit` (`party_list_handler`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit import params as v2_params
from pillbox.api.kit.body import parse
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.v1 import params
from pillbox.api.v1.documents import Element, date_value, id_value, sent
from pillbox.api.v1.http import Handler, document_response, done, path_id
from pillbox.domain import kases as kase_domain
from pillbox.domain import opportunities as opportunity_domain
from pillbox.domain import parties as party_domain
from pillbox.domain.base import InputModel
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import kases as kase_store
from pillbox.store import opportunities as opportunity_store
from pillbox.store import parties as party_store
from pillbox.store import ranked, search
from pillbox.store import users as user_store
from pillbox.store.accounts import Principal
from pillbox.store.ranked import C, Matching
from pillbox.wire import renderers
from pillbox.wire.render import Render

NO_EMBEDS: frozenset[str] = frozenset()
# The v1 list document of some v2 records: `opportunities_element(wires)`.
ListElement = Callable[[list[dict[str, Any]]], Element]
# (conn, account_id, party_id, offset, limit) -> ids of a page of the party's records
PartyRecordIds = Callable[[sa.Connection, int, int, int, int], list[int]]


@dataclass(frozen=True)
class RecordType:
    """A record type as v1 paths name it, with the v2 functions that read and change it."""

    segment: str  # the v1 path segment, also the v2 resource and entry link: "party"
    entity: str  # what v2 files its tags and fields under: "parties"
    id_element: str  # the element naming a record of this type elsewhere: "partyId"
    name_element: str  # and the one showing its name: "partyName"
    find: Callable[[sa.Connection, int, int], Any]  # (conn, account_id, id) -> row or None
    render: Render
    input_model: type[InputModel]
    update: Callable[[sa.Connection, Principal, int, Any], None]

    @property
    def entry_column(self) -> str:
        """The column of an entry or task naming a record of this type: "party_id"."""
        return f"{self.segment}_id"


PARTY = RecordType(
    "party",
    party_domain.ENTITY,
    "partyId",
    "partyName",
    party_store.find,
    renderers.PARTY,
    party_domain.PartyInput,
    party_domain.update_party,
)
OPPORTUNITY = RecordType(
    "opportunity",
    opportunity_domain.ENTITY,
    "opportunityId",
    "opportunityName",
    opportunity_store.find,
    renderers.OPPORTUNITY,
    opportunity_domain.OpportunityInput,
    opportunity_domain.update_opportunity,
)
KASE = RecordType(
    "kase",
    kase_domain.ENTITY,
    "caseId",
    "caseName",
    kase_store.find,
    renderers.KASE,
    kase_domain.KaseInput,
    kase_domain.update_kase,
)
RECORD_TYPES = (PARTY, OPPORTUNITY, KASE)


# -- one record -----------------------------------------------------------------------------------


def check_record(conn: sa.Connection, account_id: int, kind: RecordType, record_id: int) -> None:
    """NotFound unless the account has this record (another account's is missing too)."""
    if kind.find(conn, account_id, record_id) is None:
        raise NotFound()


def change_record(
    conn: sa.Connection, who: Principal, kind: RecordType, record_id: int, data: dict[str, Any]
) -> None:
    """The v2 update of the record with the v2 body `data` (`{"tags": […]}`)."""
    kind.update(conn, who, record_id, parse(kind.input_model, data, kind.segment))


def rendered(
    conn: sa.Connection,
    who: Principal,
    render: Render,
    record_id: int,
    embeds: frozenset[str] = NO_EMBEDS,
) -> dict[str, Any]:
    """The v2 wire form of one of the account's records; NotFound when it has none such."""
    found = render(conn, who, [record_id], embeds)
    if not found:
        raise NotFound()
    return found[0]


def record_name(record: dict[str, Any]) -> str:
    """The name of a v2 record reference: its `name`, or a person's first and last names."""
    if "name" in record:
        return str(record["name"] or "")
    return " ".join(part for part in (record["firstName"], record["lastName"]) if part)


def show_handler(render: Render, element: Callable[[dict[str, Any]], Element]) -> Handler:
    """`GET` of the record the path's `id` names: its v2 rendering as a v1 `element`."""

    async def handle(request: Request) -> Response:
        wire = await database(request).read(
            rendered, principal_of(request), render, path_id(request)
        )
        return document_response(request, element(wire))

    return handle


def delete_handler(delete: Callable[[sa.Connection, Principal, int], None]) -> Handler:
    """`DELETE` of the record the path's `id` names, by its v2 domain function `delete`."""

    async def handle(request: Request) -> Response:
        await database(request).write(delete, principal_of(request), path_id(request))
        return done()

    return handle


# -- values of a write ----------------------------------------------------------------------------


def owner_id(conn: sa.Connection, account_id: int, raw: str, resource: str) -> int | None:
    """The user an `owner` username names; None (no owner) when blank."""
    username = raw.strip()
    if not username:
        return None
    found = user_store.user_with_username(conn, account_id, username)
    if found is None:
        raise ValidationFailed.single("owner not found", resource, "owner")
    return found


def owner_ref(conn: sa.Connection, account_id: int, raw: str, resource: str) -> Any:
    """`owner` as the v2 reference to that user (`{"id": 7}`), None when blank."""
    found = owner_id(conn, account_id, raw, resource)
    return None if found is None else {"id": found}


def track_items(query: QueryParams, document: Element) -> list[dict[str, Any]]:
    """The v2 `tracks` of a create: `trackId` (query, else element), dated `endDate`."""
    raw = params.text(query, "trackId") or sent(document, "trackId")
    if not raw:
        return []
    item: dict[str, Any] = {"definition": {"id": id_value(raw, "trackId")}}
    end = params.text(query, "endDate")
    if end is not None:
        item["trackDateOn"] = date_value(end, "endDate")
    return [item]


# -- ranked lists ---------------------------------------------------------------------------------


def ranked_ids(
    conn: sa.Connection,
    account_id: int,
    index: search.SearchIndex,
    terms: list[str],
    criteria: C,
    matching: Matching[C],
    window: params.Window,
) -> list[int]:
    """One page of a list: search matches best first when there are terms, else id order."""
    return ranked.ranked_ids(
        conn, account_id, index, terms, criteria, matching, window.start, window.limit
    )


def ranked_list_handler(
    index: search.SearchIndex,
    criteria: Callable[[QueryParams], C],
    matching: Matching[C],
    render: Render,
    element: ListElement,
) -> Handler:
    """A list taking `q` (ranked by `index`), the filters `criteria` reads from the query, and
    `start`/`limit`."""

    async def handle(request: Request) -> Response:
        query = request.query_params
        window, terms, wanted = params.window(query), v2_params.search_terms(query), criteria(query)
        who = principal_of(request)

        def run(conn: sa.Connection) -> list[dict[str, Any]]:
            ids = ranked_ids(conn, who.account_id, index, terms, wanted, matching, window)
            return render(conn, who, ids, NO_EMBEDS)

        return document_response(request, element(await database(request).read(run)))

    return handle


def party_list_handler(ids_of: PartyRecordIds, render: Render, element: ListElement) -> Handler:
    """A list of the party the path's `id` names: the records `ids_of` gives for it."""

    async def handle(request: Request) -> Response:
        party_id = path_id(request)
        window = params.window(request.query_params)
        who = principal_of(request)

        def run(conn: sa.Connection) -> list[dict[str, Any]]:
            check_record(conn, who.account_id, PARTY, party_id)
            ids = ids_of(conn, who.account_id, party_id, window.start, window.limit)
            return render(conn, who, ids, NO_EMBEDS)

        return document_response(request, element(await database(request).read(run)))

    return handle
