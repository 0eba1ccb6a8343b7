"""The routes of the sandbox admin API under /_pillbox/, and the middleware a sandbox adds.

Each module in `MODULES` lists its endpoints in `routes()`: (method, path under /_pillbox,
handler). Without --sandbox none of this is mounted, and /_pillbox/ paths are 404 like any path
no route serves.
"""

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from pillbox.api.sandbox import (
    accounts,
    clock,
    credentials,
    faults,
    ids,
    jobs,
    journal,
    snapshots,
    strict,
)
from pillbox.api.sandbox.http import endpoint

PREFIX = "/_pillbox"
MODULES = (accounts, credentials, snapshots, clock, ids, strict, journal, faults, jobs)


def sandbox_routes() -> list[BaseRoute]:
    return [
        Route(PREFIX + path, endpoint(handler), methods=[method])
        for module in MODULES
        for method, path, handler in module.routes()
    ]


def sandbox_middleware() -> list[Middleware]:
    """Middleware of a sandbox server, outermost first (after the app's own path handling)."""
    return [
        Middleware(journal.RequestJournal),
        Middleware(faults.FaultInjection),
        Middleware(strict.StrictMode),
    ]


def sandbox_inner_middleware() -> list[Middleware]:
    """Middleware of a sandbox server that runs once the gates know the request's account."""
    return [Middleware(ids.SeededIds)]
