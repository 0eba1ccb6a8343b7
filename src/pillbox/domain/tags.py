"""Tags on any record, written through the record's own `tags` array."""

from typing import Annotated

import sqlalchemy as sa
from pydantic import Field

from pillbox.domain.base import CollectionItem
from pillbox.errors import ValidationFailed
from pillbox.store import records as store


class TagIn(CollectionItem):
    """{"name": "VIP"} attaches (creating the tag if new); {"id": N, "_delete": true} detaches."""

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None


def apply_tags(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    record_id: int,
    items: list[TagIn],
    resource: str,
) -> bool:
    """Attaches and detaches tags; returns whether the record's tags changed."""
    attached = store.attached_tag_ids(conn, entity, record_id)
    changed = False
    for item in items:
        tag_id = store.find_tag(conn, account_id, entity, tag_id=item.id, name=item.name)
        if item.delete:
            if tag_id is None or tag_id not in attached:
                raise ValidationFailed.single("tag not found to delete", resource, "tags")
            store.detach_tag(conn, entity, record_id, tag_id)
            attached.discard(tag_id)
        else:
            if tag_id is None:
                if item.name is None:
                    raise ValidationFailed.single("tag not found", resource, "tags")
                tag_id = store.create_tag(conn, account_id, entity, item.name.strip() or item.name)
            if tag_id in attached:
                continue
            store.attach_tag(conn, entity, record_id, tag_id)
            attached.add(tag_id)
        changed = True
    return changed
