"""API v2: every resource's endpoints. The busiest come first within their path segment."""

from pillbox.api.kit import Endpoint
from pillbox.api.v2 import (
    activity_types,
    attachments,
    boards,
    changes,
    entries,
    field_definitions,
    jobs,
    kases,
    opportunities,
    parties,
    pipelines,
    reference,
    rest_hooks,
    site,
    tags,
    task_categories,
    tasks,
    teams,
    titles,
    track_definitions,
    tracks,
    users,
)


def endpoints() -> list[Endpoint]:
    return [
        *parties.ENDPOINTS,
        *opportunities.ENDPOINTS,
        *kases.ENDPOINTS,
        *entries.ENDPOINTS,
        *tasks.ENDPOINTS,
        *tracks.ENDPOINTS,
        *attachments.ENDPOINTS,
        *tags.ENDPOINTS,
        *field_definitions.ENDPOINTS,
        *users.ENDPOINTS,
        *teams.ENDPOINTS,
        *titles.ENDPOINTS,
        *pipelines.ENDPOINTS,
        *boards.ENDPOINTS,
        *activity_types.ENDPOINTS,
        *task_categories.ENDPOINTS,
        *track_definitions.ENDPOINTS,
        *rest_hooks.ENDPOINTS,
        *jobs.ENDPOINTS,
        *site.ENDPOINTS,
        *reference.ENDPOINTS,
        *changes.ENDPOINTS,
    ]
