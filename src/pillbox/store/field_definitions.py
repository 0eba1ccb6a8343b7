"""Custom field definitions of each record type, and their removal once a deletion starts."""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store import search
from pillbox.store.listing import Listing
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, insert_id
from pillbox.store.tables.records import field_definitions, field_values, tags

_LIVE = field_definitions.c.deleted_at.is_(None)
_OF_ACCOUNT = sa.and_(
    field_definitions.c.account_id == sa.bindparam("account_id"),
    field_definitions.c.entity == sa.bindparam("entity"),
    _LIVE,
)
_ORDER = (field_definitions.c.display_order, field_definitions.c.id)


def find_definition(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    *,
    definition_id: int | None = None,
    name: str | None = None,
) -> sa.Row[Any] | None:
    """A live definition of this record type, by id or else by name (case-blind)."""
    query = sa.select(field_definitions).where(
        field_definitions.c.account_id == account_id, field_definitions.c.entity == entity, _LIVE
    )
    if definition_id is not None:
        query = query.where(field_definitions.c.id == definition_id)
    else:
        query = query.where(sa.func.lower(field_definitions.c.name) == (name or "").lower())
    row: sa.Row[Any] | None = conn.execute(query.order_by(*_ORDER).limit(1)).first()
    return row


def create_definition(conn: sa.Connection, account_id: int, entity: str, **values: Any) -> int:
    now = timestamps.now()
    row = dict(
        account_id=account_id,
        entity=entity,
        description=None,
        options=None,
        important=False,
        display_order=next_display_order(conn, account_id, entity),
        tag_id=None,
        capture_rule=None,
        created_at=now,
        updated_at=now,
    )
    row.update(values)
    return insert_id(conn, field_definitions.insert().values(**row))


def next_display_order(conn: sa.Connection, account_id: int, entity: str) -> int:
    query = sa.select(sa.func.max(field_definitions.c.display_order)).where(
        field_definitions.c.account_id == account_id, field_definitions.c.entity == entity, _LIVE
    )
    return int(conn.scalar(query) or 0) + 1


SCOPED = Scoped(field_definitions, plain=False)  # `options` is JSON


def update_definition(
    conn: sa.Connection, account_id: int, definition_id: int, values: dict[str, Any]
) -> None:
    SCOPED.update(conn, account_id, definition_id, {**values, "updated_at": timestamps.now()})


_LOAD = sa.select(
    field_definitions, tags.c.name.label("tag_name"), tags.c.data_tag.label("tag_data_tag")
).select_from(field_definitions.outerjoin(tags, tags.c.id == field_definitions.c.tag_id))


def load(conn: sa.Connection, account_id: int, entity: str, ids: list[int]) -> dict[int, Any]:
    # Through SQLAlchemy rather than `Query`: `options` is JSON and needs its result processing.
    query = _LOAD.where(
        field_definitions.c.account_id == account_id,
        field_definitions.c.entity == entity,
        _LIVE,
        field_definitions.c.id.in_(ids),
    )
    return {row.id: row for row in conn.execute(query)}


def _page(*conditions: sa.ColumnElement[bool]) -> Query:
    return Query(
        sa.select(field_definitions.c.id)
        .where(_OF_ACCOUNT, *conditions)
        .order_by(*_ORDER)
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )


_PAGE = _page()
_PAGE_WITHOUT_DATA_TAGS = _page(field_definitions.c.tag_id.is_(None))
_PAGE_OF_TAG = _page(field_definitions.c.tag_id == sa.bindparam("tag_id"))


def page_ids(conn: sa.Connection, account_id: int, entity: str, listing: Listing) -> list[int]:
    """A page of definitions in display order; `includeDataTagFields=false` leaves out those
    that belong to a data tag."""
    query = (
        _PAGE if listing.flags.get("includeDataTagFields") is not False else _PAGE_WITHOUT_DATA_TAGS
    )
    return query.scalars(
        conn, account_id=account_id, entity=entity, offset=listing.offset, limit=listing.limit
    )


def tag_page_ids(
    conn: sa.Connection, account_id: int, entity: str, tag_id: int, offset: int, limit: int
) -> list[int]:
    return _PAGE_OF_TAG.scalars(
        conn, account_id=account_id, entity=entity, tag_id=tag_id, offset=offset, limit=limit
    )


def value_count(conn: sa.Connection, definition_id: int) -> int:
    query = sa.select(sa.func.count()).where(field_values.c.definition_id == definition_id)
    return int(conn.scalar(query) or 0)


def start_deleting(conn: sa.Connection, account_id: int, definition_id: int) -> int:
    """Hides the definition and its values at once; returns the values left to remove."""
    update_definition(conn, account_id, definition_id, {"deleted_at": timestamps.now()})
    return value_count(conn, definition_id)


def remove_batch(conn: sa.Connection, definition_id: int, batch: int) -> int:
    """Removes up to `batch` values of a definition being deleted, then, once none are left,
    the definition itself. Returns the values still to remove."""
    batch_ids = list(
        conn.scalars(
            sa.select(field_values.c.id)
            .where(field_values.c.definition_id == definition_id)
            .limit(batch)
        )
    )
    search.reindex_value_holders(conn, batch_ids)
    conn.execute(field_values.delete().where(field_values.c.id.in_(batch_ids)))
    remaining = value_count(conn, definition_id)
    if remaining == 0:
        conn.execute(field_definitions.delete().where(field_definitions.c.id == definition_id))
    return remaining
