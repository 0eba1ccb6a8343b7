"""Embeds every record type shares: `tags`, `fields` and `missingImportantFields`.

One query per embed per page, whatever the page size.
"""

from typing import Any

import sqlalchemy as sa

from pillbox.domain.fields import wire_value
from pillbox.store import records

SHARED_EMBEDS = frozenset({"tags", "fields", "missingImportantFields"})


def tag_to_wire(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "dataTag": bool(row.data_tag),
    }


def _field(row: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": row.id,
        "definition": {"id": row.definition_id, "name": row.definition_name},
        "value": wire_value(row.definition_type, row.value),
    }
    if row.tag_id is not None:
        item["tagId"] = row.tag_id
    return item


def add_record_extras(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    items: list[dict[str, Any]],
    embeds: frozenset[str],
    capture_of: dict[int, str] | None = None,
) -> None:
    """Adds the requested shared embeds to each wire item, in place.

    `capture_of` gives each record's kind for field capture rules (people vs organisations).
    """
    wanted = embeds & SHARED_EMBEDS
    if not wanted or not items:
        return
    ids = [item["id"] for item in items]
    missing = "missingImportantFields" in wanted
    tags = records.load_tags(conn, entity, ids) if "tags" in wanted or missing else {}
    values = records.load_field_values(conn, entity, ids) if "fields" in wanted or missing else {}
    important = records.important_definitions(conn, account_id, entity) if missing else []
    for item in items:
        record_id = item["id"]
        if "tags" in wanted:
            item["tags"] = [tag_to_wire(row) for row in tags.get(record_id, [])]
        if "fields" in wanted:
            item["fields"] = [_field(row) for row in values.get(record_id, [])]
        if missing:
            kind = (capture_of or {}).get(record_id)
            have = {row.definition_id for row in values.get(record_id, [])}
            tag_ids = {row.id for row in tags.get(record_id, [])}
            item["missingImportantFields"] = any(
                d.id not in have
                and (d.tag_id is None or d.tag_id in tag_ids)
                and (d.capture_rule is None or d.capture_rule == kind)
                for d in important
            )
