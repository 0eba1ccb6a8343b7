"""/api/v2/{parties,opportunities,kases}/fields/definitions, and the fields of each data tag."""

from functools import partial

import sqlalchemy as sa

from pillbox.api.kit import Endpoint, Resource, SubList, resource_endpoints, sub_list_endpoint
from pillbox.api.v2.schemas import BOOLEAN, INTEGER, STRING, nullable, obj
from pillbox.api.v2.tags import ENTITIES
from pillbox.domain import field_definitions as domain
from pillbox.store import field_definitions as store
from pillbox.store import tags as tag_store
from pillbox.store.listing import Listing
from pillbox.wire import field_definitions as wire

FIELD_DEFINITION_SCHEMA = obj(
    {
        "id": INTEGER,
        "type": {"enum": ["text", "date", "list", "multiselectlist", "boolean", "number", "link"]},
        "description": nullable("string"),
        "important": BOOLEAN,
        "displayOrder": INTEGER,
        "name": STRING,
        "tag": {
            "oneOf": [
                obj({"id": INTEGER, "name": STRING, "dataTag": BOOLEAN}),
                {"type": "null"},
            ]
        },
        "captureRule": {"enum": ["person", "organisation", None]},
        "options": {"type": ["array", "null"], "items": STRING},
    }
)


def _page_ids(entity: str, conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, entity, listing)


def definition_resource(entity: str) -> Resource:
    return Resource(
        singular="definition",
        plural="definitions",
        route=f"/{entity}/fields/definitions",
        name=f"{ENTITIES[entity]}_field_definitions",
        embeds=frozenset(),
        render=wire.renderer(entity),
        page_ids=partial(_page_ids, entity),
        wire_schema=FIELD_DEFINITION_SCHEMA,
        input_model=domain.DefinitionInput,
        create=lambda conn, who, data: domain.create_definition(conn, who, entity, data),
        update=lambda conn, who, definition_id, data: domain.update_definition(
            conn, who, entity, definition_id, data
        ),
        delete=lambda conn, who, definition_id: domain.delete_definition(
            conn, who, entity, definition_id
        ),
        since=False,
        deleted_feed=False,
        many_ids=False,
        deletes_later=True,
        list_flags=("includeDataTagFields",),
    )


def _tag_exists(entity: str, conn: sa.Connection, account_id: int, tag_id: int) -> bool:
    return tag_store.find_tag(conn, account_id, entity, tag_id=tag_id) is not None


def _tag_definition_ids(
    entity: str, conn: sa.Connection, account_id: int, tag_id: int, offset: int, limit: int
) -> list[int]:
    return store.tag_page_ids(conn, account_id, entity, tag_id, offset, limit)


def _endpoints(entity: str) -> list[Endpoint]:
    resource = definition_resource(entity)
    data_tag_fields = SubList(
        path=f"/{entity}/tags/{{id}}/definitions",
        summary=f"List the fields of a data tag of {entity}",
        resource=resource,
        parent_exists=partial(_tag_exists, entity),
        page_ids=partial(_tag_definition_ids, entity),
    )
    return [
        *resource_endpoints(resource),
        sub_list_endpoint(data_tag_fields, f"list_{ENTITIES[entity]}_tag_definitions"),
    ]


ENDPOINTS = [endpoint for entity in ENTITIES for endpoint in _endpoints(entity)]
