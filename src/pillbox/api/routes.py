"""Starlette routes for every API v2 endpoint, the API's documentation (api/docs), then API v1's
(api/v1/routes.py).

Routes are grouped by the first path segment after /api/v2 (`parties`, `users`, …): a request is
matched against its own group's few patterns, not against every route of the API, so routing
costs the same however many resources there are. Id segments match (signed) integers only, so a
literal path (`/parties/search`, `/users/current`) never competes with `/parties/{ids}`.
"""

import re
from itertools import groupby
from typing import Any

from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match, NoMatchFound, Route
from starlette.types import Receive, Scope, Send

from pillbox.api import v2
from pillbox.api.docs import docs_routes
from pillbox.api.v1.routes import v1_routes

PREFIX = "/api/v2"


class _Digits(Convertor[str]):
    regex = "-?[0-9]+"  # built-in activity types have negative ids

    def convert(self, value: str) -> str:
        return value  # the kit parses and bounds ids itself

    def to_string(self, value: str) -> str:
        return value


class _IdList(_Digits):
    regex = "-?[0-9]+(?:,-?[0-9]+)*"


register_url_convertor("pillbox_id", _Digits())
register_url_convertor("pillbox_ids", _IdList())


class SegmentGroup(BaseRoute):
    """The routes under one path segment, tried only for requests under that segment."""

    def __init__(self, prefix: str, routes: list[Route]) -> None:
        self.prefix = prefix
        self.routes = routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path != self.prefix and not path.startswith(self.prefix + "/"):
            return Match.NONE, {}
        allowed: set[str] = set()
        for route in self.routes:
            match, child = route.matches(scope)
            if match == Match.FULL:
                return Match.FULL, {**child, "pillbox_route": route}
            if match == Match.PARTIAL:  # right path, other method: a 405 unless a FULL follows
                allowed |= route.methods or set()
        if allowed:
            return Match.PARTIAL, {"pillbox_allow": ", ".join(sorted(allowed))}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "pillbox_route" not in scope:
            raise HTTPException(405, headers={"Allow": scope["pillbox_allow"]})
        await scope["pillbox_route"].handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)


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

    routes: list[BaseRoute] = [*docs_routes()]  # the OpenAPI document and /api/docs
    by_segment = sorted(endpoints, key=lambda e: _segment(e.path))  # stable: keeps route order
    for segment, group in groupby(by_segment, key=lambda e: _segment(e.path)):
        group_routes = [
            Route(_route_path(e.path), e.handler, methods=[e.method], name=e.operation_id)
            for e in group
        ]
        routes.append(SegmentGroup(f"{PREFIX}/{segment}", group_routes))
    return [*routes, *v1_routes()]  # v1 takes the rest of /api/
