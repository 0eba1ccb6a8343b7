"""The one router of both APIs: a group of routes tried only for the paths of its own part.

A request is matched against its own group's few patterns, not against every route, so routing
costs the same however many resources there are. A path of the group that no route serves is
answered 404, or 405 with `Allow`, in the manner of the API it belongs to (api/errors.py). Ids in
paths match (signed) integers only, so a literal path (`/parties/search`) never competes with
`/parties/{ids}`; the kit and the v1 handlers parse and bound them.
"""

from collections.abc import Callable
from typing import Any

from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match, NoMatchFound, Route
from starlette.types import Receive, Scope, Send


class _Digits(Convertor[str]):
    regex = "-?[0-9]+"  # built-in activity types have negative ids

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class _IdList(_Digits):
    regex = "-?[0-9]+(?:,-?[0-9]+)*"


register_url_convertor("pillbox_id", _Digits())
register_url_convertor("pillbox_ids", _IdList())


def under(prefix: str) -> Callable[[str], bool]:
    """The paths at `prefix` and below it: `/api/v2/parties`, `/api/v2/parties/12`."""

    def owns(path: str) -> bool:
        return path == prefix or path.startswith(prefix + "/")

    return owns


class PathGroup(BaseRoute):
    """The routes of the paths `owns` accepts; every such path is answered by this group."""

    def __init__(self, owns: Callable[[str], bool], routes: list[Route]) -> None:
        self.owns = owns
        self.routes = routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or not self.owns(scope.get("path", "")):
            return Match.NONE, {}
        allowed: set[str] = set()
        for route in self.routes:
            match, child = route.matches(scope)
            if match == Match.FULL:
                return Match.FULL, {**child, "pillbox_route": route}
            if match == Match.PARTIAL:  # right path, other method: a 405 unless a FULL follows
                allowed |= route.methods or set()
        return Match.FULL, {"pillbox_route": None, "pillbox_allow": ", ".join(sorted(allowed))}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = scope["pillbox_route"]
        if route is not None:
            await route.handle(scope, receive, send)
        elif scope["pillbox_allow"]:
            raise HTTPException(405, headers={"Allow": scope["pillbox_allow"]})
        else:
            raise HTTPException(404)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)
