"""/api/v2/{parties,opportunities,kases}/tags: the tags of each record type."""

from functools import partial

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas
from pillbox.domain import tags as domain
from pillbox.store import tags as store
from pillbox.store.listing import Listing
from pillbox.wire import tags as wire

ENTITIES = {"parties": "party", "opportunities": "opportunity", "kases": "kase"}


def _page_ids(entity: str, conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, entity, listing.offset, listing.limit)


def tag_resource(entity: str) -> Resource:
    return Resource(
        singular="tag",
        plural="tags",
        route=f"/{entity}/tags",
        name=f"{ENTITIES[entity]}_tags",
        embeds=frozenset(),
        render=wire.renderer(entity),
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
