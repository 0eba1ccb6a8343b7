"""The routes of API v1: every path under /api/ outside /api/v2.

One group of routes (api/routing.PathGroup) takes the whole v1 space, so a v1 path no endpoint
serves is answered in v1's manner (404, or 405 with `Allow`) rather than v2's. Ids in paths match
digits only; an id out of range is simply not found.
"""

import re

from starlette.routing import BaseRoute, Route

from pillbox.api.paths import is_v1_path
from pillbox.api.routing import PathGroup
from pillbox.api.v1 import (
    additional_parties,
    config,
    custom_fields,
    history,
    kases,
    opportunities,
    parties,
    tags,
    tasks,
    users,
)

PREFIX = "/api"
# Each module's routes() lists its (method, path under /api, handler) triples.
RESOURCES = (
    parties,
    tasks,
    users,
    config,
    opportunities,
    kases,
    additional_parties,
    history,
    tags,
    custom_fields,
)


def _typed(path: str) -> str:
    return re.sub(r"\{(\w+)\}", r"{\1:pillbox_id}", path)


def v1_routes() -> list[BaseRoute]:
    routes = [
        Route(PREFIX + _typed(path), handler, methods=[method])
        for module in RESOURCES
        for method, path, handler in module.routes()
    ]
    return [PathGroup(is_v1_path, routes)]
