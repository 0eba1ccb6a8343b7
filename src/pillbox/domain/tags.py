"""Tags: attached to any record through its own `tags` array, and managed per record type."""

from typing import Annotated

import sqlalchemy as sa
from pydantic import Field, StrictBool

from pillbox.domain.base import CollectionItem, InputModel, required_name
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import jobs as job_store
from pillbox.store import records as store
from pillbox.store import tags as tag_store
from pillbox.store.accounts import Principal


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
        name = (item.name.strip() or item.name) if item.name is not None else None
        tag_id = tag_store.find_tag(conn, account_id, entity, tag_id=item.id, name=name)
        if item.delete:
            if tag_id is None or tag_id not in attached:
                raise ValidationFailed.single("tag not found to delete", resource, "tags")
            store.detach_tag(conn, entity, record_id, tag_id)
            attached.discard(tag_id)
        else:
            if tag_id is None:
                if name is None:
                    raise ValidationFailed.single("tag not found", resource, "tags")
                tag_id = tag_store.create_tag(conn, account_id, entity, name)
            if tag_id in attached:
                continue
            store.attach_tag(conn, entity, record_id, tag_id)
            attached.add(tag_id)
        changed = True
    return changed


def tag_new_record(
    conn: sa.Connection,
    account_id: int,
    entity: str,
    record_id: int,
    items: list[TagIn],
    resource: str,
) -> list[str]:
    """`apply_tags` for a record just created, which has no tags yet: the same rules, in fewer
    statements. Returns the names of the tags it now shows, sorted (as the history keeps them)."""
    attached: dict[int, str | None] = {}  # tag id -> name shown (None: a tag being deleted)
    for item in items:
        if item.delete:  # nothing is attached yet
            raise ValidationFailed.single("tag not found to delete", resource, "tags")
        name = (item.name.strip() or item.name) if item.name is not None else None
        found = tag_store.find_named_tag(conn, account_id, entity, tag_id=item.id, name=name)
        if found is not None:
            attached.setdefault(found.id, None if found.deleted_at else found.name)
            continue
        if name is None:
            raise ValidationFailed.single("tag not found", resource, "tags")
        attached[tag_store.create_tag(conn, account_id, entity, name)] = name
    if attached:
        store.attach_tags(conn, entity, record_id, list(attached))
    return sorted(name for name in attached.values() if name is not None)


# -- the tags of a record type (/{entity}/tags) --------------------------------------------------

TAG = "tag"
DELETING_TAG = "Deleting Tag"  # Capsule's job action label


class TagInput(InputModel):
    name: Annotated[str, Field(max_length=200)] | None = None
    description: Annotated[str, Field(max_length=10_000)] | None = None
    data_tag: StrictBool | None = None


def _check_name_free(
    conn: sa.Connection, account_id: int, entity: str, name: str, tag_id: int | None
) -> None:
    existing = tag_store.find_tag(conn, account_id, entity, name=name)
    if existing is not None and existing != tag_id:
        raise ValidationFailed.single("name already exists", TAG, "name")


def create_tag(conn: sa.Connection, who: Principal, entity: str, data: TagInput) -> int:
    name = required_name(data.name, TAG)
    _check_name_free(conn, who.account_id, entity, name, None)
    return tag_store.create_tag(
        conn, who.account_id, entity, name, data.description, bool(data.data_tag)
    )


def _existing(conn: sa.Connection, who: Principal, entity: str, tag_id: int) -> None:
    if tag_store.find_tag(conn, who.account_id, entity, tag_id=tag_id) is None:
        raise NotFound()


def update_tag(
    conn: sa.Connection, who: Principal, entity: str, tag_id: int, data: TagInput
) -> None:
    _existing(conn, who, entity, tag_id)
    values: dict[str, object] = {}
    if data.sent("name"):
        name = required_name(data.name, TAG)
        _check_name_free(conn, who.account_id, entity, name, tag_id)
        values["name"] = name
    if data.sent("description"):
        values["description"] = data.description
    if data.sent("data_tag"):
        if data.data_tag is None:
            raise ValidationFailed.single("dataTag must be true or false", TAG, "dataTag")
        if not data.data_tag and tag_store.live_definition_count(conn, tag_id):
            raise ValidationFailed.single(
                "delete the fields of this data tag first", TAG, "dataTag"
            )
        values["data_tag"] = data.data_tag
    if values:
        tag_store.update_tag(conn, who.account_id, tag_id, values)


def delete_tag(conn: sa.Connection, who: Principal, entity: str, tag_id: int) -> str:
    """Hides the tag now and schedules the job that detaches it from every record."""
    _existing(conn, who, entity, tag_id)
    total = tag_store.start_deleting(conn, who.account_id, tag_id)
    return job_store.create_job(conn, who.account_id, DELETE_TAG_JOB, DELETING_TAG, tag_id, total)


DELETE_TAG_JOB = "delete_tag"


def delete_tag_step(conn: sa.Connection, tag_id: int, batch: int) -> int:
    """One step of a tag deletion job; returns the rows still to remove (0: finished)."""
    return tag_store.remove_batch(conn, tag_id, batch)
