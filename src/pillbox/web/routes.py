"""The web interface's routes, gathered from one module per screen, its static files, and the
404 page for any other address outside the APIs."""

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from pillbox.web import (
    entries,
    home,
    login,
    opportunities,
    opportunity,
    opportunity_form,
    parties,
    party,
    party_form,
    pipeline_board,
    project,
    project_board,
    project_form,
    projects,
    record_extras,
    search,
    settings,
    settings_boards,
    settings_fields,
    settings_hooks,
    settings_lists,
    settings_people,
    settings_pipelines,
    tasks,
    tokens,
)
from pillbox.web.entries import NOTE_PATH
from pillbox.web.kit import current_viewer, error_page

STATIC = Path(__file__).parent / "static"
# Addresses the APIs answer for, with their own (JSON) 404s.
API_PREFIXES = ("/api/", "/oauth/", "/_pillbox/", "/.well-known/")
API_ROOTS = ("/api", "/oauth", "/_pillbox")
EVERY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

__all__ = ["NOTE_PATH", "web_routes"]


async def _unknown(request: Request) -> Response:
    """The 404 page, signed in or not (an address no one serves is no page to sign in for)."""
    return error_page(request, await current_viewer(request), 404)


class _OutsideTheApis(Route):
    """Matches any address but the APIs', whose routes answer their own 404s and 405s."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path.startswith(API_PREFIXES) or path in API_ROOTS):
            return Match.NONE, {}
        return super().matches(scope)


def web_routes() -> list[BaseRoute]:
    """Every screen's routes (the fixed paths before those with ids), then the catch-all."""
    return [
        *login.ROUTES,
        *home.ROUTES,
        *party_form.ROUTES,
        *parties.ROUTES,
        *party.ROUTES,
        *opportunity_form.ROUTES,
        *opportunity.ROUTES,
        *project_form.ROUTES,
        *project.ROUTES,
        *search.ROUTES,
        *record_extras.ROUTES,
        *entries.ROUTES,
        *tasks.ROUTES,
        *tokens.ROUTES,
        *settings.ROUTES,
        *settings_people.ROUTES,
        *settings_fields.ROUTES,
        *settings_pipelines.ROUTES,
        *settings_boards.ROUTES,
        *settings_lists.ROUTES,
        *settings_hooks.ROUTES,
        *opportunities.ROUTES,
        *pipeline_board.ROUTES,
        *projects.ROUTES,
        *project_board.ROUTES,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def fallback_routes() -> list[BaseRoute]:
    """After every other route: the 404 page for addresses no one serves."""
    # Every method: a PUT to an address no route serves is a 404 there, not a 405 from here.
    return [_OutsideTheApis("/{path:path}", _unknown, methods=list(EVERY_METHOD))]
