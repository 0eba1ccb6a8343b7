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
    """The routes of the paths `owns` accepts; every such path is answered by this group.

    A path is tried only against the routes of as many segments as it has (a `{name:path}`
    parameter matches any number, so its routes are tried for every path)."""

    def __init__(self, owns: Callable[[str], bool], routes: list[Route]) -> None:
        self.owns = owns
        self.routes = routes
        self._by_depth: dict[int, list[Route]] = {}
        any_depth = [route for route in routes if ":path}" in route.path]
        for route in routes:
            if route not in any_depth:
                self._by_depth.setdefault(route.path.count("/"), []).append(route)
        for same_depth in self._by_depth.values():  # in the group's order, as before
            same_depth.extend(any_depth)
            same_depth.sort(key=routes.index)
        self._any_depth = any_depth

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or not self.owns(scope.get("path", "")):
            return Match.NONE, {}
        return self.match_owned(scope)

    def match_owned(self, scope: Scope) -> tuple[Match, Scope]:
        """The route of a path this group owns; a 404 or 405 when none serves it."""
        candidates = self._by_depth.get(scope["path"].count("/"), self._any_depth)
        allowed: set[str] = set()
        for route in candidates:
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


class SegmentGroups(BaseRoute):
    """Path groups by the first segment after `prefix` (`/api/v2/parties/12` -> `parties`): one
    dictionary lookup finds a request's group, however many groups there are."""

    def __init__(self, prefix: str, groups: dict[str, PathGroup]) -> None:
        self.prefix = prefix + "/"
        self.groups = groups
        self.routes: list[BaseRoute] = list(groups.values())  # for what walks the route tree

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(self.prefix):
            return Match.NONE, {}
        group = self.groups.get(path[len(self.prefix) :].split("/", 1)[0])
        if group is None:
            return Match.NONE, {}
        match, child = group.match_owned(scope)
        return match, {**child, "pillbox_group": group}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope["pillbox_group"].handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        for group in self.groups.values():
            try:
                return group.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)
