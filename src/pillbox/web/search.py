"""/search: parties, opportunities and projects found together by the API's ranked search, grouped
by kind; /search/live gives the first few of each for the list under the header's search box."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.store import kases, opportunities, parties, search
from pillbox.web.kit import Viewer, database, render, screen
from pillbox.web.record_page import in_order

PAGE_PER_KIND = 20
LIVE_PER_KIND = 5
MAX_QUERY = 200


@dataclass(frozen=True)
class Found:
    """The best matches of each kind, and whether each has more than shown."""

    parties: list[Any]
    opportunities: list[Any]
    kases: list[Any]
    more: dict[str, bool]

    @property
    def count(self) -> int:
        return len(self.parties) + len(self.opportunities) + len(self.kases)


def _terms(request: Request) -> tuple[str, list[str]]:
    q = (request.query_params.get("q") or "").replace("\x00", "")[:MAX_QUERY].strip()
    return q, q.split()


def find(conn: sa.Connection, account_id: int, terms: list[str], limit: int) -> Found:
    """Up to `limit` of each kind, best first: one search and one load per kind."""
    kinds = {
        "parties": (search.PARTIES, parties.load),
        "opportunities": (search.OPPORTUNITIES, opportunities.load),
        "kases": (search.KASES, kases.load),
    }
    rows: dict[str, list[Any]] = {}
    more: dict[str, bool] = {}
    for name, (index, load) in kinds.items():
        ids = search.search_ids(conn, account_id, terms, 0, limit + 1, index) if terms else []
        more[name], ids = len(ids) > limit, ids[:limit]
        rows[name] = in_order(load(conn, account_id, ids), ids) if ids else []
    return Found(rows["parties"], rows["opportunities"], rows["kases"], more)


async def show(request: Request, viewer: Viewer) -> Response:
    q, terms = _terms(request)
    found = await database(request).read(find, viewer.account_id, terms, PAGE_PER_KIND)
    return render(request, "search.html", viewer, q=q, found=found)


async def live(request: Request, viewer: Viewer) -> Response:
    q, terms = _terms(request)
    found = await database(request).read(find, viewer.account_id, terms, LIVE_PER_KIND)
    return render(request, "search_live.html", viewer, q=q, found=found)


ROUTES = [
    Route("/search", screen(show), methods=["GET"]),
    Route("/search/live", screen(live), methods=["GET"]),
]
