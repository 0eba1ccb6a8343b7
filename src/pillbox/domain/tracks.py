"""Tracks: a track definition applied to a party, opportunity or project.

- Applying needs a `definition` (`422 track definition is required` otherwise) made for that
  kind of record (PARTY, OPPORTUNITY or CASEFILE), and exactly one record.
- `trackDateOn` defaults to today; `description` to the definition's. The track keeps the
  definition's direction; later changes to the definition do not touch applied tracks.
- Applying creates one task per task definition, in order, scheduled as `track_schedule` says,
  owned by the record's owner (ENTITY_OWNER, else the applying user) or the named user, and tags
  the record with the definition's tags. Applying the same definition twice makes two tracks.
- Only `description` and `trackDateOn` change afterwards; a new date moves the tasks not yet
  done. Deleting a track deletes its tasks not yet done; done ones stay on the record.
- Opportunities and projects take a `tracks` array on create, applied the same way.
"""

from datetime import date
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BeforeValidator, Field

from pillbox import timestamps
from pillbox.domain import hooks, track_schedule
from pillbox.domain.base import InputModel, RefIn
from pillbox.domain.records import optional_date, today
from pillbox.domain.tags import TagIn, apply_tags
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import kases as kase_store
from pillbox.store import opportunities as opportunity_store
from pillbox.store import parties as party_store
from pillbox.store import records as record_store
from pillbox.store import tasks as task_store
from pillbox.store import track_definitions as definition_store
from pillbox.store import tracks as store
from pillbox.store.accounts import Principal

RESOURCE = "track"
# What a track is applied to: its record finder, its definitions' capture rule, its entity.
TARGETS = {
    "party": (party_store.find, "PARTY", "parties"),
    "opportunity": (opportunity_store.find, "OPPORTUNITY", "opportunities"),
    "kase": (kase_store.find, "CASEFILE", "kases"),
}
Day = Annotated[str, Field(max_length=10)]


class TrackInput(InputModel):
    description: Annotated[str, Field(max_length=200)] | None = None
    track_date_on: Day | None = None
    definition: RefIn | None = None
    party: RefIn | None = None
    opportunity: RefIn | None = None
    kase: RefIn | None = None


def _bare_definition(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return {"definition": value}
    return value


class TrackOnCreate(InputModel):
    """An item of the `tracks` array on opportunity and project create."""

    definition: RefIn | None = None
    track_date_on: Day | None = None
    description: Annotated[str, Field(max_length=200)] | None = None


TrackOnCreateIn = Annotated[TrackOnCreate, BeforeValidator(_bare_definition)]


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed.single(message, RESOURCE, field)


def _target(conn: sa.Connection, account_id: int, data: TrackInput) -> tuple[str, Any]:
    """The one record the track goes on: ("party", its row)."""
    sent = [name for name in TARGETS if getattr(data, name) is not None]
    if len(sent) != 1:
        raise _fail("track must be linked to either a party, opportunity or kase", "kase")
    name = sent[0]
    ref = getattr(data, name)
    record = TARGETS[name][0](conn, account_id, ref.id) if ref.id is not None else None
    if record is None:
        raise _fail(f"{name} not found", name)
    return name, record


def _definition(conn: sa.Connection, account_id: int, ref: Any, target: str) -> Any:
    if ref is None or ref.id is None:
        raise _fail("track definition is required", "definition")
    definition = definition_store.load(conn, account_id, [ref.id]).get(ref.id)
    if definition is None:
        raise _fail("track definition not found", "definition")
    if definition.capture_rule != TARGETS[target][1]:
        raise _fail(f"track definition is not for {TARGETS[target][2]}", "definition")
    return definition


def _description(raw: str | None, default: str) -> str:
    if raw is None:
        return default
    description = raw.strip()
    if not description:
        raise _fail("description is required", "description")
    return description


def create_track(conn: sa.Connection, who: Principal, data: TrackInput) -> int:
    target, record = _target(conn, who.account_id, data)
    definition = _definition(conn, who.account_id, data.definition, target)
    return apply(conn, who, definition, target, record, data.track_date_on, data.description)


def apply_on_create(
    conn: sa.Connection, who: Principal, target: str, record_id: int, items: list[TrackOnCreate]
) -> bool:
    """Applies the `tracks` of a record being created; returns whether any was."""
    record = TARGETS[target][0](conn, who.account_id, record_id)
    for item in items:
        definition = _definition(conn, who.account_id, item.definition, target)
        apply(conn, who, definition, target, record, item.track_date_on, item.description)
    return bool(items)


def apply(
    conn: sa.Connection,
    who: Principal,
    definition: Any,
    target: str,
    record: Any,
    track_date_on: str | None,
    description: str | None,
) -> int:
    """Puts a track of `definition` on `record`, with its tasks and tags."""
    track_date = optional_date(track_date_on, RESOURCE, "trackDateOn") or today()
    now = timestamps.now()
    track_id = store.insert(
        conn,
        {
            "account_id": who.account_id,
            "definition_id": definition.id,
            "description": _description(description, definition.description),
            "direction": definition.direction,
            "track_date_on": track_date,
            f"{target}_id": record.id,
            "created_at": now,
            "updated_at": now,
        },
    )
    templates = definition_store.task_definitions(conn, [definition.id]).get(definition.id, [])
    steps = track_schedule.plan(date.fromisoformat(track_date), definition.direction, templates)
    for position, (template, step) in enumerate(zip(templates, steps, strict=True), start=1):
        by_owner = template.assignee_type == "ENTITY_OWNER"
        owner = record.owner_id if by_owner else template.assignee_id
        task_id = task_store.insert(
            conn,
            {
                "account_id": who.account_id,
                "description": template.description,
                "category_id": template.category_id,
                "due_on": step.due_on.isoformat(),
                "status": step.status,
                f"{target}_id": record.id,
                "owner_id": owner or who.user_id,
                "track_id": track_id,
                "track_position": position,
                "days_after": template.days_after,
                "task_delay_rule": step.rule,
                "day_delay_rule": template.day_delay_rule,
                "created_at": now,
                "updated_at": now,
            },
        )
        hooks.emit(conn, who.account_id, "task/created", task_id)
    _tag(conn, who.account_id, definition.tag, target, record.id, now)
    return track_id


def _tag(
    conn: sa.Connection, account_id: int, tags: str | None, target: str, record_id: int, now: str
) -> None:
    names = [name.strip() for name in (tags or "").split(",") if name.strip()]
    entity = TARGETS[target][2]
    items = [TagIn(name=name[:200]) for name in names]
    if items and apply_tags(conn, account_id, entity, record_id, items, RESOURCE):
        record_store.touch(conn, entity, record_id, now)


def update_track(conn: sa.Connection, who: Principal, track_id: int, data: TrackInput) -> None:
    current = store.load(conn, who.account_id, [track_id]).get(track_id)
    if current is None:
        raise NotFound()
    values: dict[str, Any] = {}
    if data.sent("description"):
        values["description"] = _description(data.description or "", current.description)
    if data.sent("track_date_on"):
        values["track_date_on"] = optional_date(data.track_date_on, RESOURCE, "trackDateOn")
        if values["track_date_on"] is None:
            raise _fail("trackDateOn is required", "trackDateOn")
    changed = {k: v for k, v in values.items() if getattr(current, k) != v}
    if not changed:
        return
    store.update(conn, who.account_id, track_id, {**changed, "updated_at": timestamps.now()})
    if "track_date_on" in changed:
        new_date = date.fromisoformat(changed["track_date_on"])
        track_schedule.redate(conn, track_id, new_date, current.direction)


def delete_track(conn: sa.Connection, who: Principal, track_id: int) -> None:
    if not store.load(conn, who.account_id, [track_id]):
        raise NotFound()
    store.delete(conn, who.account_id, track_id)
