"""The routes of API v1: every path under /api/ outside /api/v2.

One route object takes the whole v1 space, so a v1 path no endpoint serves is answered in v1's
manner (404, or 405 with `Allow`) rather than v2's. Ids in paths match digits only (the
`pillbox_id` convertor api/routes.py registers); an id out of range is simply not found.
"""

import re
from typing import Any

from starlette.routing import BaseRoute, Match, NoMatchFound, Route
from starlette.types import Receive, Scope, Send

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
from pillbox.api.v1.gate import is_v1_path
from pillbox.api.v1.http import endpoint, error_response, wants_json
from pillbox.errors import ApiError, MethodNotAllowed, NotFound

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


class V1Api(BaseRoute):
    def __init__(self, routes: list[Route]) -> None:
        self.routes = routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and is_v1_path(scope.get("path", "")):
            return Match.FULL, {}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        allowed: set[str] = set()
        for route in self.routes:
            match, child = route.matches(scope)
            if match == Match.FULL:
                scope["pillbox_route"] = route  # for the request log (api/operations.py)
                await route.handle({**scope, **child}, receive, send)
                return
            if match == Match.PARTIAL:
                allowed |= route.methods or set()
        error: ApiError = MethodNotAllowed() if allowed else NotFound()
        headers = {"Allow": ", ".join(sorted(allowed))} if allowed else {}
        await error_response(wants_json(scope["headers"]), error, headers)(scope, receive, send)


def v1_routes() -> list[BaseRoute]:
    routes = [
        Route(PREFIX + _typed(path), endpoint(handler), methods=[method])
        for module in RESOURCES
        for method, path, handler in module.routes()
    ]
    return [V1Api(routes)]
