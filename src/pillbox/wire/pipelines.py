"""Pipelines, their milestones, and the reasons opportunities are lost."""

from typing import Any

from pillbox.store import pipelines as store
from pillbox.wire.render import rows_render
from pillbox.wire.stage_containers import container_to_wire

pipeline_to_wire = container_to_wire


def milestone_to_wire(row: Any) -> dict[str, Any]:
    """A milestone in the key order of Capsule's examples, with its pipeline after them."""
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "complete": bool(row.complete),
        "probability": row.probability,
        "daysUntilStale": row.days_until_stale,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
        "pipeline": {"id": row.pipeline_id, "name": row.pipeline_name},
    }


def lost_reason_to_wire(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "includedForConversion": bool(row.included_for_conversion),
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }


render_pipelines = rows_render(store.load_pipelines, pipeline_to_wire)
render_milestones = rows_render(store.load_milestones, milestone_to_wire)
render_lost_reasons = rows_render(store.load_lost_reasons, lost_reason_to_wire)
