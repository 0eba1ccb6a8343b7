"""API v2: every resource's endpoints, in routing order.

Literal paths under a record type (`/parties/tags`) come before that type's `/parties/{ids}`,
and `/users/current` before `/users/{id}`.
"""

from pillbox.api.kit import Endpoint
from pillbox.api.v2 import (
    field_definitions,
    jobs,
    parties,
    reference,
    site,
    tags,
    teams,
    titles,
    users,
)


def endpoints() -> list[Endpoint]:
    return [
        *jobs.ENDPOINTS,
        *tags.ENDPOINTS,
        *field_definitions.ENDPOINTS,
        *parties.ENDPOINTS,
        *users.ENDPOINTS,
        *teams.ENDPOINTS,
        *titles.ENDPOINTS,
        *site.ENDPOINTS,
        *reference.ENDPOINTS,
    ]
