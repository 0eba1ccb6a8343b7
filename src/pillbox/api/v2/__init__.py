"""API v2: every resource's endpoints. The busiest come first within their path segment."""

from pillbox.api.kit import Endpoint
from pillbox.api.v2 import (
    activity_types,
    attachments,
    boards,
    entries,
    field_definitions,
    jobs,
    kases,
    opportunities,
    parties,
    pipelines,
    reference,
    site,
    tags,
    task_categories,
    teams,
    titles,
    users,
)


def endpoints() -> list[Endpoint]:
    return [
        *parties.ENDPOINTS,
        *opportunities.ENDPOINTS,
        *kases.ENDPOINTS,
        *entries.ENDPOINTS,
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
        *jobs.ENDPOINTS,
        *site.ENDPOINTS,
        *reference.ENDPOINTS,
    ]
