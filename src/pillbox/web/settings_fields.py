"""/settings/fields and /settings/tags: the custom field definitions and the tags of each record
type (people and organisations, opportunities, projects), data tags included."""

from typing import Any

import sqlalchemy as sa

from pillbox.domain import field_definitions as definitions
from pillbox.domain import tags
from pillbox.store import tags as tag_store
from pillbox.store.accounts import Principal
from pillbox.web.record_page import field_definitions
from pillbox.web.settings_kit import (
    Collection,
    Input,
    Item,
    SettingsPage,
    page_routes,
    reference,
)

RECORD_TYPES = {
    "parties": "People & organisations",
    "opportunities": "Opportunities",
    "kases": "Projects",
}
TYPE_LABELS = {
    "text": "Text",
    "date": "Date",
    "list": "List (pick one)",
    "multiselectlist": "List (pick several)",
    "boolean": "Yes or no",
    "number": "Number",
    "link": "Link",
}
MAX_TAGS = 1000


def _tags(conn: sa.Connection, who: Principal, entity: str) -> list[Any]:
    ids = tag_store.page_ids(conn, who.account_id, entity, 0, MAX_TAGS)
    found = tag_store.load(conn, who.account_id, entity, ids) if ids else {}
    return [found[i] for i in ids if i in found]


def _definition_items(conn: sa.Connection, who: Principal, entity: str) -> list[Item]:
    names = {tag.id: tag.name for tag in _tags(conn, who, entity)}
    return [
        Item(
            row.id,
            row.name,
            {
                "name": row.name,
                "description": row.description,
                "options": list(row.options or []),
                "important": row.important,
                "tag": row.tag_id,
                "displayOrder": row.display_order,
            },
            notes=[
                TYPE_LABELS[row.type],
                *([f"data tag {names[row.tag_id]}"] if row.tag_id in names else []),
            ],
        )
        for row in field_definitions(conn, who.account_id, entity)
    ]


def _data_tags(
    conn: sa.Connection, who: Principal, entity: str
) -> dict[str, list[tuple[str, str]]]:
    return {"tag": [(str(tag.id), tag.name) for tag in _tags(conn, who, entity) if tag.data_tag]}


def _definitions(entity: str) -> Collection:
    return Collection(
        key=f"fields-{entity}",
        title=f"Fields of {RECORD_TYPES[entity].lower()}",
        noun="field",
        resource=definitions.DEFINITION,
        model=definitions.DefinitionInput,
        inputs=(
            Input("name", "Name"),
            Input("type", "Type", kind="select", choices=list(TYPE_LABELS.items()), on_edit=False),
            Input("options", "Options of a list, one a line", kind="lines"),
            Input("description", "Description", kind="textarea"),
            Input("important", "Important", kind="checkbox"),
            Input("tag", "Data tag", kind="select", read=reference, errors=("tag.id",)),
            Input("displayOrder", "Order", kind="number"),
        ),
        load=lambda conn, who: _definition_items(conn, who, entity),
        load_choices=lambda conn, who: _data_tags(conn, who, entity),
        create=lambda conn, who, data: definitions.create_definition(conn, who, entity, data),
        update=lambda conn, who, item_id, data: definitions.update_definition(
            conn, who, entity, item_id, data
        ),
        delete=lambda conn, who, item_id: definitions.delete_definition(conn, who, entity, item_id),
        delete_warning="The field leaves every record now; its values go in the background.",
    )


def _tag_items(conn: sa.Connection, who: Principal, entity: str) -> list[Item]:
    return [
        Item(
            tag.id,
            tag.name,
            {"name": tag.name, "description": tag.description, "dataTag": tag.data_tag},
            notes=["data tag"] if tag.data_tag else [],
        )
        for tag in _tags(conn, who, entity)
    ]


def _tag_collection(entity: str) -> Collection:
    return Collection(
        key=f"tags-{entity}",
        title=f"Tags of {RECORD_TYPES[entity].lower()}",
        noun="tag",
        resource=tags.TAG,
        model=tags.TagInput,
        inputs=(
            Input("name", "Name"),
            Input("description", "Description", kind="textarea"),
            Input("dataTag", "Data tag (has fields of its own)", kind="checkbox"),
        ),
        load=lambda conn, who: _tag_items(conn, who, entity),
        create=lambda conn, who, data: tags.create_tag(conn, who, entity, data),
        update=lambda conn, who, tag_id, data: tags.update_tag(conn, who, entity, tag_id, data),
        delete=lambda conn, who, tag_id: tags.delete_tag(conn, who, entity, tag_id),
        delete_warning="The tag comes off every record now, in the background.",
    )


FIELDS_PAGE = SettingsPage(
    "/settings/fields",
    "Custom fields",
    "Fields of your own on each kind of record, shown and edited on its page.",
    tuple(_definitions(entity) for entity in RECORD_TYPES),
)
TAGS_PAGE = SettingsPage(
    "/settings/tags",
    "Tags",
    "The tags of each kind of record. A data tag brings fields of its own to the records it is on.",
    tuple(_tag_collection(entity) for entity in RECORD_TYPES),
)

ROUTES = [*page_routes(FIELDS_PAGE), *page_routes(TAGS_PAGE)]
