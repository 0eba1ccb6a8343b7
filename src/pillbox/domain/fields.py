"""Custom field values on any record, written through the record's own `fields` array."""

import math
from datetime import date
from typing import Any

import sqlalchemy as sa
from pydantic import JsonValue

from pillbox.domain.base import CollectionItem, RefIn
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import field_definitions as definitions
from pillbox.store import records as store

MAX_TEXT = 100_000


class FieldIn(CollectionItem):
    """{"definition": {"id": N}, "value": …} sets; {"id": N, "value": …} changes; _delete clears."""

    definition: RefIn | None = None
    value: JsonValue = None


class _Invalid(Exception):
    pass


def _text(value: Any, definition: sa.Row[Any]) -> str | None:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise _Invalid
    return value or None


def _number(value: Any, definition: sa.Row[Any]) -> str | None:
    if isinstance(value, bool):
        raise _Invalid
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise _Invalid from None
    else:
        raise _Invalid
    if not math.isfinite(number):  # nan and infinities are no amount of anything
        raise _Invalid
    if isinstance(value, str):
        return value.strip()
    return repr(value) if isinstance(value, float) else str(value)


def _boolean(value: Any, definition: sa.Row[Any]) -> str | None:
    if not isinstance(value, bool):
        raise _Invalid
    return "true" if value else "false"


def _date(value: Any, definition: sa.Row[Any]) -> str | None:
    if not isinstance(value, str):
        raise _Invalid
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise _Invalid from None


def _option(value: Any, definition: sa.Row[Any]) -> str | None:
    if not isinstance(value, str) or value not in (definition.options or []):
        raise _Invalid
    return value


def _options(value: Any, definition: sa.Row[Any]) -> str | None:
    if not isinstance(value, str):
        raise _Invalid
    chosen = [part.strip() for part in value.split(";") if part.strip()]
    if any(part not in (definition.options or []) for part in chosen):
        raise _Invalid
    return ";".join(chosen) or None


_CONVERTERS = {
    "text": _text,
    "link": _text,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "list": _option,
    "multiselectlist": _options,
}


def stored_value(definition: sa.Row[Any], value: Any, resource: str) -> str | None:
    """The text to store for `value`, or None to clear the field. Raises 422 on a bad value."""
    if value is None:
        if definition.type == "boolean":
            raise ValidationFailed.single("invalid type for field", resource, "field.value")
        return None
    try:
        return _CONVERTERS.get(definition.type, _text)(value, definition)
    except _Invalid:
        raise ValidationFailed.single("invalid type for field", resource, "field.value") from None


def wire_value(definition_type: str, stored: str) -> str | bool:
    return stored == "true" if definition_type == "boolean" else stored


def apply_fields(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    record_id: int,
    items: list[FieldIn],
    resource: str,
) -> bool:
    """Sets, changes and clears field values; returns whether anything was sent."""
    for item in items:
        definition = _definition_of(conn, account_id, entity, record_id, item, resource)
        value = None if item.delete else stored_value(definition, item.value, resource)
        if value is None:
            store.clear_field_value(conn, entity, record_id, definition.id)
        else:
            store.set_field_value(conn, entity, record_id, definition.id, value)
    return bool(items)


def _definition_of(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    record_id: int,
    item: FieldIn,
    resource: str,
) -> sa.Row[Any]:
    if item.id is not None:
        existing = store.field_value(conn, entity, record_id, item.id)
        if existing is None:
            raise NotFound()
        definition_id: int | None = existing.definition_id
        name = None
    elif item.definition is not None:
        definition_id, name = item.definition.id, item.definition.name
    else:
        raise ValidationFailed.single("definition is required", resource, "field.definition")
    found = definitions.find_definition(
        conn, account_id, entity, definition_id=definition_id, name=name
    )
    if found is None:
        raise ValidationFailed.single("definition not found", resource, "field.definition")
    return found
