"""API v1 cases (`/api/kase`, and a party's under `/api/party/{id}/kase`): v2's projects.

Every read renders the v2 project (wire.renderers.KASE) as a v1 `kase` document, and every write
builds the v2 `KaseInput` for the v2 domain functions, so both APIs keep the same cases under the
same rules. The mapping (reference §6, §13.5 and §15):

- `name`, `description`. An empty element clears its field, an absent one keeps it.
- `status` is `OPEN` or `CLOSED` (any case): closing sets the close date to today, reopening
  clears it, as in v2. `closeDate` is v2's `closedOn`, shown at midnight UTC; a `closeDate` sent
  dates the closing when the case is closed after the write, and is ignored on an open case.
  A date is read as written, as for opportunities.
- `partyId` is the main party: the party a case is created under, or moved to by `PUT
  /api/party/{partyId}/kase/{id}`; read-only in the document.
- `owner` is a username (default: the token's user); an unknown one is a 400, and a case with
  neither owner nor team is refused, as in v2.
- `trackId` applies that track definition on create, as for opportunities.
- Read-only: `id`, `partyId`, `createdOn`, `updatedOn`. v2's team, opportunity, board stage,
  start and expected close dates, tags and fields stay out of the document and are kept.
- `GET /api/kase` takes `q` (v2's project search, best match first), `tag` (a name) and
  `lastmodified`, all AND-ed, and `start`/`limit`; a party's list holds the cases it is the main
  party of. List roots carry `size`.
"""

from typing import Any

import sqlalchemy as sa
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit.body import parse
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.v1 import params
from pillbox.api.v1.documents import (
    Element,
    date_value,
    leaves,
    list_element,
    midnight,
    sent,
    texts,
)
from pillbox.api.v1.http import Route, created, done, path_id, read_document
from pillbox.api.v1.records import (
    PARTY,
    check_record,
    delete_handler,
    owner_ref,
    party_list_handler,
    ranked_list_handler,
    show_handler,
    track_items,
)
from pillbox.domain import kases as domain
from pillbox.errors import NotFound
from pillbox.store import kases as store
from pillbox.store import search
from pillbox.store.accounts import Principal
from pillbox.wire import renderers

ROOT = "kase"

# -- rendering: the v2 project as a v1 document -------------------------------------------------


def kase_element(wire: dict[str, Any]) -> Element:
    owner = wire["owner"] or {}
    values = [
        ("id", wire["id"]),
        ("status", wire["status"]),
        ("name", wire["name"]),
        ("description", wire["description"]),
        ("partyId", wire["party"]["id"]),
        ("closeDate", midnight(wire["closedOn"])),
        ("owner", owner.get("username")),
        ("createdOn", wire["createdAt"]),
        ("updatedOn", wire["updatedAt"]),
    ]
    return Element(ROOT, children=leaves(values))


def kases_element(wires: list[dict[str, Any]]) -> Element:
    return list_element("kases", [kase_element(wire) for wire in wires])


# -- reading: a v1 document as the v2 KaseInput -------------------------------------------------


def kase_input(
    conn: sa.Connection,
    who: Principal,
    document: Element,
    party_id: int | None,
    tracks: list[dict[str, Any]],
) -> domain.KaseInput:
    data: dict[str, Any] = {"party": {"id": party_id}} if party_id is not None else {}
    data.update(texts(document, ("name", "description")))
    status = sent(document, "status")
    if status:
        data["status"] = status.upper()
    owner = sent(document, "owner")
    if owner is not None:
        data["owner"] = owner_ref(conn, who.account_id, owner, domain.RESOURCE)
    if tracks:
        data["tracks"] = tracks
    return parse(domain.KaseInput, data, domain.RESOURCE)


def close_date(document: Element) -> str | None:
    raw = sent(document, "closeDate")
    return date_value(raw, "closeDate") if raw else None


def _date_closing(conn: sa.Connection, who: Principal, kase_id: int, day: str | None) -> None:
    if day is not None:
        domain.date_closing(conn, who, kase_id, day)


# -- handlers -----------------------------------------------------------------------------------


def list_criteria(query: QueryParams) -> store.KaseCriteria:
    return store.KaseCriteria(since=params.last_modified(query), tag=params.text(query, "tag"))


show_kase = show_handler(renderers.KASE, kase_element)


def _create(
    conn: sa.Connection,
    who: Principal,
    party_id: int,
    document: Element,
    tracks: list[dict[str, Any]],
) -> int:
    check_record(conn, who.account_id, PARTY, party_id)
    closing = close_date(document)
    kase_id = domain.create_kase(conn, who, kase_input(conn, who, document, party_id, tracks))
    _date_closing(conn, who, kase_id, closing)
    return kase_id


async def create_kase(request: Request) -> Response:
    party_id = path_id(request)
    document = await read_document(request, ROOT)
    tracks = track_items(request.query_params, document)
    who = principal_of(request)
    new_id = await database(request).write(_create, who, party_id, document, tracks)
    return created(request, f"/kase/{new_id}")


def _update(
    conn: sa.Connection, who: Principal, kase_id: int, document: Element, party_id: int | None
) -> None:
    if store.find(conn, who.account_id, kase_id) is None:
        raise NotFound()
    if party_id is not None:
        check_record(conn, who.account_id, PARTY, party_id)
    closing = close_date(document)
    domain.update_kase(conn, who, kase_id, kase_input(conn, who, document, party_id, []))
    _date_closing(conn, who, kase_id, closing)


async def update_kase(request: Request) -> Response:
    """`PUT /kase/{id}`, or `PUT /party/{partyId}/kase/{id}` moving the case to that party."""
    kase_id = path_id(request)
    party_id = path_id(request, "partyId") if "partyId" in request.path_params else None
    document = await read_document(request, ROOT)
    await database(request).write(_update, principal_of(request), kase_id, document, party_id)
    return done()


def routes() -> list[Route]:
    """(method, path under /api, handler) of every case endpoint."""
    elements, party_ids = kases_element, store.party_kase_ids
    index, matching = search.KASES, store.matching_ids
    return [
        (
            "GET",
            "/kase",
            ranked_list_handler(index, list_criteria, matching, renderers.KASE, elements),
        ),
        ("GET", "/kase/{id}", show_kase),
        ("PUT", "/kase/{id}", update_kase),
        ("DELETE", "/kase/{id}", delete_handler(domain.delete_kase)),
        ("GET", "/party/{id}/kase", party_list_handler(party_ids, renderers.KASE, elements)),
        ("POST", "/party/{id}/kase", create_kase),
        ("PUT", "/party/{partyId}/kase/{id}", update_kase),
    ]
