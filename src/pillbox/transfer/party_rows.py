"""Parties as CSV rows: a party's columns, the party a row matches, and the writes that make a
row true (what each column means is in `party_columns`).

A party's projection is what an export writes for it (key -> text). Importing a row compares
it with the projection of the party it matches: only what differs is sent to the domain's
update, so a row already true changes nothing, and a second run of a file is `unchanged`.
Contact details are added when the party does not have them yet, never removed.
"""

from collections import Counter
from typing import Any

import sqlalchemy as sa

from pillbox import reference
from pillbox.domain.parties import PartyInput, create_party, update_party
from pillbox.numbers import whole_number
from pillbox.store import parties as party_store
from pillbox.store.sql import Query
from pillbox.store.tables.parties import email_addresses, parties
from pillbox.transfer import extras
from pillbox.transfer.context import Context, RowError
from pillbox.transfer.headers import SERVICE_LABELS
from pillbox.transfer.party_columns import (
    ADDRESS_COLUMNS,
    NO_NAME,
    SCALARS,
    Details,
    details,
    party_type,
    row_names,
)
from pillbox.transfer.writing import Sources, applied, validated

ENTITY = "parties"


# -- projection ---------------------------------------------------------------------------------


def project(conn: sa.Connection, context: Context, ids: list[int]) -> dict[int, dict[str, str]]:
    rows = party_store.load(conn, context.account_id, ids)
    children = party_store.load_children(conn, ids)
    out: dict[int, dict[str, str]] = {}
    for party_id in ids:
        row = rows.get(party_id)
        if row is None:
            continue
        values = {"Id": str(party_id), "Type": row.type}
        if row.type == "organisation":
            values["Name"] = row.name or ""
        else:
            values.update({key: getattr(row, column) or "" for key, column in SCALARS.items()})
            values["Organisation"] = row.organisation_name or ""
        values["About"] = row.about or ""
        values["Owner"] = row.owner_username or ""
        values.update(_detail_columns(children, party_id))
        out[party_id] = values
    extras.project(conn, ENTITY, ids, out)
    return out


def _detail_columns(children: dict[str, Any], party_id: int) -> dict[str, str]:
    values: dict[str, str] = {}
    seen: Counter[str] = Counter()

    def put(label: str, value: str | None) -> str:
        seen[label] += 1
        key = label if seen[label] == 1 else f"{label} {seen[label]}"
        if value:
            values[key] = value
        return key

    for item in children["emailAddresses"].get(party_id, []):
        put(_typed(item["type"], "Email"), item["address"])
    for item in children["phoneNumbers"].get(party_id, []):
        put(_typed(item["type"], "Phone"), item["number"])
    for item in children["websites"].get(party_id, []):
        put(_typed(item["type"], SERVICE_LABELS[item["service"] or "URL"]), item["address"])
    for item in children["addresses"].get(party_id, []):
        number = put(_typed(item["type"], "Address"), None).removeprefix(
            _typed(item["type"], "Address")
        )
        for part, column in ADDRESS_COLUMNS.items():
            if item[column]:
                values[f"{_typed(item['type'], part)}{number}"] = item[column]
    return values


def _typed(kind: str | None, base: str) -> str:
    return f"{kind} {base}" if kind else base


# -- matching -------------------------------------------------------------------------------------


def find(context: Context, values: dict[str, str], match: str) -> int | None:
    kind = party_type(values)
    if match == "id":
        return _by_id(context, values)
    if match == "email":
        emails = [value.lower() for _, value, _ in details(values).emails]
        if emails:
            return _by_email(context, emails, kind)
    if match in ("email", "name") and kind is not None:
        return _by_name(context, values, kind)
    return None


def _by_id(context: Context, values: dict[str, str]) -> int | None:
    raw = values.get("Id", "")
    if not raw:
        return None
    party_id = whole_number(raw)
    if party_id is None or party_store.find(context.conn, context.account_id, party_id) is None:
        raise RowError(f"no party with id {raw}", "Id")
    return party_id


_BY_EMAIL = Query(
    sa.select(parties.c.id, parties.c.type)
    .join(email_addresses, email_addresses.c.party_id == parties.c.id)
    .where(
        parties.c.account_id == sa.bindparam("account_id"),
        sa.func.lower(email_addresses.c.address) == sa.bindparam("email"),
    )
    .order_by(parties.c.id)
)


def _by_email(context: Context, emails: list[str], kind: str | None) -> int | None:
    """The first party of this type with one of the emails (the first email matching wins)."""
    for email in emails:
        for row in _BY_EMAIL.rows(context.conn, account_id=context.account_id, email=email):
            if kind is None or row.type == kind:
                return int(row.id)
    return None


def organisation_id(context: Context, name: str) -> int | None:
    key = ("organisation", name.lower())
    if key not in context.cache or context.cache[key] is None:
        context.cache[key] = party_store.organisation_by_name(
            context.conn, context.account_id, name
        )
    return context.cache[key]


def _by_name(context: Context, values: dict[str, str], kind: str) -> int | None:
    names = row_names(values, kind)
    if kind == "organisation":
        return organisation_id(context, names["Name"]) if names else None
    organisation = values.get("Organisation")
    org_id = organisation_id(context, organisation) if organisation else None
    if organisation and org_id is None:
        return None
    names_sought = {
        "account_id": context.account_id,
        "first": names.get("First Name", "").lower(),
        "last": names.get("Last Name", "").lower(),
    }
    if org_id:
        found = _PERSON_IN.scalars(context.conn, organisation_id=org_id, **names_sought)
    else:
        found = _PERSON_ALONE.scalars(context.conn, **names_sought)
    return int(found[0]) if found else None


def _person(*conditions: sa.ColumnElement[bool]) -> Query:
    return Query(
        sa.select(parties.c.id)
        .where(
            parties.c.account_id == sa.bindparam("account_id"),
            parties.c.type == "person",
            sa.func.lower(sa.func.coalesce(parties.c.last_name, "")) == sa.bindparam("last"),
            sa.func.lower(sa.func.coalesce(parties.c.first_name, "")) == sa.bindparam("first"),
            *conditions,
        )
        .order_by(parties.c.id)
        .limit(1)
    )


_PERSON_IN = _person(parties.c.organisation_id == sa.bindparam("organisation_id"))
_PERSON_ALONE = _person(parties.c.organisation_id.is_(None))


# -- writing --------------------------------------------------------------------------------------


def write(context: Context, values: dict[str, str], party_id: int | None) -> str:
    """Creates or updates the party; returns "created", "updated" or "unchanged"."""
    kind = party_type(values)
    current = None
    if party_id is not None:
        current = project(context.conn, context, [party_id])[party_id]
        if kind is not None and current["Type"] != kind:
            raise RowError(f"the matching party is an {current['Type']}", "Type")
        kind = current["Type"]
    if kind is None:
        raise RowError(NO_NAME, None)
    body, sources = _body(context, values, kind, current)
    if current is not None and not body:
        return "unchanged"
    if current is None:
        body["type"] = kind
    data = validated(PartyInput, body, sources)
    if party_id is None:
        applied(lambda: create_party(context.conn, context.actor, data), sources)
        return "created"
    applied(lambda: update_party(context.conn, context.actor, party_id, data), sources)
    return "updated"


def new_organisation(context: Context, values: dict[str, str]) -> str | None:
    """The name of the organisation a person row would create, if it does not exist yet."""
    name = values.get("Organisation")
    if not name or party_type(values) != "person":
        return None
    return None if organisation_id(context, name) is not None else name


def _body(
    context: Context, values: dict[str, str], kind: str, current: dict[str, str] | None
) -> tuple[dict[str, Any], Sources]:
    was = current or {}
    body: dict[str, Any] = {}
    sources: Sources = {}
    names = row_names(values, kind)
    source_of_name = "Name" if values.get("Name") else "Organisation"
    if kind == "organisation" and names and names["Name"].lower() != was.get("Name", "").lower():
        body["name"], sources["name"] = names["Name"], source_of_name
    for key, column in SCALARS.items():
        value = names.get(key) if key in names else values.get(key)
        applies = kind == "person" or key == "About"
        if applies and value and not _same_scalar(key, value, was.get(key, "")):
            body[column] = value
            sources[column] = key if key in values else "Name"
    organisation = values.get("Organisation")
    if (
        kind == "person"
        and organisation
        and organisation.lower() != was.get("Organisation", "").lower()
    ):
        body["organisation"], sources["organisation"] = {"name": organisation}, "Organisation"
    if values.get("Owner"):
        owner = context.owner_id(values["Owner"])
        if context.usernames.get(owner, "").lower() != was.get("Owner", "").lower():
            body["owner"], sources["owner"] = {"id": owner}, "Owner"
    _detail_changes(details(values), details(was), body, sources)
    body.update(extras.changes(context, values, current))
    return body, sources


def _same_scalar(key: str, value: str, was: str) -> bool:
    return value.lower() == was.lower() if key == "Title" else value == was


def _detail_changes(new: Details, old: Details, body: dict[str, Any], sources: Sources) -> None:
    def add(collection: str, item: dict[str, Any], key: str) -> None:
        items = body.setdefault(collection, [])
        sources[f"{collection}.{len(items)}"] = key
        items.append(item)

    have = {value.lower() for _, value, _ in old.emails}
    for kind, value, key in new.emails:
        if value.lower() not in have:
            have.add(value.lower())
            add("email_addresses", {"type": kind, "address": value}, key)
    have = {value for _, value, _ in old.phones}
    for kind, value, key in new.phones:
        if value not in have:
            have.add(value)
            add("phone_numbers", {"type": kind, "number": value}, key)
    sites = {(service, value.lower()) for _, service, value, _ in old.websites}
    for kind, service, value, key in new.websites:
        if (service, value.lower()) not in sites:
            sites.add((service, value.lower()))
            add("websites", {"type": kind, "service": service, "address": value}, key)
    places = {_place(kind, parts) for (kind, _), parts in old.addresses.items()}
    for (kind, _), parts in new.addresses.items():
        if _place(kind, parts) not in places:
            places.add(_place(kind, parts))
            item = {"type": kind, **{column: value for column, (value, _) in parts.items()}}
            add("addresses", item, next(iter(parts.values()))[1])


def _place(kind: str | None, parts: dict[str, tuple[str, str]]) -> tuple[str | None, ...]:
    plain = {column: value.strip().lower() for column, (value, _) in parts.items()}
    if plain.get("country"):
        plain["country"] = reference.country_names().get(plain["country"], plain["country"])
        plain["country"] = plain["country"].lower()
    return (kind, *(plain.get(column) for column in ADDRESS_COLUMNS.values()))
