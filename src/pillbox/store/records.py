"""What every record type shares in storage: tags, custom field values and deletion tombstones.

Each batch loader takes a whole page of record ids and runs one query.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.sql import Query, add_row, add_rows, delete_rows, insert_row, update_rows
from pillbox.store.sql_terms import ids_param
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties
from pillbox.store.tables.records import (
    field_definitions,
    field_values,
    record_tags,
    tags,
    tombstones,
)

Rows = dict[int, list[Any]]


def _grouped(rows: Iterable[Any]) -> Rows:
    grouped: Rows = defaultdict(list)
    for row in rows:
        grouped[row.record_id].append(row)
    return grouped


# -- tags ---------------------------------------------------------------------------------------

_TAG_COLUMNS = (tags.c.id, tags.c.name, tags.c.description, tags.c.data_tag)


_LOAD_TAGS = Query(
    sa.select(record_tags.c.record_id, *_TAG_COLUMNS)
    .join(tags, tags.c.id == record_tags.c.tag_id)
    .where(
        record_tags.c.entity == sa.bindparam("entity"),
        ids_param(record_tags.c.record_id),
        tags.c.deleted_at.is_(None),
    )
    .order_by(tags.c.name_key, tags.c.id)
)


def load_tags(conn: sa.Connection, entity: str, record_ids: list[int]) -> Rows:
    return _grouped(_LOAD_TAGS.rows(conn, entity=entity, ids=record_ids))


_ATTACHED_TAG_IDS = Query(
    sa.select(record_tags.c.tag_id).where(
        record_tags.c.entity == sa.bindparam("entity"),
        record_tags.c.record_id == sa.bindparam("record_id"),
    )
)


def attached_tag_ids(conn: sa.Connection, entity: str, record_id: int) -> set[int]:
    return set(_ATTACHED_TAG_IDS.scalars(conn, entity=entity, record_id=record_id))


def attach_tag(conn: sa.Connection, entity: str, record_id: int, tag_id: int) -> None:
    add_row(conn, record_tags, {"entity": entity, "record_id": record_id, "tag_id": tag_id})


def attach_tags(conn: sa.Connection, entity: str, record_id: int, tag_ids: list[int]) -> None:
    """Attaches tags to a record that has none of them yet, in one statement."""
    rows = [(entity, record_id, tag_id) for tag_id in tag_ids]
    add_rows(conn, record_tags, ("entity", "record_id", "tag_id"), rows)


def detach_tag(conn: sa.Connection, entity: str, record_id: int, tag_id: int) -> None:
    delete_rows(conn, record_tags, {"entity": entity, "record_id": record_id, "tag_id": tag_id})


# -- custom field values ------------------------------------------------------------------------


_LOAD_FIELD_VALUES = Query(
    sa.select(
        field_values.c.record_id,
        field_values.c.id,
        field_values.c.value,
        field_definitions.c.id.label("definition_id"),
        field_definitions.c.name.label("definition_name"),
        field_definitions.c.type.label("definition_type"),
        field_definitions.c.tag_id,
    )
    .join(field_definitions, field_definitions.c.id == field_values.c.definition_id)
    .where(
        field_values.c.entity == sa.bindparam("entity"),
        ids_param(field_values.c.record_id),
        field_definitions.c.deleted_at.is_(None),
    )
    .order_by(field_definitions.c.display_order, field_values.c.id)
)
_IMPORTANT_DEFINITIONS = Query(
    sa.select(
        field_definitions.c.id, field_definitions.c.tag_id, field_definitions.c.capture_rule
    ).where(
        field_definitions.c.account_id == sa.bindparam("account_id"),
        field_definitions.c.entity == sa.bindparam("entity"),
        field_definitions.c.important.is_(True),
        field_definitions.c.deleted_at.is_(None),
    )
)


def load_field_values(conn: sa.Connection, entity: str, record_ids: list[int]) -> Rows:
    return _grouped(_LOAD_FIELD_VALUES.rows(conn, entity=entity, ids=record_ids))


def important_definitions(conn: sa.Connection, account_id: int, entity: str) -> list[Any]:
    return _IMPORTANT_DEFINITIONS.rows(conn, account_id=account_id, entity=entity)


def field_value(conn: sa.Connection, entity: str, record_id: int, value_id: int) -> Any:
    """The value row (id, definition_id) of this record, or None."""
    query = sa.select(field_values.c.id, field_values.c.definition_id).where(
        field_values.c.entity == entity,
        field_values.c.record_id == record_id,
        field_values.c.id == value_id,
    )
    return conn.execute(query).first()


def set_field_value(
    conn: sa.Connection, entity: str, record_id: int, definition_id: int, value: str
) -> None:
    """Creates the record's value for this definition, or overwrites the one it has."""
    key = {"entity": entity, "record_id": record_id, "definition_id": definition_id}
    if update_rows(conn, field_values, key, {"value": value}) == 0:
        insert_row(conn, field_values, {**key, "value": value})


def clear_field_value(conn: sa.Connection, entity: str, record_id: int, definition_id: int) -> None:
    key = {"entity": entity, "record_id": record_id, "definition_id": definition_id}
    delete_rows(conn, field_values, key)


def delete_record_extras(conn: sa.Connection, entity: str, record_id: int) -> None:
    """Removes the tags and field values of a deleted record (they have no foreign key to it)."""
    for table in (record_tags, field_values):
        delete_rows(conn, table, {"entity": entity, "record_id": record_id})


def touch(conn: sa.Connection, entity: str, record_id: int, at: str) -> None:
    """Marks a record changed at `at` (it shows in `since` lists) when what hangs off it did."""
    table = {"parties": parties, "opportunities": opportunities, "kases": kases}[entity]
    update_rows(conn, table, {"id": record_id}, {"updated_at": at})


# -- tombstones -----------------------------------------------------------------------------------


def write_tombstone(conn: sa.Connection, account_id: int, entity: str, record_id: int) -> None:
    values = {"account_id": account_id, "entity": entity, "record_id": record_id}
    insert_row(conn, tombstones, {**values, "deleted_at": timestamps.now()})


_DELETED_PAGE = Query(
    sa.select(tombstones.c.record_id.label("id"), tombstones.c.deleted_at)
    .where(
        tombstones.c.account_id == sa.bindparam("account_id"),
        tombstones.c.entity == sa.bindparam("entity"),
        tombstones.c.deleted_at >= sa.bindparam("since"),
    )
    .order_by(tombstones.c.deleted_at, tombstones.c.id)
    .limit(sa.bindparam("limit"))
    .offset(sa.bindparam("offset"))
)


def deleted_page(
    conn: sa.Connection, account_id: int, entity: str, since: str | None, offset: int, limit: int
) -> list[Any]:
    """Records deleted at or after `since` (ever, without it), oldest first."""
    since = since or ""  # every timestamp sorts after the empty string
    return _DELETED_PAGE.rows(
        conn, account_id=account_id, entity=entity, since=since, offset=offset, limit=limit
    )


def tagged(account_id: int, entity: str, name: str) -> sa.Select[Any]:
    """The ids of the `entity` records carrying the account's live tag called `name` (any case),
    as a subquery for a list's conditions."""
    tag_ids = sa.select(tags.c.id).where(
        tags.c.account_id == account_id,
        tags.c.entity == entity,
        tags.c.name_key == name.lower(),
        tags.c.deleted_at.is_(None),
    )
    return sa.select(record_tags.c.record_id).where(
        record_tags.c.entity == entity, record_tags.c.tag_id.in_(tag_ids)
    )
