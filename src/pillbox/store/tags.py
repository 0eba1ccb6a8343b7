"""Tag definitions of each record type, and their removal in batches once a deletion starts."""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store import search
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, insert_row
from pillbox.store.sql_terms import ids_param
from pillbox.store.tables.records import field_definitions, field_values, record_tags, tags

_LIVE = tags.c.deleted_at.is_(None)

_TAG_BY_ID = Query(
    sa.select(tags.c.id).where(
        tags.c.account_id == sa.bindparam("account_id"),
        tags.c.entity == sa.bindparam("entity"),
        tags.c.id == sa.bindparam("id"),
        _LIVE,
    )
)
_TAG_BY_NAME = Query(
    sa.select(tags.c.id).where(
        tags.c.account_id == sa.bindparam("account_id"),
        tags.c.entity == sa.bindparam("entity"),
        tags.c.name_key == sa.bindparam("name_key"),
    )
)


def find_tag(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    *,
    tag_id: int | None = None,
    name: str | None = None,
) -> int | None:
    """The account's tag with this id, or else with this name (case-blind)."""
    if tag_id is not None:
        found = _TAG_BY_ID.scalars(conn, account_id=account_id, entity=entity, id=tag_id)
    else:
        key = (name or "").lower()
        found = _TAG_BY_NAME.scalars(conn, account_id=account_id, entity=entity, name_key=key)
    return found[0] if found else None


_NAMED_BY_ID = Query(
    sa.select(tags.c.id, tags.c.name, tags.c.deleted_at).where(
        tags.c.account_id == sa.bindparam("account_id"),
        tags.c.entity == sa.bindparam("entity"),
        tags.c.id == sa.bindparam("id"),
        _LIVE,
    )
)
_NAMED_BY_NAME = Query(
    sa.select(tags.c.id, tags.c.name, tags.c.deleted_at).where(
        tags.c.account_id == sa.bindparam("account_id"),
        tags.c.entity == sa.bindparam("entity"),
        tags.c.name_key == sa.bindparam("name_key"),
    )
)


def find_named_tag(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    *,
    tag_id: int | None = None,
    name: str | None = None,
) -> Any:
    """As `find_tag`, with the tag's name and deletion time: (id, name, deleted_at) or None."""
    if tag_id is not None:
        return _NAMED_BY_ID.first(conn, account_id=account_id, entity=entity, id=tag_id)
    key = (name or "").lower()
    return _NAMED_BY_NAME.first(conn, account_id=account_id, entity=entity, name_key=key)


def create_tag(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    name: str,
    description: str | None = None,
    data_tag: bool = False,
) -> int:
    now = timestamps.now()
    values = dict(
        account_id=account_id,
        entity=entity,
        name=name,
        name_key=name.lower(),
        description=description,
        data_tag=data_tag,
        created_at=now,
        updated_at=now,
    )
    return insert_row(conn, tags, values)


_LOAD = Query(
    sa.select(tags.c.id, tags.c.name, tags.c.description, tags.c.data_tag).where(
        tags.c.account_id == sa.bindparam("account_id"),
        tags.c.entity == sa.bindparam("entity"),
        ids_param(tags.c.id),
        _LIVE,
    )
)
_PAGE = Query(
    sa.select(tags.c.id)
    .where(
        tags.c.account_id == sa.bindparam("account_id"),
        tags.c.entity == sa.bindparam("entity"),
        _LIVE,
    )
    .order_by(tags.c.id)
    .limit(sa.bindparam("limit"))
    .offset(sa.bindparam("offset"))
)


def load(conn: sa.Connection, account_id: int, entity: str, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in _LOAD.rows(conn, account_id=account_id, entity=entity, ids=ids)}


def page_ids(
    conn: sa.Connection, account_id: int, entity: str, offset: int, limit: int
) -> list[int]:
    return _PAGE.scalars(conn, account_id=account_id, entity=entity, offset=offset, limit=limit)


SCOPED = Scoped(tags)


def update_tag(conn: sa.Connection, account_id: int, tag_id: int, values: dict[str, Any]) -> None:
    if "name" in values:
        values["name_key"] = values["name"].lower()
    SCOPED.update(conn, account_id, tag_id, {**values, "updated_at": timestamps.now()})


def live_definition_count(conn: sa.Connection, tag_id: int) -> int:
    query = sa.select(sa.func.count()).where(
        field_definitions.c.tag_id == tag_id, field_definitions.c.deleted_at.is_(None)
    )
    return int(conn.scalar(query) or 0)


def start_deleting(conn: sa.Connection, account_id: int, tag_id: int) -> int:
    """Hides the tag and its data-tag fields at once, frees its name, and returns the number of
    rows left to remove (attachments and field values) for the job that finishes the deletion."""
    now = timestamps.now()
    SCOPED.update(conn, account_id, tag_id, {"deleted_at": now, "name_key": None})
    conn.execute(
        field_definitions.update()
        .where(
            field_definitions.c.account_id == account_id,
            field_definitions.c.tag_id == tag_id,
            field_definitions.c.deleted_at.is_(None),
        )
        .values(deleted_at=now)
    )
    return _remaining(conn, tag_id)


def _tag_values(tag_id: int) -> sa.Select[Any]:
    definitions = sa.select(field_definitions.c.id).where(field_definitions.c.tag_id == tag_id)
    return sa.select(field_values.c.id).where(field_values.c.definition_id.in_(definitions))


def _remaining(conn: sa.Connection, tag_id: int) -> int:
    attached = sa.select(sa.func.count()).where(record_tags.c.tag_id == tag_id)
    values = sa.select(sa.func.count()).select_from(_tag_values(tag_id).subquery())
    return int(conn.scalar(attached) or 0) + int(conn.scalar(values) or 0)


def remove_batch(conn: sa.Connection, tag_id: int, batch: int) -> int:
    """Removes up to `batch` attachments and field values of a tag being deleted; once none are
    left, the tag itself and its field definitions. Returns the rows still to remove."""
    attached = sa.select(record_tags.c.record_id).where(record_tags.c.tag_id == tag_id).limit(batch)
    conn.execute(
        record_tags.delete().where(
            record_tags.c.tag_id == tag_id, record_tags.c.record_id.in_(attached)
        )
    )
    value_ids = list(conn.scalars(_tag_values(tag_id).limit(batch)))
    search.reindex_value_holders(conn, value_ids)
    conn.execute(field_values.delete().where(field_values.c.id.in_(value_ids)))
    remaining = _remaining(conn, tag_id)
    if remaining == 0:
        conn.execute(field_definitions.delete().where(field_definitions.c.tag_id == tag_id))
        conn.execute(tags.delete().where(tags.c.id == tag_id))
    return remaining


def is_data_tag(conn: sa.Connection, tag_id: int) -> bool:
    return bool(conn.scalar(sa.select(tags.c.data_tag).where(tags.c.id == tag_id)))
