"""Starlette routes for every API v2 endpoint, the API's documentation (api/docs), then API v1's
(api/v1/routes.py).

Routes are grouped by the first path segment after /api/v2 (`parties`, `users`, …), one
api/routing.PathGroup each, found by that segment (api/routing.SegmentGroups).
"""

import re
from itertools import groupby

from starlette.routing import BaseRoute, Route

from pillbox.api import v2
from pillbox.api.docs import docs_routes
from pillbox.api.paths import V2_PREFIX as PREFIX
from pillbox.api.routing import PathGroup, SegmentGroups, under
from pillbox.api.v1.routes import v1_routes


def _typed(match: re.Match[str]) -> str:
    name = match.group(1)
    if name == "ids":
        return "{ids:pillbox_ids}"
    if name == "id" or (name.endswith("Id") and name != "jobId"):
        return "{" + name + ":pillbox_id}"
    return match.group(0)


def _route_path(path: str) -> str:
    """The route pattern of an endpoint path: record ids match digits only (jobs have UUIDs)."""
    return PREFIX + re.sub(r"\{(\w+)\}", _typed, path)


def _segment(path: str) -> str:
    return path.strip("/").split("/", 1)[0]


def api_routes() -> list[BaseRoute]:
    endpoints = v2.endpoints()

    groups: dict[str, PathGroup] = {}
    by_segment = sorted(endpoints, key=lambda e: _segment(e.path))  # stable: keeps route order
    for segment, group in groupby(by_segment, key=lambda e: _segment(e.path)):
        group_routes = [
            Route(_route_path(e.path), e.handler, methods=[e.method], name=e.operation_id)
            for e in group
        ]
        groups[segment] = PathGroup(under(f"{PREFIX}/{segment}"), group_routes)
    return [
        SegmentGroups(PREFIX, groups),
        *docs_routes(),  # the OpenAPI document and /api/docs
        *v1_routes(),  # v1 takes the rest of /api/
    ]
