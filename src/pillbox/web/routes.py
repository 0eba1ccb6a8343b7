"""The web interface's routes, gathered from one module per screen, its static files, and the
404 page for any other address outside the APIs."""

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from pillbox.errors import NotFound
from pillbox.web import (
    entries,
    home,
    login,
    parties,
    party,
    party_form,
    record_extras,
    tasks,
    tokens,
)
from pillbox.web.entries import NOTE_PATH
from pillbox.web.kit import Viewer, screen

STATIC = Path(__file__).parent / "static"
# Addresses the APIs answer for, with their own (JSON) 404s.
API_PREFIXES = ("/api/", "/oauth/", "/_pillbox/")

__all__ = ["NOTE_PATH", "web_routes"]


async def _nothing_here(request: Request, viewer: Viewer) -> Response:
    raise NotFound()


_not_found_page = screen(_nothing_here)


async def _unknown(request: Request) -> Response:
    path = request.url.path
    if path.startswith(API_PREFIXES) or path in ("/api", "/oauth", "/_pillbox"):
        raise HTTPException(404)
    return await _not_found_page(request)


def web_routes() -> list[BaseRoute]:
    """Every screen's routes (the fixed paths before those with ids), then the catch-all."""
    return [
        *login.ROUTES,
        *home.ROUTES,
        *party_form.ROUTES,
        *parties.ROUTES,
        *party.ROUTES,
        *record_extras.ROUTES,
        *entries.ROUTES,
        *tasks.ROUTES,
        *tokens.ROUTES,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def fallback_routes() -> list[BaseRoute]:
    """After every other route: the 404 page for addresses no one serves."""
    return [Route("/{path:path}", _unknown, methods=["GET"])]
