"""People and organisations: what a valid party is, and how writes change one."""

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

import sqlalchemy as sa
from pydantic import Field, field_validator

from pillbox import reference, timestamps
from pillbox.domain import changes, hooks, party_children
from pillbox.domain.base import CollectionItem, InputModel, LongText, Ref, RefIn, Text
from pillbox.domain.fields import FieldIn, apply_fields
from pillbox.domain.kases import delete_party_kases
from pillbox.domain.opportunities import delete_party_opportunities
from pillbox.domain.ownership import check_owner_in_team, resolve_owner, resolve_team
from pillbox.domain.tags import TagIn, apply_tags, tag_new_record
from pillbox.domain.titles import canonical_title
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import entries as entry_store
from pillbox.store import parties as store
from pillbox.store import records, search, users
from pillbox.store.accounts import Principal

T = TypeVar("T")

RESOURCE = "party"
ENTITY = "parties"

WEBSITE_SERVICES = (
    "URL",
    "SKYPE",
    "TWITTER",
    "LINKED_IN",
    "FACEBOOK",
    "XING",
    "FEED",
    "GOOGLE_PLUS",
    "FLICKR",
    "GITHUB",
    "YOUTUBE",
    "INSTAGRAM",
    "PINTEREST",
    "TIKTOK",
    "THREADS",
    "BLUESKY",
    "SNAPCHAT",
)

Short = Annotated[str, Field(max_length=1000)]


class AddressIn(CollectionItem):
    type: Literal["Home", "Postal", "Office", "Billing", "Shipping"] | None = None
    street: Short | None = None
    city: Text | None = None
    state: Text | None = None
    country: Text | None = None
    zip: Annotated[str, Field(max_length=50)] | None = None

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        """A country name from the reference list (any case), stored as the list spells it."""
        if value is None or not value.strip():
            return None
        name = reference.country_names().get(value.strip().lower())
        if name is None:
            raise ValueError("not a country name")
        return name


class PhoneNumberIn(CollectionItem):
    type: Literal["Home", "Work", "Mobile", "Fax", "Direct"] | None = None
    number: Annotated[str, Field(max_length=100)] | None = None


class WebsiteIn(CollectionItem):
    type: Literal["Home", "Work"] | None = None
    service: Literal[WEBSITE_SERVICES] | None = None  # type: ignore[valid-type]
    address: Short | None = None


class EmailAddressIn(CollectionItem):
    type: Literal["Home", "Work"] | None = None
    address: Annotated[str, Field(max_length=320)] | None = None


class PartyInput(InputModel):
    type: Literal["person", "organisation"] | None = None
    first_name: Text | None = None
    last_name: Text | None = None
    title: Annotated[str, Field(max_length=100)] | None = None
    job_title: Text | None = None
    name: Text | None = None
    about: LongText | None = None
    organisation: RefIn | None = None
    owner: RefIn | None = None
    team: RefIn | None = None
    addresses: list[AddressIn] | None = None
    phone_numbers: list[PhoneNumberIn] | None = None
    websites: list[WebsiteIn] | None = None
    email_addresses: list[EmailAddressIn] | None = None
    tags: list[TagIn] | None = None
    fields: list[FieldIn] | None = None


_PERSON_FIELDS = ("first_name", "last_name", "title", "job_title")
FIELDS = (
    changes.plain("type", "type"),
    changes.plain("firstName", "first_name"),
    changes.plain("lastName", "last_name"),
    changes.plain("title", "title"),
    changes.plain("jobTitle", "job_title"),
    changes.plain("name", "name"),
    changes.plain("about", "about"),
    changes.ref("organisation", "organisation_id"),
    changes.ref("owner", "owner_id"),
    changes.ref("team", "team_id"),
)


def create_party(conn: sa.Connection, actor: Principal, data: PartyInput) -> int:
    if data.type is None:
        raise ValidationFailed.single("type is required", RESOURCE, "type")
    now = timestamps.now()
    values: dict[str, Any] = {
        "account_id": actor.account_id,
        "type": data.type,
        "created_at": now,
        "updated_at": now,
        "owner_id": actor.user_id,
    }
    values.update(_scalar_changes(conn, actor, data, data.type))
    _check_names(conn, actor.account_id, data.type, values, None)
    check_owner_in_team(conn, values, RESOURCE)
    party_id = _write(conn, lambda: store.insert(conn, values))
    added = _add_nested(conn, actor.account_id, party_id, data)
    found = changes.field_changes(FIELDS, None, values)
    found += changes.collection_changes(changes.empty_collections(list(added)), added)
    changes.record(conn, actor, ENTITY, party_id, found)
    _index_new(conn, actor.account_id, party_id, values, added)
    hooks.emit(conn, actor.account_id, "party/created", party_id)
    return party_id


def _add_nested(
    conn: sa.Connection, account_id: int, party_id: int, data: PartyInput
) -> dict[str, Any]:
    """Adds a new party's sub-collections; returns those sent as the history shows them, from
    the values written (custom fields, read back)."""
    added: dict[str, Any] = {}
    for kind, attribute in _ATTRIBUTES.items():
        items = getattr(data, attribute)
        if items:
            added[kind] = party_children.add_children(conn, party_id, kind, items)
    if data.tags:
        added["tags"] = tag_new_record(conn, account_id, ENTITY, party_id, data.tags, RESOURCE)
    if data.fields:
        apply_fields(conn, account_id, ENTITY, party_id, data.fields, RESOURCE)
        added.update(changes.collections(conn, ENTITY, party_id, ["fields"]))
    return added


def _index_new(
    conn: sa.Connection, account_id: int, party_id: int, values: dict[str, Any], added: Any
) -> None:
    """The new party's search entry, from what was written (read back when it has custom
    fields, whose types decide which are searched)."""
    if "fields" in added:
        search.reindex(conn, account_id, party_id)
        return
    emails = [item["address"] for item in added.get("emailAddresses", ())]
    phones = [item["number"] for item in added.get("phoneNumbers", ())]
    first, last, name = values.get("first_name"), values.get("last_name"), values.get("name")
    entry = search.party_entry(first, last, name, emails, phones, [])
    search.index_new(conn, account_id, party_id, entry)


def update_party(conn: sa.Connection, actor: Principal, party_id: int, data: PartyInput) -> None:
    current = store.find(conn, actor.account_id, party_id)
    if current is None:
        raise NotFound()
    if data.type is not None and data.type != current.type:
        raise ValidationFailed.single("type cannot be changed", RESOURCE, "type")
    values = _scalar_changes(conn, actor, data, current.type)
    _check_names(conn, actor.account_id, current.type, {**current._asdict(), **values}, party_id)
    if "owner_id" in values or "team_id" in values:
        check_owner_in_team(conn, {**current._asdict(), **values}, RESOURCE)
    before = changes.applying(conn, ENTITY, party_id, changes.sent_collections(data))
    nested_changed = _apply_nested(conn, actor.account_id, party_id, data)
    if "first_name" in values or "last_name" in values:
        merged = {**current._asdict(), **values}
        name = " ".join(n for n in (merged["first_name"], merged["last_name"]) if n)
        users.follow_person_name(conn, actor.account_id, party_id, name)
    if values or nested_changed:
        found = changes.field_changes(FIELDS, current._asdict(), {**current._asdict(), **values})
        found += changes.applied(conn, ENTITY, party_id, before)
        changes.record(conn, actor, ENTITY, party_id, found)
        values["updated_at"] = timestamps.now()
        _write(conn, lambda: store.update(conn, actor.account_id, party_id, values))
        if _SEARCHED.intersection(values) or _SEARCHED_COLLECTIONS.intersection(before):
            search.reindex(conn, actor.account_id, party_id)
        hooks.emit(conn, actor.account_id, "party/updated", party_id)


# What a party is found by (store/search.py): an update changing none of it keeps its entry.
_SEARCHED = {"first_name", "last_name", "name"}
_SEARCHED_COLLECTIONS = {"emailAddresses", "phoneNumbers", "fields"}


def delete_party(conn: sa.Connection, actor: Principal, party_id: int) -> None:
    """Deletes the party and the opportunities and projects it is the main party of (each into
    its deleted feed); an organisation's people stay, no longer linked to it."""
    current = store.find(conn, actor.account_id, party_id)
    if current is None:
        raise NotFound()
    found: list[tuple[str, int, changes.Change]] = [(ENTITY, party_id, changes.deletion())]
    if current.type == "organisation":
        people = store.people_of(conn, party_id)
        store.unlink_people(conn, party_id, timestamps.now())
        for person_id in people:
            hooks.emit(conn, actor.account_id, "party/updated", person_id)
            found.append((ENTITY, person_id, ("organisation", {"id": party_id}, None)))
    changes.record_many(conn, actor, found)
    delete_party_opportunities(conn, actor, party_id)
    delete_party_kases(conn, actor, party_id)
    entry_store.orphan_files_of(conn, "party_id", party_id)  # its entries go by cascade
    records.delete_record_extras(conn, ENTITY, party_id)
    search.unindex(conn, party_id)
    store.delete(conn, actor.account_id, party_id)
    records.write_tombstone(conn, actor.account_id, ENTITY, party_id)
    hooks.emit(conn, actor.account_id, "party/deleted", party_id)


def _scalar_changes(
    conn: sa.Connection, actor: Principal, data: PartyInput, party_type: str
) -> dict[str, Any]:
    """Column values for the properties sent that apply to this type of party."""
    account_id = actor.account_id
    values: dict[str, Any] = {}
    if data.sent("about"):
        values["about"] = data.about
    if data.sent("owner"):
        values["owner_id"] = resolve_owner(conn, account_id, data.owner, RESOURCE)
    if data.sent("team"):
        values["team_id"] = resolve_team(conn, account_id, data.team, RESOURCE)
    if party_type == "organisation":
        if data.sent("name"):
            name = (data.name or "").strip() or None
            values["name"] = name
            values["organisation_key"] = name.lower() if name else None
        return values
    for column in _PERSON_FIELDS:
        if data.sent(column):
            values[column] = getattr(data, column)
    if values.get("title"):
        values["title"] = canonical_title(conn, account_id, values["title"], RESOURCE)
    if data.sent("organisation"):
        values["organisation_id"] = _organisation_id(conn, actor, data.organisation)
    return values


def _organisation_id(conn: sa.Connection, actor: Principal, ref: Ref | None) -> int | None:
    """{"id": N} links an existing organisation; {"name": "…"} links or creates one by name."""
    account_id = actor.account_id
    if ref is None:
        return None
    if ref.id is not None:
        found = store.find(conn, account_id, ref.id)
        if found is None or found.type != "organisation":
            raise NotFound("organisation not found")
        return ref.id
    name = (ref.name or "").strip()
    if not name:
        raise ValidationFailed.single("organisation is invalid", RESOURCE, "organisation")
    existing = store.organisation_by_name(conn, account_id, name)
    if existing is not None:
        return existing
    now = timestamps.now()
    values = {
        "account_id": account_id,
        "type": "organisation",
        "name": name,
        "organisation_key": name.lower(),
        "owner_id": actor.user_id,
        "created_at": now,
        "updated_at": now,
    }
    new_id = store.insert(conn, values)
    changes.record(conn, actor, ENTITY, new_id, changes.field_changes(FIELDS, None, values))
    search.reindex(conn, account_id, new_id)
    return new_id


def _check_names(
    conn: sa.Connection,
    account_id: int,
    party_type: str,
    values: dict[str, Any],
    party_id: int | None,
) -> None:
    if party_type == "person":
        if (
            not (values.get("first_name") or "").strip()
            and not (values.get("last_name") or "").strip()
        ):
            raise ValidationFailed.single("firstName or lastName is required", RESOURCE, "lastName")
        return
    name = (values.get("name") or "").strip()
    if not name:
        raise ValidationFailed.single("name is required", RESOURCE, "name")
    existing = store.organisation_by_name(conn, account_id, name)
    if existing is not None and existing != party_id:
        raise ValidationFailed.single("name must be unique", RESOURCE, "name")


def _write(conn: sa.Connection, write: Callable[[], T]) -> T:
    """Runs an insert/update of a party; a concurrent duplicate organisation name is a 422."""
    try:
        return write()
    except sa.exc.IntegrityError:
        raise ValidationFailed.single("name must be unique", RESOURCE, "name") from None


def _apply_nested(conn: sa.Connection, account_id: int, party_id: int, data: PartyInput) -> bool:
    changed = False
    for kind, attribute in _ATTRIBUTES.items():
        items = getattr(data, attribute)
        if items:
            changed |= party_children.apply_children(conn, party_id, kind, items)
    if data.tags:
        changed |= apply_tags(conn, account_id, ENTITY, party_id, data.tags, RESOURCE)
    if data.fields:
        changed |= apply_fields(conn, account_id, ENTITY, party_id, data.fields, RESOURCE)
    return changed


def _snake(kind: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in kind)


_ATTRIBUTES = {kind: _snake(kind) for kind in store.CHILD_TABLES}  # kind -> PartyInput field
