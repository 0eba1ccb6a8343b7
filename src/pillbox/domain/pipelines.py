"""Pipelines, their milestones, and lost reasons: the settings opportunities move through.

Administrators manage them, as in Capsule. A pipeline is archived rather than destroyed (its
opportunities keep their milestones); a milestone in use cannot be deleted; a lost reason is
deleted softly, staying on the opportunities that carry it.
"""

from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field, StrictBool

from pillbox import timestamps
from pillbox.domain import stage_containers as containers
from pillbox.domain.base import InputModel, RefIn, require_admin, required_name
from pillbox.domain.stage_containers import ContainerInput, ContainerKind, Description, Name
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import pipelines as store
from pillbox.store.accounts import Principal

MAX_ACTIVE_PIPELINES = containers.MAX_ACTIVE
KIND = ContainerKind("pipeline", "pipelines", store.CONTAINERS)


# -- pipelines -----------------------------------------------------------------------------------


# A pipeline's name and description.
class PipelineInput(ContainerInput):
    pass


def create_pipeline(conn: sa.Connection, who: Principal, data: PipelineInput) -> int:
    return containers.create(conn, who, KIND, data)


def update_pipeline(
    conn: sa.Connection, who: Principal, pipeline_id: int, data: PipelineInput
) -> None:
    containers.update(conn, who, KIND, pipeline_id, data)


def archive_pipeline(conn: sa.Connection, who: Principal, pipeline_id: int) -> None:
    """Capsule's delete: the pipeline leaves the lists, its opportunities stay where they are."""
    found = containers.found(conn, who, KIND, pipeline_id)
    require_admin(who)
    if found.archived_at is not None:
        raise NotFound()
    containers.archive(conn, who, KIND, pipeline_id)


def restore_pipeline(conn: sa.Connection, who: Principal, pipeline_id: int) -> int:
    return containers.restore(conn, who, KIND, pipeline_id)


def duplicate_pipeline(conn: sa.Connection, who: Principal, pipeline_id: int) -> int:
    """A copy of the pipeline and its milestones, named "… (copy)"."""
    found = containers.found(conn, who, KIND, pipeline_id)
    require_admin(who)
    containers.check_room(conn, who, KIND)
    copy_name = f"{found.name} (copy)"[:200]
    copy_id = store.create_pipeline(conn, who.account_id, copy_name, found.description)
    for milestone in store.milestones_of(conn, pipeline_id):
        store.create_milestone(
            conn,
            who.account_id,
            copy_id,
            name=milestone.name,
            description=milestone.description,
            probability=milestone.probability,
            complete=milestone.complete,
            days_until_stale=milestone.days_until_stale,
        )
    return copy_id


# -- milestones ----------------------------------------------------------------------------------


class MilestoneInput(InputModel):
    name: Name | None = None
    description: Description | None = None
    probability: Annotated[int, Field(ge=0, le=100)] | None = None
    complete: StrictBool | None = None
    days_until_stale: Annotated[int, Field(ge=0, le=10_000)] | None = None
    pipeline: RefIn | None = None
    display_order: containers.DisplayOrder | None = None


def _milestone_pipeline(conn: sa.Connection, who: Principal, data: MilestoneInput) -> int:
    if data.pipeline is not None and data.pipeline.id is not None:
        found = store.find_pipeline(conn, who.account_id, data.pipeline.id)
        if found is None or found.archived_at is not None:
            raise ValidationFailed.single("pipeline not found", "milestone", "pipeline")
        return int(found.id)
    oldest = store.oldest_active_pipeline(conn, who.account_id)
    if oldest is None:
        raise ValidationFailed.single("pipeline is required", "milestone", "pipeline")
    return oldest


def create_milestone(conn: sa.Connection, who: Principal, data: MilestoneInput) -> int:
    require_admin(who)
    values: dict[str, Any] = {
        "name": required_name(data.name, "milestone"),
        "description": data.description,
        "probability": data.probability if data.probability is not None else 0,
        "complete": bool(data.complete),
        "days_until_stale": data.days_until_stale,
    }
    if data.display_order is not None:
        values["display_order"] = data.display_order
    pipeline_id = _milestone_pipeline(conn, who, data)
    return store.create_milestone(conn, who.account_id, pipeline_id, **values)


def _milestone(conn: sa.Connection, who: Principal, milestone_id: int) -> Any:
    found = store.find_milestone(conn, who.account_id, milestone_id)
    if found is None:
        raise NotFound()
    return found


def update_milestone(
    conn: sa.Connection, who: Principal, milestone_id: int, data: MilestoneInput
) -> None:
    """Changes apply to new opportunities; open ones keep their probability, as in Capsule."""
    current = _milestone(conn, who, milestone_id)
    require_admin(who)
    values = containers.stage_changes(data, "milestone")
    if data.sent("days_until_stale"):
        values["days_until_stale"] = data.days_until_stale
    for name, wire in (("probability", "probability"), ("complete", "complete")):
        if data.sent(name):
            if getattr(data, name) is None:
                raise ValidationFailed.single(f"{wire} cannot be empty", "milestone", wire)
            values[name] = getattr(data, name)
    changes_closing = "complete" in values and values["complete"] != current.complete
    if changes_closing and store.milestone_in_use(conn, milestone_id):
        message = "complete cannot change while opportunities are at this milestone"
        raise ValidationFailed.single(message, "milestone", "complete")
    if values:
        store.update_milestone(conn, who.account_id, milestone_id, values)


def delete_milestone(conn: sa.Connection, who: Principal, milestone_id: int) -> None:
    _milestone(conn, who, milestone_id)
    require_admin(who)
    if store.milestone_in_use(conn, milestone_id):
        raise ValidationFailed.single("milestone is in use", "milestone", "milestone")
    store.delete_milestone(conn, who.account_id, milestone_id)


# -- lost reasons --------------------------------------------------------------------------------


class LostReasonInput(InputModel):
    name: Name | None = None
    included_for_conversion: StrictBool | None = None


def create_lost_reason(conn: sa.Connection, who: Principal, data: LostReasonInput) -> int:
    require_admin(who)
    name = required_name(data.name, "lostReason")
    return store.create_lost_reason(conn, who.account_id, name, bool(data.included_for_conversion))


def _lost_reason(conn: sa.Connection, who: Principal, reason_id: int) -> None:
    if not store.load_lost_reasons(conn, who.account_id, [reason_id]):
        raise NotFound()


def update_lost_reason(
    conn: sa.Connection, who: Principal, reason_id: int, data: LostReasonInput
) -> None:
    _lost_reason(conn, who, reason_id)
    require_admin(who)
    values: dict[str, Any] = {}
    if data.sent("name"):
        values["name"] = required_name(data.name, "lostReason")
    if data.sent("included_for_conversion"):
        values["included_for_conversion"] = bool(data.included_for_conversion)
    if values:
        store.update_lost_reason(conn, who.account_id, reason_id, values)


def delete_lost_reason(conn: sa.Connection, who: Principal, reason_id: int) -> None:
    """Soft: the reason leaves the lists but stays on the opportunities lost for it."""
    _lost_reason(conn, who, reason_id)
    require_admin(who)
    store.update_lost_reason(conn, who.account_id, reason_id, {"deleted_at": timestamps.now()})
