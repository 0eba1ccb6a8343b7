"""Moving what hangs off one party onto another, a set-based statement per kind of link."""

from typing import Any

import sqlalchemy as sa

from pillbox.store.additional_parties import PartyLinks
from pillbox.store.sql import update_rows
from pillbox.store.tables.accounts import users
from pillbox.store.tables.entries import entries, entry_parties
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties
from pillbox.store.tables.records import field_values, record_tags
from pillbox.store.tables.tasks import tasks, tracks

# Records with one party of their own: (table, column naming the party).
OWN_PARTY = {
    "tasks": (tasks, "party_id"),
    "opportunities": (opportunities, "party_id"),
    "kases": (kases, "party_id"),
    "people": (parties, "organisation_id"),
}


def ids_on(conn: sa.Connection, kind: str, party_id: int) -> list[int]:
    """The ids of the records of `kind` (OWN_PARTY) on the party, in id order."""
    table, column = OWN_PARTY[kind]
    query = sa.select(table.c.id).where(table.c[column] == party_id).order_by(table.c.id)
    return list(conn.scalars(query))


def move_own(conn: sa.Connection, kind: str, ids: list[int], target: int, now: str) -> None:
    """Puts the records `ids` of `kind` on the target party (changed now)."""
    if ids:
        table, column = OWN_PARTY[kind]
        values = {column: target, "updated_at": now}
        conn.execute(table.update().where(table.c.id.in_(ids)).values(values))


def move(conn: sa.Connection, table: sa.Table, column: str, source: int, target: int) -> None:
    update_rows(conn, table, {column: source}, {column: target})


def move_entries_and_tracks(conn: sa.Connection, source: int, target: int) -> None:
    """Notes, emails and completed-task entries, the parties emails are filed against, and
    tracks; an email filed against both parties stays filed against the target once."""
    move(conn, entries, "party_id", source, target)
    move(conn, tracks, "party_id", source, target)
    filed_on_target = sa.select(entry_parties.c.entry_id).where(entry_parties.c.party_id == target)
    conn.execute(
        entry_parties.delete().where(
            entry_parties.c.party_id == source, entry_parties.c.entry_id.in_(filed_on_target)
        )
    )
    move(conn, entry_parties, "party_id", source, target)


def move_users(conn: sa.Connection, source: int, target: int) -> None:
    """A user whose person record was the source has the target as person record."""
    move(conn, users, "party_id", source, target)


def move_links(
    conn: sa.Connection, links: PartyLinks, source: int, target: int, now: str
) -> list[int]:
    """Makes the source's additional-party links the target's; a link to a record whose main
    party is the target, or that has the target already, goes. Returns the records touched."""
    table, column = links.links, links.column
    record_ids = list(conn.scalars(sa.select(table.c[column]).where(table.c.party_id == source)))
    if not record_ids:
        return []
    linked_to_target = sa.select(table.c[column]).where(table.c.party_id == target)
    led_by_target = sa.select(links.records.c.id).where(links.records.c.party_id == target)
    conn.execute(
        table.delete().where(
            table.c.party_id == source,
            sa.or_(table.c[column].in_(linked_to_target), table.c[column].in_(led_by_target)),
        )
    )
    move(conn, table, "party_id", source, target)
    records = links.records
    conn.execute(records.update().where(records.c.id.in_(record_ids)).values(updated_at=now))
    return sorted(record_ids)


def drop_links(conn: sa.Connection, links: PartyLinks, record_ids: list[int], party: int) -> None:
    """Removes the party's additional links to records it has just become the main party of."""
    if record_ids:
        table = links.links
        where = (table.c[links.column].in_(record_ids), table.c.party_id == party)
        conn.execute(table.delete().where(*where))


def move_tags(conn: sa.Connection, source: int, target: int) -> None:
    """Attaches the source's tags to the target (each once)."""
    on_target = sa.select(record_tags.c.tag_id).where(
        record_tags.c.entity == "parties", record_tags.c.record_id == target
    )
    conn.execute(
        record_tags.update()
        .where(
            record_tags.c.entity == "parties",
            record_tags.c.record_id == source,
            record_tags.c.tag_id.not_in(on_target),
        )
        .values(record_id=target)
    )


def move_field_values(conn: sa.Connection, source: int, target: int) -> None:
    """Gives the target the source's custom field values it has no value for."""
    on_target = sa.select(field_values.c.definition_id).where(
        field_values.c.entity == "parties", field_values.c.record_id == target
    )
    conn.execute(
        field_values.update()
        .where(
            field_values.c.entity == "parties",
            field_values.c.record_id == source,
            field_values.c.definition_id.not_in(on_target),
        )
        .values(record_id=target)
    )


def move_children(conn: sa.Connection, table: sa.Table, ids: list[int], target: int) -> None:
    if ids:
        conn.execute(table.update().where(table.c.id.in_(ids)).values(party_id=target))


def last_contacted(conn: sa.Connection, party_ids: list[int]) -> Any:
    query = sa.select(sa.func.max(parties.c.last_contacted_at)).where(parties.c.id.in_(party_ids))
    return conn.scalar(query)
