"""Tags and custom fields of any record type, as CSV columns: `Tags` and one column per field."""

import re
from typing import Any

import sqlalchemy as sa

from pillbox.domain.fields import stored_value
from pillbox.errors import ValidationFailed
from pillbox.store import records
from pillbox.transfer.context import Context, RowError
from pillbox.transfer.headers import FIELD_PREFIX

TAGS = "Tags"
TRUE = {"true", "yes", "y", "1", "x"}
FALSE = {"false", "no", "n", "0", ""}


def project(
    conn: sa.Connection, entity: str, ids: list[int], out: dict[int, dict[str, str]]
) -> None:
    """Adds each record's `Tags` and custom field columns to its projection in `out`."""
    for record_id, tags in records.load_tags(conn, entity, ids).items():
        if record_id in out:
            out[record_id][TAGS] = "; ".join(tag.name for tag in tags)
    for record_id, values in records.load_field_values(conn, entity, ids).items():
        if record_id in out:
            for value in values:
                out[record_id][FIELD_PREFIX + value.definition_name] = value.value


def split_tags(value: str) -> list[str]:
    names = [part.strip() for part in re.split(r"[,;]", value)]
    return list(dict.fromkeys(name for name in names if name))


def changes(
    context: Context, values: dict[str, str], current: dict[str, str] | None
) -> dict[str, Any]:
    """The `tags` and `fields` to send: tags not yet on the record, field values that differ."""
    body: dict[str, Any] = {}
    if values.get(TAGS):
        have = {name.lower() for name in split_tags((current or {}).get(TAGS, ""))}
        new = [name for name in split_tags(values[TAGS]) if name.lower() not in have]
        if new:
            body["tags"] = [{"name": name} for name in new]
    fields = []
    for key, raw in values.items():
        if not key.startswith(FIELD_PREFIX) or raw == "":
            continue
        definition = context.definitions[key[len(FIELD_PREFIX) :].lower()]
        value = _typed(definition, raw, key)
        try:
            stored = stored_value(definition, value, "field")
        except ValidationFailed:
            raise RowError(f"not a valid {definition.type} value: {raw!r}", key) from None
        if current is None or current.get(key) != stored:
            fields.append({"definition": {"id": definition.id}, "value": value})
    if fields:
        body["fields"] = fields
    return body


def _typed(definition: Any, raw: str, key: str) -> Any:
    if definition.type != "boolean":
        return raw.strip()
    word = raw.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise RowError(f"not a valid boolean value: {raw!r}", key)
