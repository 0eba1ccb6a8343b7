"""/api/v2/{parties,opportunities,kases}/tags: the tags of each record type."""

from functools import partial
from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.kit.extras import tag_to_wire
from pillbox.api.v2 import schemas
from pillbox.domain import tags as domain
from pillbox.store import tags as store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing

ENTITIES = {"parties": "party", "opportunities": "opportunity", "kases": "kase"}


def _render(
    entity: str, conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    rows = store.load(conn, who.account_id, entity, ids)
    return [tag_to_wire(rows[i]) for i in ids if i in rows]


def _page_ids(entity: str, conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, entity, listing.offset, listing.limit)


def tag_resource(entity: str) -> Resource:
    return Resource(
        singular="tag",
        plural="tags",
        route=f"/{entity}/tags",
        name=f"{ENTITIES[entity]}_tags",
        embeds=frozenset(),
        render=partial(_render, entity),
        page_ids=partial(_page_ids, entity),
        wire_schema=schemas.TAG,
        input_model=domain.TagInput,
        create=lambda conn, who, data: domain.create_tag(conn, who, entity, data),
        update=lambda conn, who, tag_id, data: domain.update_tag(conn, who, entity, tag_id, data),
        delete=lambda conn, who, tag_id: domain.delete_tag(conn, who, entity, tag_id),
        since=False,
        deleted_feed=False,
        many_ids=False,
        deletes_later=True,
    )


TAGS = {entity: tag_resource(entity) for entity in ENTITIES}

ENDPOINTS = [endpoint for resource in TAGS.values() for endpoint in resource_endpoints(resource)]
