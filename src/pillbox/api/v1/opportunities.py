"""API v1 opportunities (`/api/opportunity`, and a party's under `/api/party/{id}/opportunity`).

Every read renders the v2 opportunity (wire.renderers.OPPORTUNITY) as a v1 document, and every
write builds the v2 `OpportunityInput` for the v2 domain functions, so both APIs keep the same
opportunities under the same rules (a complete milestone closes one, the probability follows
the milestone, …). The mapping (reference §5, §13.5, §14 and §15):

- `name`, `description`. An empty element clears its field, an absent one keeps it.
- `partyId` is the main party: the party an opportunity is created (or moved) under. No
  additional party is added on create, whoever the party works for.
- `value` (shown with at least two decimals, `500.00`) and `currency` are v2's `value`; either
  may be sent alone and the other is kept. A value without any currency takes the user's
  currency; a currency sent to an opportunity without a value qualifies nothing and is ignored.
- `expectedCloseDate` and `actualCloseDate` are v2's dates `expectedCloseOn` and `closedOn`,
  shown at midnight UTC. A date is read as written (`2012-03-21`, or a date-time whose time
  and offset are ignored), since a client's midnight in its own zone is still that day.
- `milestoneId` and `milestone` (a name, any case) both name the milestone. Clients resend
  both as they read them, having changed one, so the one naming a milestone other than the
  current one is taken (the id when both do, and on create). A name is looked for in the
  opportunity's own pipeline first, then in active pipelines, oldest first.
- `probability` is passed on only when it changes the current value and the milestone is open.
  Clients resend the probability they read, which v2 refuses on a closed opportunity (one
  client library stopped sending it for that reason), and which a new milestone must replace.
- `durationBasis` (any case) and `duration`; sending the `FIXED` basis clears the duration.
- `owner` is a username (default: the token's user); an unknown one is a 400.
- `trackId` applies that track definition on create, from the query (or, as one client sends
  it, an element), dated `endDate` (`YYYYMMDD`, `YYYY-MM-DD` or a date-time; default today).
- Read-only: `id`, `partyId`, `actualCloseDate`, `createdOn`, `updatedOn`. v2's team, lost
  reason, tags and fields stay out of the document and are kept by a v1 update.
- `GET /api/opportunity` takes `q` (v2's opportunity search, best match first), `milestone`
  (a name), `tag` (a name), `lastmodified`, all AND-ed, and `start`/`limit`; a party's list
  holds the opportunities it is the main party of. List roots carry `size`.
- `GET /api/opportunity/deleted` lists v2's deletion tombstones, oldest first, paged by
  `start`/`limit`. The reference leaves the form of `since` unconfirmed: `YYYYMMDDTHHMMSS`, an
  ISO 8601 date-time or a plain date are taken, and without it every deletion is listed.
- Updates: `PUT /api/opportunity/{id}`; also, as clients send them, `PUT
  /api/party/{partyId}/opportunity/{id}` (one client's save address) and `PUT
  /api/party/{partyId}/opportunity` naming the opportunity in its `id` element (another's,
  unconfirmed in the reference). Both make that party the main party, as the case's move does.
"""

from decimal import Decimal
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
    id_value,
    integer_value,
    leaf,
    leaves,
    list_element,
    midnight,
    sent,
    texts,
)
from pillbox.api.v1.http import Route, created, document_response, done, path_id, read_document
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
from pillbox.domain import opportunities as domain
from pillbox.errors import InvalidBody, NotFound, ValidationFailed
from pillbox.store import opportunities as store
from pillbox.store import pipelines, records, search
from pillbox.store import users as user_store
from pillbox.store.accounts import Principal
from pillbox.wire import renderers

ROOT = "opportunity"
CENTS = Decimal("0.01")
SINCE = "YYYYMMDDTHHMMSS, an ISO 8601 date-time or a date"


# -- rendering: the v2 opportunity as a v1 document ---------------------------------------------


def money(amount: float | None) -> str | None:
    """A v2 amount as v1 showed values: at least two decimals (`500.00`), never rounded."""
    if amount is None:
        return None
    exact = Decimal(str(amount))
    exponent = exact.as_tuple().exponent
    shown = exact.quantize(CENTS) if isinstance(exponent, int) and exponent >= -2 else exact
    return format(shown, "f")


def opportunity_element(wire: dict[str, Any]) -> Element:
    value = wire["value"] or {}
    owner = wire["owner"] or {}
    values = [
        ("id", wire["id"]),
        ("name", wire["name"]),
        ("description", wire["description"]),
        ("partyId", wire["party"]["id"]),
        ("currency", value.get("currency")),
        ("value", money(value.get("amount"))),
        ("durationBasis", wire["durationBasis"]),
        ("duration", wire["duration"]),
        ("expectedCloseDate", midnight(wire["expectedCloseOn"])),
        ("actualCloseDate", midnight(wire["closedOn"])),
        ("milestoneId", wire["milestone"]["id"]),
        ("milestone", wire["milestone"]["name"]),
        ("probability", wire["probability"]),
        ("owner", owner.get("username")),
        ("createdOn", wire["createdAt"]),
        ("updatedOn", wire["updatedAt"]),
    ]
    return Element(ROOT, children=leaves(values))


def opportunities_element(wires: list[dict[str, Any]]) -> Element:
    return list_element("opportunities", [opportunity_element(wire) for wire in wires])


def deleted_element(rows: list[Any]) -> Element:
    items = [
        Element(
            "deletedOpportunity", children=[leaf("id", row.id), leaf("deletedDate", row.deleted_at)]
        )
        for row in rows
    ]
    return list_element("deletedOpportunities", items)


# -- reading: a v1 document as the v2 OpportunityInput ------------------------------------------


def opportunity_input(
    conn: sa.Connection,
    who: Principal,
    document: Element,
    current: Any,
    party_id: int | None,
    tracks: list[dict[str, Any]],
) -> domain.OpportunityInput:
    """The v2 input of a v1 document; `current` is the stored row (None on create)."""
    data: dict[str, Any] = {"party": {"id": party_id}} if party_id is not None else {}
    data.update(texts(document, ("name", "description")))
    owner = sent(document, "owner")
    if owner is not None:
        data["owner"] = owner_ref(conn, who.account_id, owner, domain.RESOURCE)
    expected = sent(document, "expectedCloseDate")
    if expected is not None:
        data["expectedCloseOn"] = date_value(expected, "expectedCloseDate") if expected else None
    data.update(_value(conn, who, document, current))
    data.update(_duration(document))
    milestone_id = _milestone_id(conn, who.account_id, document, current)
    if milestone_id is not None:
        data["milestone"] = {"id": milestone_id}
    data.update(_probability(conn, who.account_id, document, current, milestone_id))
    if tracks:
        data["tracks"] = tracks
    return parse(domain.OpportunityInput, data, domain.RESOURCE)


def _value(conn: sa.Connection, who: Principal, document: Element, current: Any) -> dict[str, Any]:
    amount, currency = sent(document, "value"), sent(document, "currency")
    if amount is None and currency is None:
        return {}
    if amount is None:
        amount = None if current is None else current.value_amount
        if amount is None:
            return {}  # a currency alone qualifies no value
    if not amount:
        return {"value": None}
    kept = None if current is None else current.value_currency
    currency = currency or kept or _user_currency(conn, who)
    return {"value": {"amount": amount, "currency": currency}}


def _user_currency(conn: sa.Connection, who: Principal) -> str:
    return str(user_store.load(conn, who.account_id, [who.user_id])[who.user_id].currency)


def _duration(document: Element) -> dict[str, Any]:
    data: dict[str, Any] = {}
    basis = sent(document, "durationBasis")
    if basis is not None:
        data["durationBasis"] = basis.upper() or None
    duration = sent(document, "duration")
    if duration is not None:
        data["duration"] = integer_value(duration, "duration") if duration else None
    if "durationBasis" in data and data["durationBasis"] in (None, "FIXED"):
        data["duration"] = None
    return data


def _milestone_id(conn: sa.Connection, account_id: int, document: Element, current: Any) -> Any:
    """The milestone the document names, if it names one (see the module's notes)."""
    raw_id, name = sent(document, "milestoneId"), sent(document, "milestone")
    by_id = id_value(raw_id, "milestoneId") if raw_id else None
    if by_id is not None and (not name or current is None or by_id != current.milestone_id):
        return by_id
    return _milestone_named(conn, account_id, name, current) if name else None


def _milestone_named(conn: sa.Connection, account_id: int, name: str, current: Any) -> int:
    found = pipelines.milestones_named(conn, account_id, name)
    if not found:
        raise ValidationFailed.single("milestone not found", domain.RESOURCE, "milestone")
    if current is not None:
        own = pipelines.find_milestone(conn, account_id, current.milestone_id).pipeline_id
        found.sort(key=lambda row: row.pipeline_id != own)  # stable: the own pipeline first
    return int(found[0].id)


def _probability(
    conn: sa.Connection, account_id: int, document: Element, current: Any, milestone_id: Any
) -> dict[str, Any]:
    raw = sent(document, "probability")
    if not raw:
        return {}
    probability = integer_value(raw, "probability")
    if not 0 <= probability <= 100:
        raise InvalidBody("probability must be between 0 and 100")
    if current is not None and probability == current.probability:
        return {}
    if milestone_id is None and current is not None:
        milestone_id = current.milestone_id
    milestone = pipelines.find_milestone(conn, account_id, milestone_id) if milestone_id else None
    if milestone is not None and milestone.complete:
        return {}
    return {"probability": probability}


# -- handlers -----------------------------------------------------------------------------------


def list_criteria(query: QueryParams) -> store.OpportunityCriteria:
    return store.OpportunityCriteria(
        since=params.last_modified(query),
        tag=params.text(query, "tag"),
        milestone=params.text(query, "milestone"),
    )


async def list_deleted(request: Request) -> Response:
    since = params.moment(request.query_params, "since", SINCE)
    window = params.window(request.query_params)
    account_id = principal_of(request).account_id

    def run(conn: sa.Connection) -> list[Any]:
        entity = domain.ENTITY
        return records.deleted_page(conn, account_id, entity, since, window.start, window.limit)

    rows = await database(request).read(run)
    return document_response(request, deleted_element(rows))


show_opportunity = show_handler(renderers.OPPORTUNITY, opportunity_element)


def _create(
    conn: sa.Connection,
    who: Principal,
    party_id: int,
    document: Element,
    tracks: list[dict[str, Any]],
) -> int:
    check_record(conn, who.account_id, PARTY, party_id)
    data = opportunity_input(conn, who, document, None, party_id, tracks)
    return domain.create_opportunity(conn, who, data)


async def create_opportunity(request: Request) -> Response:
    party_id = path_id(request)
    document = await read_document(request, ROOT)
    tracks = track_items(request.query_params, document)
    who = principal_of(request)
    new_id = await database(request).write(_create, who, party_id, document, tracks)
    return created(request, f"/opportunity/{new_id}")


def _update(
    conn: sa.Connection,
    who: Principal,
    opportunity_id: int,
    document: Element,
    party_id: int | None,
) -> None:
    current = store.find(conn, who.account_id, opportunity_id)
    if current is None:
        raise NotFound()
    if party_id is not None:
        check_record(conn, who.account_id, PARTY, party_id)
    data = opportunity_input(conn, who, document, current, party_id, [])
    domain.update_opportunity(conn, who, opportunity_id, data)


async def update_opportunity(request: Request) -> Response:
    """`PUT /opportunity/{id}`, or `PUT /party/{partyId}/opportunity/{id}` moving it there."""
    opportunity_id = path_id(request)
    party_id = path_id(request, "partyId") if "partyId" in request.path_params else None
    document = await read_document(request, ROOT)
    who = principal_of(request)
    await database(request).write(_update, who, opportunity_id, document, party_id)
    return done()


async def update_named_opportunity(request: Request) -> Response:
    """`PUT /party/{id}/opportunity`: the opportunity its `id` element names, moved there."""
    party_id = path_id(request)
    document = await read_document(request, ROOT)
    raw = sent(document, "id")
    if not raw:
        raise InvalidBody("The opportunity's id is required")
    opportunity_id = id_value(raw, "id")
    who = principal_of(request)
    await database(request).write(_update, who, opportunity_id, document, party_id)
    return done()


def routes() -> list[Route]:
    """(method, path under /api, handler) of every opportunity endpoint."""
    elements, party_ids = opportunities_element, store.party_opportunity_ids
    index, matching = search.OPPORTUNITIES, store.matching_ids
    return [
        (
            "GET",
            "/opportunity",
            ranked_list_handler(index, list_criteria, matching, renderers.OPPORTUNITY, elements),
        ),
        ("GET", "/opportunity/deleted", list_deleted),
        ("GET", "/opportunity/{id}", show_opportunity),
        ("PUT", "/opportunity/{id}", update_opportunity),
        ("DELETE", "/opportunity/{id}", delete_handler(domain.delete_opportunity)),
        (
            "GET",
            "/party/{id}/opportunity",
            party_list_handler(party_ids, renderers.OPPORTUNITY, elements),
        ),
        ("POST", "/party/{id}/opportunity", create_opportunity),
        ("PUT", "/party/{id}/opportunity", update_named_opportunity),
        ("PUT", "/party/{partyId}/opportunity/{id}", update_opportunity),
    ]
