"""/api/v2/pipelines, /milestones and /lostreasons: what opportunities move through."""

import sqlalchemy as sa

from pillbox.api.kit import (
    Resource,
    SubList,
    action_endpoint,
    paged_list_endpoint,
    resource_endpoints,
    sub_list_endpoint,
)
from pillbox.api.v2 import schemas
from pillbox.api.v2.schemas import BOOLEAN, INTEGER, NESTED_TEAM, STRING, nullable, obj
from pillbox.domain import pipelines as domain
from pillbox.store import pipelines as store
from pillbox.store.listing import Listing
from pillbox.wire import pipelines as wire

MILESTONE_SCHEMA = obj(
    {
        "id": INTEGER,
        "name": STRING,
        "description": nullable("string"),
        "complete": BOOLEAN,
        "probability": INTEGER,
        "daysUntilStale": nullable("integer"),
        "createdAt": STRING,
        "updatedAt": STRING,
        "pipeline": NESTED_TEAM,  # {id, name}
    }
)
LOST_REASON_SCHEMA = obj(
    {
        "id": INTEGER,
        "name": STRING,
        "includedForConversion": BOOLEAN,
        "createdAt": STRING,
        "updatedAt": STRING,
    }
)


def _pipeline_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    archived = bool(listing.flags.get("includeDeleted"))
    return store.pipeline_page_ids(
        conn, account_id, listing.offset, listing.limit, archived, listing.name
    )


def _oldest_pipeline_milestone_ids(
    conn: sa.Connection, account_id: int, listing: Listing
) -> list[int]:
    """Capsule keeps GET /milestones for the oldest active pipeline only."""
    pipeline_id = store.oldest_active_pipeline(conn, account_id)
    if pipeline_id is None:
        return []
    return store.milestone_page_ids(conn, account_id, pipeline_id, listing.offset, listing.limit)


def _lost_reason_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.lost_reason_page_ids(conn, account_id, listing.offset, listing.limit, listing.name)


PIPELINES = Resource(
    singular="pipeline",
    plural="pipelines",
    embeds=frozenset(),
    render=wire.render_pipelines,
    page_ids=_pipeline_ids,
    wire_schema=schemas.CONTAINER,
    input_model=domain.PipelineInput,
    create=domain.create_pipeline,
    update=domain.update_pipeline,
    delete=domain.archive_pipeline,
    delete_archives=True,
    list_flags=("includeDeleted",),
    list_by_name=True,
    since=False,
    deleted_feed=False,
)

MILESTONES = Resource(
    singular="milestone",
    plural="milestones",
    embeds=frozenset(),
    render=wire.render_milestones,
    page_ids=_oldest_pipeline_milestone_ids,
    wire_schema=MILESTONE_SCHEMA,
    input_model=domain.MilestoneInput,
    create=domain.create_milestone,
    update=domain.update_milestone,
    delete=domain.delete_milestone,
    many_ids=False,
    since=False,
    deleted_feed=False,
)

LOST_REASONS = Resource(
    singular="lostReason",
    plural="lostReasons",
    route="/lostreasons",
    name="lost_reasons",
    embeds=frozenset(),
    render=wire.render_lost_reasons,
    page_ids=_lost_reason_ids,
    wire_schema=LOST_REASON_SCHEMA,
    input_model=domain.LostReasonInput,
    create=domain.create_lost_reason,
    update=domain.update_lost_reason,
    delete=domain.delete_lost_reason,
    many_ids=False,
    list_by_name=True,
    since=False,
    deleted_feed=False,
)


def _pipeline_milestone_ids(
    conn: sa.Connection, account_id: int, pipeline_id: int, offset: int, limit: int
) -> list[int]:
    return store.milestone_page_ids(conn, account_id, pipeline_id, offset, limit)


def _all_milestone_ids(conn: sa.Connection, account_id: int, offset: int, limit: int) -> list[int]:
    return store.milestone_page_ids(conn, account_id, None, offset, limit)


PIPELINE_MILESTONES = SubList(
    path="/pipelines/{id}/milestones",
    summary="List the milestones of a pipeline",
    resource=MILESTONES,
    parent_exists=store.PIPELINES.exists,
    page_ids=_pipeline_milestone_ids,
)

ENDPOINTS = [
    *resource_endpoints(PIPELINES),
    sub_list_endpoint(PIPELINE_MILESTONES, "list_pipeline_milestones"),
    action_endpoint(
        "/pipelines/{id}/restore",
        "Restore an archived pipeline",
        "restore_pipeline",
        PIPELINES,
        domain.restore_pipeline,
        200,
    ),
    action_endpoint(
        "/pipelines/{id}/duplicate",
        "Copy a pipeline with its milestones",
        "duplicate_pipeline",
        PIPELINES,
        domain.duplicate_pipeline,
        201,
    ),
    paged_list_endpoint(
        "/milestones/all",
        "List the milestones of every pipeline",
        "list_all_milestones",
        MILESTONES,
        _all_milestone_ids,
    ),
    *resource_endpoints(MILESTONES),
    *resource_endpoints(LOST_REASONS),
]
