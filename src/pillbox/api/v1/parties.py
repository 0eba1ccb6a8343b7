"""API v1 people and organisations (`/api/party`, `/api/person`, `/api/organisation`).

Every read renders the v2 party (wire.renderers.PARTY) as a v1 document, and every write turns
the v1 document into the v2 `PartyInput` for the v2 domain functions, so both APIs show and keep
the same records under the same rules. The mapping (reference §4 and §15):

- `person`: `title`, `firstName`, `lastName`, `jobTitle`, `about`; `organisationId` links an
  organisation by id, else `organisationName` links one by name (made if the account has none).
  `organisation`: `name`, `about`. An empty element clears the field; an absent one keeps it.
- `contacts` rows: `address` (`street`, `city`, `state`, `zip`, `country`: a name or an ISO
  alpha-2/alpha-3 code), `email` (`emailAddress`), `phone` (`phoneNumber`), `website`
  (`webAddress`, `webService`; `url` is derived). `type` and `webService` are matched in any
  case. In an update, a row with an `id` changes that row and one without is added; in a create
  row ids are ignored.
- Contact ids: the four kinds of row are numbered apart, so a v1 contact id is the row id
  followed by one digit naming the kind (1 address, 2 email, 3 phone, 4 website): email row 7 is
  contact 72. That keeps `DELETE /api/party/{id}/contact/{contactId}` unambiguous.
- Read-only: `id`, `pictureURL`, `createdOn`, `updatedOn`, `lastContactedOn`, contact `url`.
- Values v1 never had stay out of its documents: a row `type` outside v1's lists is left out,
  and so are websites of a service v1 did not know.
- Organisation names stay unique within an account (the v2 rule), also through v1.
- Lists (`/api/party`, and `/api/person`, `/api/organisation` by type) take `q` (v2's party
  search, best match first), `email`, `tag` (a tag name), `lastmodified`, all AND-ed, and
  `start`/`limit`; the root carries `size`, the number of parties in the answer.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from pillbox import reference
from pillbox.api.kit.body import parse
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.v1 import params
from pillbox.api.v1.documents import (
    Element,
    child_text,
    id_value,
    leaf,
    leaves,
    list_element,
    rows,
    texts,
)
from pillbox.api.v1.http import (
    Handler,
    Route,
    created,
    document_response,
    done,
    path_id,
    read_document,
)
from pillbox.api.v1.records import (
    delete_handler,
    party_list_handler,
    ranked_list_handler,
    rendered,
)
from pillbox.domain import parties as domain
from pillbox.errors import NotFound
from pillbox.numbers import MAX_ID
from pillbox.store import parties as store
from pillbox.store import search
from pillbox.store.accounts import Principal
from pillbox.wire import renderers

PERSON, ORGANISATION = "person", "organisation"
ROOTS = {PERSON: (PERSON,), ORGANISATION: (ORGANISATION, "organization")}
# The website services v1 knew; v2 has more.
V1_SERVICES = frozenset(domain.WEBSITE_SERVICES[: domain.WEBSITE_SERVICES.index("PINTEREST") + 1])


@dataclass(frozen=True)
class ContactKind:
    element: str  # v1 row element: "email"
    collection: str  # v2 collection: "emailAddresses"
    digit: int  # last digit of its v1 contact ids
    fields: tuple[tuple[str, str], ...]  # (v1 element, v2 property), in v1's order
    types: tuple[str, ...]  # the `type` values v1 had


CONTACT_KINDS = (
    ContactKind(
        "address",
        "addresses",
        1,
        (
            ("street", "street"),
            ("city", "city"),
            ("state", "state"),
            ("zip", "zip"),
            ("country", "country"),
        ),
        ("Home", "Office", "Postal"),
    ),
    ContactKind("email", "emailAddresses", 2, (("emailAddress", "address"),), ("Home", "Work")),
    ContactKind(
        "phone", "phoneNumbers", 3, (("phoneNumber", "number"),), ("Home", "Work", "Mobile", "Fax")
    ),
    ContactKind(
        "website",
        "websites",
        4,
        (("webAddress", "address"), ("webService", "service")),
        ("Home", "Work"),
    ),
)
_BY_ELEMENT = {kind.element: kind for kind in CONTACT_KINDS}
_BY_DIGIT = {kind.digit: kind for kind in CONTACT_KINDS}


def contact_id(kind: ContactKind, row_id: int) -> int:
    return row_id * 10 + kind.digit


def contact_row(raw: str) -> tuple[ContactKind, int]:
    """The kind and row id a v1 contact id names; NotFound when it names none."""
    digits = raw.strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) > len(str(MAX_ID)) + 1:
        raise NotFound()
    value = int(digits)
    kind, row_id = _BY_DIGIT.get(value % 10), value // 10
    if kind is None or not 1 <= row_id <= MAX_ID:
        raise NotFound()
    return kind, row_id


# -- rendering: the v2 party as a v1 document ---------------------------------------------------


def party_element(wire: dict[str, Any]) -> Element:
    person = wire["type"] == PERSON
    values: list[tuple[str, Any]] = [("pictureURL", wire["pictureURL"])]
    if person:
        organisation = wire["organisation"] or {}
        values += [
            ("title", wire["title"]),
            ("firstName", wire["firstName"]),
            ("lastName", wire["lastName"]),
            ("jobTitle", wire["jobTitle"]),
            ("organisationId", organisation.get("id")),
            ("organisationName", organisation.get("name")),
        ]
    else:
        values.append(("name", wire["name"]))
    values += [
        ("about", wire["about"]),
        ("lastContactedOn", wire["lastContactedAt"]),
        ("createdOn", wire["createdAt"]),
        ("updatedOn", wire["updatedAt"]),
    ]
    children = [leaf("id", wire["id"]), contacts_element(wire), *leaves(values)]
    return Element(PERSON if person else ORGANISATION, children=children)


def contacts_element(wire: dict[str, Any]) -> Element:
    rows = [
        _row_element(kind, row)
        for kind in CONTACT_KINDS
        for row in wire[kind.collection]
        if kind.element != "website" or row["service"] in V1_SERVICES
    ]
    return Element("contacts", children=rows)


def _row_element(kind: ContactKind, row: dict[str, Any]) -> Element:
    children = [leaf("id", contact_id(kind, row["id"]))]
    if row["type"] in kind.types:
        children.append(leaf("type", row["type"]))
    names = (*kind.fields, ("url", "url")) if kind.element == "website" else kind.fields
    children += leaves((name, row[key]) for name, key in names)
    return Element(kind.element, children=children)


def parties_element(wires: list[dict[str, Any]]) -> Element:
    return list_element("parties", [party_element(wire) for wire in wires])


# -- reading: a v1 document as the v2 PartyInput ------------------------------------------------


def party_input(document: Element, party_type: str, creating: bool) -> domain.PartyInput:
    data: dict[str, Any] = {"type": party_type}
    names = ("title", "firstName", "lastName", "jobTitle") if party_type == PERSON else ("name",)
    data.update(texts(document, (*names, "about")))
    if party_type == PERSON:
        data.update(_organisation(document))
    for contacts in document.all("contacts"):
        for row in rows(contacts):
            kind = _BY_ELEMENT.get(row.name)
            if kind is not None:
                data.setdefault(kind.collection, []).append(_row_input(kind, row, creating))
    return parse(domain.PartyInput, data, domain.RESOURCE)


def _organisation(document: Element) -> dict[str, Any]:
    """organisationId links by id, else organisationName by name; sent empty, they unlink."""
    raw_id = child_text(document, "organisationId") if document.has("organisationId") else ""
    if raw_id:
        return {"organisation": {"id": id_value(raw_id, "organisationId")}}
    if document.has("organisationName"):
        name = child_text(document, "organisationName")
        return {"organisation": {"name": name} if name else None}
    return {"organisation": None} if document.has("organisationId") else {}


def _row_input(kind: ContactKind, row: Element, creating: bool) -> dict[str, Any]:
    item: dict[str, Any] = {}
    raw_id = child_text(row, "id") if row.has("id") else ""
    if raw_id and not creating:
        row_kind, item["id"] = contact_row(raw_id)
        if row_kind is not kind:
            raise NotFound()
    if row.has("type"):
        item["type"] = child_text(row, "type").strip().capitalize() or None
    for name, key in kind.fields:
        if row.has(name):
            item[key] = child_text(row, name) or None
    if item.get("service"):
        item["service"] = item["service"].strip().upper()
    if item.get("country"):
        item["country"] = _country_name(item["country"])
    return item


def _country_name(value: str) -> str:
    """An ISO alpha-2 or alpha-3 code as the country's name; anything else as sent."""
    return _country_codes().get(value.strip().upper(), value)


@cache
def _country_codes() -> dict[str, str]:
    return {
        country[code]: str(country["name"])
        for country in reference.countries()
        for code in ("alpha2Code", "alpha3Code")
    }


# -- lists --------------------------------------------------------------------------------------


def list_handler(party_type: str | None) -> Handler:
    """`GET /party`, or of one type (`/person`, `/organisation`)."""

    def criteria(query: QueryParams) -> store.PartyCriteria:
        return store.PartyCriteria(
            since=params.last_modified(query),
            email=params.text(query, "email"),
            tag=params.text(query, "tag"),
            type=party_type,
        )

    matching = store.matching_ids
    return ranked_list_handler(search.PARTIES, criteria, matching, renderers.PARTY, parties_element)


# -- one party ----------------------------------------------------------------------------------


def _one(conn: sa.Connection, who: Principal, party_id: int, party_type: str | None) -> Any:
    wire = rendered(conn, who, renderers.PARTY, party_id)
    if party_type not in (None, wire["type"]):
        raise NotFound()
    return wire


def show_handler(party_type: str | None) -> Handler:
    async def handle(request: Request) -> Response:
        party_id = path_id(request)
        wire = await database(request).read(_one, principal_of(request), party_id, party_type)
        return document_response(request, party_element(wire))

    return handle


def create_handler(party_type: str) -> Handler:
    async def handle(request: Request) -> Response:
        document = await read_document(request, ROOTS[party_type])
        data = party_input(document, party_type, creating=True)
        new_id = await database(request).write(domain.create_party, principal_of(request), data)
        return created(request, f"/party/{new_id}")

    return handle


def update_handler(party_type: str) -> Handler:
    async def handle(request: Request) -> Response:
        party_id = path_id(request)
        document = await read_document(request, ROOTS[party_type])
        data = party_input(document, party_type, creating=False)
        await database(request).write(domain.update_party, principal_of(request), party_id, data)
        return done()

    return handle


async def delete_contact(request: Request) -> Response:
    """Removes one contact row, as a v2 update sending the row with `_delete` would."""
    party_id = path_id(request)
    kind, row_id = contact_row(request.path_params["contactId"])
    removal = {kind.collection: [{"id": row_id, "_delete": True}]}
    data = parse(domain.PartyInput, removal, domain.RESOURCE)
    await database(request).write(domain.update_party, principal_of(request), party_id, data)
    return done()


def routes() -> list[Route]:
    """(method, path under /api, handler) of every party endpoint, aliases included."""
    people = party_list_handler(store.people_ids, renderers.PARTY, parties_element)
    found: list[Route] = [
        ("GET", "/party", list_handler(None)),
        ("GET", "/party/{id}", show_handler(None)),
        ("DELETE", "/party/{id}", delete_handler(domain.delete_party)),
        ("GET", "/party/{id}/people", people),
        ("DELETE", "/party/{id}/contact/{contactId}", delete_contact),
    ]
    spellings: list[tuple[str, str]] = [
        (PERSON, PERSON),
        (ORGANISATION, ORGANISATION),
        ("organization", ORGANISATION),
    ]
    for segment, party_type in spellings:
        update = update_handler(party_type)
        found += [
            ("GET", f"/{segment}", list_handler(party_type)),
            ("POST", f"/{segment}", create_handler(party_type)),
            ("GET", f"/{segment}/{{id}}", show_handler(party_type)),
            ("PUT", f"/{segment}/{{id}}", update),
            ("POST", f"/{segment}/{{id}}", update),  # an older client's way of adding contacts
        ]
    return found
