"""Rules opportunities and projects share: the main party, additional parties, dates, tags and
fields, and how one is deleted."""

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from pillbox import clock
from pillbox.domain.base import Ref
from pillbox.domain.fields import FieldIn, apply_fields
from pillbox.domain.tags import TagIn, apply_tags
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import entries as entry_store
from pillbox.store import parties as party_store
from pillbox.store import records, search
from pillbox.store.accounts import Principal
from pillbox.store.additional_parties import PartyLinks


def main_party_id(conn: sa.Connection, account_id: int, ref: Ref | None, resource: str) -> int:
    """The party a record belongs to: required, and one of the account's."""
    if ref is None:
        raise ValidationFailed.single("party is required", resource, "party")
    if ref.id is None or party_store.find(conn, account_id, ref.id) is None:
        raise ValidationFailed.single("party not found", resource, "party")
    return ref.id


def optional_date(raw: str | None, resource: str, field: str) -> str | None:
    """A `YYYY-MM-DD` date, or None for null or an empty string."""
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        message = f"{field} must be a date (YYYY-MM-DD)"
        raise ValidationFailed.single(message, resource, field) from None


def today() -> str:
    """Today's date in UTC: what `closedOn` becomes when a record closes."""
    return clock.today().isoformat()


def add_additional_party(
    conn: sa.Connection,
    who: Principal,
    links: PartyLinks,
    main_party_of: Callable[[sa.Connection, int, int], int | None],
    record_id: int,
    party_id: int,
    resource: str,
) -> None:
    """Links another party to an opportunity or project; Capsule's 422s for the main party or a
    party already linked."""
    main = main_party_of(conn, who.account_id, record_id)
    if main is None or party_store.find(conn, who.account_id, party_id) is None:
        raise NotFound()
    if main == party_id:
        raise ValidationFailed.single(
            f"party is already related to this {resource}", resource, "party"
        )
    if links.has(conn, record_id, party_id):
        message = f"party is already a contact for this {resource}"
        raise ValidationFailed.single(message, resource, "party")
    links.add(conn, record_id, party_id)


def remove_additional_party(
    conn: sa.Connection,
    who: Principal,
    links: PartyLinks,
    main_party_of: Callable[[sa.Connection, int, int], int | None],
    record_id: int,
    party_id: int,
) -> None:
    """Unlinks the party (it stays); a party that is not linked is a 404."""
    if main_party_of(conn, who.account_id, record_id) is None:
        raise NotFound()
    if not links.has(conn, record_id, party_id):
        raise NotFound()
    links.remove(conn, record_id, party_id)


def apply_tags_and_fields(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    record_id: int,
    tags: list[TagIn] | None,
    fields: list[FieldIn] | None,
    resource: str,
) -> bool:
    """Applies a record's `tags` and `fields` arrays; returns whether anything changed."""
    changed = False
    if tags:
        changed |= apply_tags(conn, account_id, entity, record_id, tags, resource)
    if fields:
        changed |= apply_fields(conn, account_id, entity, record_id, fields, resource)
    return changed


def remove_record(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    record_id: int,
    index: search.SearchIndex,
    entry_column: str,
    delete_row: Callable[[sa.Connection, int, int], None],
) -> None:
    """Deletes an opportunity or project with what hangs off it, into its deleted feed.

    Its entries (`entry_column` names their link to it) go by foreign-key cascade, so their
    attachment files are queued first."""
    records.delete_record_extras(conn, entity, record_id)
    entry_store.orphan_files_of(conn, entry_column, record_id)
    search.unindex(conn, record_id, index)
    delete_row(conn, account_id, record_id)
    records.write_tombstone(conn, account_id, entity, record_id)
