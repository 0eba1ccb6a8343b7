"""Party queries: paging ids, loading a page with its nested rows, and writes.

Reads are shaped for few statements: one query for the parties of a page with their owner, team
and organisation joined in, one UNION ALL query for all four sub-collections.
"""

from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from pillbox.store import page_blocks, seeded_ids
from pillbox.store.listing import Listing
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, add_rows, delete_rows, id_page, insert_row, update_rows
from pillbox.store.sql_terms import account_rows_by_id, ids_param
from pillbox.store.tables.accounts import teams, users
from pillbox.store.tables.parties import (
    addresses,
    email_addresses,
    parties,
    phone_numbers,
    websites,
)
from pillbox.store.tables.records import record_tags, tags

CHILD_TABLES: dict[str, sa.Table] = {
    "addresses": addresses,
    "phoneNumbers": phone_numbers,
    "websites": websites,
    "emailAddresses": email_addresses,
}
# Wire name -> column, per sub-collection; also the order of keys on the wire after id and type.
CHILD_FIELDS: dict[str, tuple[str, ...]] = {
    "addresses": ("city", "country", "street", "state", "zip"),
    "phoneNumbers": ("number",),
    "websites": ("address", "service", "url"),
    "emailAddresses": ("address",),
}
_WIDTH = max(len(fields) for fields in CHILD_FIELDS.values())

organisations = parties.alias("organisation")

_PAGE_COLUMNS = (
    parties,
    users.c.username.label("owner_username"),
    users.c.name.label("owner_name"),
    users.c.deleted.label("owner_deleted"),
    teams.c.name.label("team_name"),
    organisations.c.name.label("organisation_name"),
)
_PAGE_FROM = (
    parties.outerjoin(users, users.c.id == parties.c.owner_id)
    .outerjoin(teams, teams.c.id == parties.c.team_id)
    .outerjoin(organisations, organisations.c.id == parties.c.organisation_id)
)


_LOAD = Query(sa.select(*_PAGE_COLUMNS).select_from(_PAGE_FROM).where(account_rows_by_id(parties)))


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    """The parties of `ids` that belong to the account, keyed by id."""
    return {row.id: row for row in _LOAD.rows(conn, account_id=account_id, ids=ids)}


def _child_select(kind: str, table: sa.Table) -> sa.Select[Any]:
    columns = [table.c[name] for name in CHILD_FIELDS[kind]]
    padding = [sa.null()] * (_WIDTH - len(columns))
    labelled = [value.label(f"v{i}") for i, value in enumerate([*columns, *padding])]
    return sa.select(
        sa.literal_column(f"'{kind}'").label("kind"),
        table.c.party_id,
        table.c.id,
        table.c.type,
        *labelled,
    ).where(ids_param(table.c.party_id))


# One statement for all four sub-collections of a page of parties. No ORDER BY: sorting the
# compound in SQLite cost a quarter of the query; the rows are sorted by id below instead.
_LOAD_CHILDREN = Query(
    sa.union_all(*(_child_select(kind, table) for kind, table in CHILD_TABLES.items()))
)
# Per sub-collection, the wire keys of a row's values from its id on (kind and party id before).
_WIRE_KEYS = {kind: ("id", "type", *fields) for kind, fields in CHILD_FIELDS.items()}


def load_children(
    conn: sa.Connection, ids: list[int]
) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """The four sub-collections of the parties `ids` as wire dicts: kind -> party id -> rows."""
    found: dict[str, dict[int, list[dict[str, Any]]]] = {
        kind: defaultdict(list) for kind in CHILD_TABLES
    }
    rows = _LOAD_CHILDREN.tuples(conn, ids=ids)
    rows.sort(key=_ROW_ID)
    # By position (kind, party_id, id, type, values…): this loop runs for every row of a page.
    # zip stops at the kind's last key, before the padding that makes the arms equally wide.
    for row in rows:
        kind = row[0]
        found[kind][row[1]].append(dict(zip(_WIRE_KEYS[kind], row[2:])))  # noqa: B905
    return found


_ROW_ID = itemgetter(2)


_PAGE = id_page(parties)
_PAGE_SINCE = id_page(parties, parties.c.updated_at >= sa.bindparam("since"))
_PEOPLE = id_page(parties, parties.c.organisation_id == sa.bindparam("organisation_id"))


_SEEK = id_page(parties, parties.c.id >= sa.bindparam("start"))


def page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    if listing.since is None:
        return page_blocks.id_ordered_page(
            conn, "parties", account_id, listing.offset, listing.limit, _PAGE, _SEEK
        )
    page = dict(account_id=account_id, offset=listing.offset, limit=listing.limit)
    return _PAGE_SINCE.scalars(conn, since=listing.since, **page)


def people_ids(
    conn: sa.Connection, account_id: int, organisation_id: int, offset: int, limit: int
) -> list[int]:
    return _PEOPLE.scalars(
        conn, account_id=account_id, organisation_id=organisation_id, offset=offset, limit=limit
    )


_ORGANISATION_BY_NAME = Query(
    sa.select(parties.c.id).where(
        parties.c.account_id == sa.bindparam("account_id"),
        parties.c.organisation_key == sa.bindparam("key"),
    )
)


SCOPED = Scoped(parties)


def find(conn: sa.Connection, account_id: int, party_id: int) -> Any:
    """The party's own row, or None."""
    return SCOPED.find(conn, account_id, party_id)


def organisation_by_name(conn: sa.Connection, account_id: int, name: str) -> int | None:
    found = _ORGANISATION_BY_NAME.scalars(conn, account_id=account_id, key=name.lower())
    return found[0] if found else None


def insert(conn: sa.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, parties, values)


def update(conn: sa.Connection, account_id: int, party_id: int, values: dict[str, Any]) -> None:
    SCOPED.update(conn, account_id, party_id, values)


def delete(conn: sa.Connection, account_id: int, party_id: int) -> None:
    SCOPED.delete(conn, account_id, party_id)


def people_of(conn: sa.Connection, organisation_id: int) -> list[int]:
    query = sa.select(parties.c.id).where(parties.c.organisation_id == organisation_id)
    return list(conn.scalars(query.order_by(parties.c.id)))


def unlink_people(conn: sa.Connection, organisation_id: int, now: str) -> None:
    update_rows(
        conn,
        parties,
        {"organisation_id": organisation_id},
        {"organisation_id": None, "updated_at": now},
    )


def insert_child(conn: sa.Connection, kind: str, party_id: int, values: dict[str, Any]) -> None:
    insert_row(conn, CHILD_TABLES[kind], {"party_id": party_id, **values})


def insert_children(
    conn: sa.Connection, kind: str, party_id: int, rows: list[dict[str, Any]]
) -> None:
    """Adds rows of one sub-collection, in order, in one statement (row by row where ids are
    seeded, since each takes its id from the seed)."""
    if len(rows) == 1 or seeded_ids.current() is not None:
        for values in rows:
            insert_child(conn, kind, party_id, values)
        return
    names = ("party_id", "type", *CHILD_FIELDS[kind])
    tuples = [(party_id, *(row.get(name) for name in names[1:])) for row in rows]
    add_rows(conn, CHILD_TABLES[kind], names, tuples)


def update_child(
    conn: sa.Connection, kind: str, party_id: int, child_id: int, values: dict[str, Any]
) -> bool:
    """False when the party has no such row."""
    if not values:
        return child(conn, kind, party_id, child_id) is not None
    key = {"id": child_id, "party_id": party_id}
    return update_rows(conn, CHILD_TABLES[kind], key, values) == 1


def delete_child(conn: sa.Connection, kind: str, party_id: int, child_id: int) -> bool:
    return delete_rows(conn, CHILD_TABLES[kind], {"id": child_id, "party_id": party_id}) == 1


def child(conn: sa.Connection, kind: str, party_id: int, child_id: int) -> Any:
    table = CHILD_TABLES[kind]
    query = sa.select(table).where(table.c.id == child_id, table.c.party_id == party_id)
    return conn.execute(query).first()


@dataclass(frozen=True)
class PartyCriteria:
    """Conditions a list of parties meets, all of them; None is no condition."""

    since: str | None = None  # changed at or after it
    email: str | None = None  # has this email address (any case)
    tag: str | None = None  # carries the tag of this name (any case)
    type: str | None = None  # "person" or "organisation"

    @property
    def empty(self) -> bool:
        return not (self.since or self.email or self.tag or self.type)


def matching_ids(
    conn: sa.Connection,
    account_id: int,
    criteria: PartyCriteria,
    offset: int,
    limit: int,
    among: list[int] | None = None,
) -> list[int]:
    """One page, in id order, of the account's parties that meet `criteria` (and are `among`)."""
    query = sa.select(parties.c.id).where(parties.c.account_id == account_id)
    if criteria.since is not None:
        query = query.where(parties.c.updated_at >= criteria.since)
    if criteria.type is not None:
        query = query.where(parties.c.type == criteria.type)
    if criteria.email is not None:
        having = sa.select(email_addresses.c.party_id).where(
            sa.func.lower(email_addresses.c.address) == criteria.email.lower()
        )
        query = query.where(parties.c.id.in_(having))
    if criteria.tag is not None:
        tag_ids = sa.select(tags.c.id).where(
            tags.c.account_id == account_id,
            tags.c.entity == "parties",
            tags.c.name_key == criteria.tag.lower(),
            tags.c.deleted_at.is_(None),
        )
        tagged = sa.select(record_tags.c.record_id).where(
            record_tags.c.entity == "parties", record_tags.c.tag_id.in_(tag_ids)
        )
        query = query.where(parties.c.id.in_(tagged))
    if among is not None:
        query = query.where(parties.c.id.in_(among))
    return list(conn.scalars(query.order_by(parties.c.id).offset(offset).limit(limit)))
