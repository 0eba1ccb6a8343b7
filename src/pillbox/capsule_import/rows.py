"""What a converted Capsule record is: its row, the rows that belong to it, and how it is named.

Converters (`vocabulary`, `records`, `activity`) turn a record as Capsule's API shows it into
rows of Pillbox's tables with Capsule's ids still in them, in the `id` and in every column that
points at another record; `writer` then gives each its local id and writes them.
"""

from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass
class Record:
    """One Capsule record as rows: `row` of `table` (with `id`), and `children`, rows of other
    tables that belong to it alone (a party's addresses, a record's tags and field values),
    replaced whole when the record is written again."""

    table: str
    row: Row
    children: list[tuple[str, Row]] = field(default_factory=list)
    # Links that may point at records not written yet (a person's organisation on a later page):
    # column -> (table pointed at, Capsule id). Set once the record pointed at is written.
    later: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def source_id(self) -> int:
        return int(self.row["id"])


def ref(value: Any) -> int | None:
    """The id of a nested record (`{"id": 3, …}`), or None."""
    if isinstance(value, dict) and isinstance(value.get("id"), int):
        return int(value["id"])
    return None


def tags_of(entity: str, wire: dict[str, Any]) -> list[tuple[str, Row]]:
    """The record_tags rows of a record's embedded `tags`."""
    return [
        ("record_tags", {"entity": entity, "record_id": wire["id"], "tag_id": tag["id"]})
        for tag in wire.get("tags") or []
        if ref(tag) is not None
    ]


def fields_of(entity: str, wire: dict[str, Any]) -> list[tuple[str, Row]]:
    """The field_values rows of a record's embedded `fields` (values as the API shows them;
    the writer stores them as the domain does)."""
    return [
        (
            "field_values",
            {
                "id": item["id"],
                "entity": entity,
                "record_id": wire["id"],
                "definition_id": ref(item.get("definition")),
                "value": item.get("value"),
            },
        )
        for item in wire.get("fields") or []
        if ref(item) is not None and ref(item.get("definition")) is not None
    ]


def object_of(value: Any) -> dict[str, Any]:
    """A nested object, or an empty one where Capsule sent none."""
    return value if isinstance(value, dict) else {}
