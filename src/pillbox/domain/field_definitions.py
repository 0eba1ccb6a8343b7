"""Custom field definitions per record type: what a valid definition is, and how it changes."""

from typing import Annotated, Any, Literal

import sqlalchemy as sa
from pydantic import Field, StrictBool

from pillbox.domain.base import InputModel, RefIn
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import field_definitions as store
from pillbox.store import jobs as job_store
from pillbox.store import tags as tag_store
from pillbox.store.accounts import Principal

DEFINITION = "definition"
FIELD_TYPES = ("text", "date", "list", "multiselectlist", "boolean", "number", "link")
LIST_TYPES = ("list", "multiselectlist")
DELETE_DEFINITION_JOB = "delete_field_definition"
DELETING_FIELD = "Deleting Custom Field"

Option = Annotated[str, Field(min_length=1, max_length=200)]


class DefinitionInput(InputModel):
    name: Annotated[str, Field(max_length=200)] | None = None
    description: Annotated[str, Field(max_length=10_000)] | None = None
    type: Literal[FIELD_TYPES] | None = None  # type: ignore[valid-type]
    tag: RefIn | None = None
    capture_rule: Literal["person", "organisation"] | None = None
    options: Annotated[list[Option], Field(max_length=500)] | None = None
    important: StrictBool | None = None
    display_order: Annotated[int, Field(ge=0, le=10_000)] | None = None


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed.single(message, DEFINITION, field)


def _name(
    conn: sa.Connection, who: Principal, entity: str, raw: str | None, own: int | None
) -> str:
    name = (raw or "").strip()
    if not name:
        raise _fail("name is required", "name")
    existing = store.find_definition(conn, who.account_id, entity, name=name)
    if existing is not None and existing.id != own:
        raise _fail("name already exists", "name")
    return name


def _options(field_type: str, options: list[str] | None) -> list[str] | None:
    if field_type not in LIST_TYPES:
        return None  # only list fields have options
    cleaned = list(dict.fromkeys(option.strip() for option in options or [] if option.strip()))
    if not cleaned:
        raise _fail("options are required for a list field", "options")
    return cleaned


def _tag_id(conn: sa.Connection, who: Principal, entity: str, data: DefinitionInput) -> int | None:
    if data.tag is None:
        return None
    ref = data.tag
    tag_id = tag_store.find_tag(conn, who.account_id, entity, tag_id=ref.id, name=ref.name)
    if tag_id is None:
        raise _fail("tag not found", "tag")
    if not tag_store.is_data_tag(conn, tag_id):
        raise _fail("tag is not a data tag", "tag")
    return tag_id


def _capture_rule(entity: str, data: DefinitionInput) -> str | None:
    if data.capture_rule is not None and entity != "parties":
        raise _fail("captureRule is only for party fields", "captureRule")
    return data.capture_rule


def create_definition(
    conn: sa.Connection, who: Principal, entity: str, data: DefinitionInput
) -> int:
    if data.type is None:
        raise _fail("type is required", "type")
    values: dict[str, Any] = {
        "name": _name(conn, who, entity, data.name, None),
        "type": data.type,
        "description": data.description,
        "options": _options(data.type, data.options),
        "important": bool(data.important),
        "tag_id": _tag_id(conn, who, entity, data),
        "capture_rule": _capture_rule(entity, data),
    }
    if data.display_order is not None:
        values["display_order"] = data.display_order
    return store.create_definition(conn, who.account_id, entity, **values)


def _existing(conn: sa.Connection, who: Principal, entity: str, definition_id: int) -> Any:
    found = store.find_definition(conn, who.account_id, entity, definition_id=definition_id)
    if found is None:
        raise NotFound()
    return found


def update_definition(
    conn: sa.Connection, who: Principal, entity: str, definition_id: int, data: DefinitionInput
) -> None:
    current = _existing(conn, who, entity, definition_id)
    if data.sent("type") and data.type != current.type:
        raise _fail("type cannot be changed", "type")
    values: dict[str, Any] = {}
    if data.sent("name"):
        values["name"] = _name(conn, who, entity, data.name, definition_id)
    if data.sent("description"):
        values["description"] = data.description
    if data.sent("options"):
        values["options"] = _options(current.type, data.options)
    if data.sent("important"):
        values["important"] = bool(data.important)
    if data.sent("tag"):
        values["tag_id"] = _tag_id(conn, who, entity, data)
    if data.sent("capture_rule"):
        values["capture_rule"] = _capture_rule(entity, data)
    if data.sent("display_order") and data.display_order is not None:
        values["display_order"] = data.display_order
    if values:
        store.update_definition(conn, who.account_id, definition_id, values)


def delete_definition(conn: sa.Connection, who: Principal, entity: str, definition_id: int) -> str:
    """Hides the definition now and schedules the job that removes its stored values."""
    _existing(conn, who, entity, definition_id)
    total = store.start_deleting(conn, who.account_id, definition_id)
    return job_store.create_job(
        conn, who.account_id, DELETE_DEFINITION_JOB, DELETING_FIELD, definition_id, total
    )


def delete_definition_step(conn: sa.Connection, definition_id: int, batch: int) -> int:
    """One step of a field deletion job; returns the values still to remove (0: finished)."""
    return store.remove_batch(conn, definition_id, batch)
