"""API v1 account configuration lists: countries, currencies, milestones, task categories, tracks.

Clients of different eras asked for the same lists at different paths, so every path the
reference names answers (§13, §16):

- Countries — `/api/countries`, `/api/resource/country`, `/api/config/country`: the names an
  address `country` takes (v2's `/countries` names), the same for every account.
- Currencies — `/api/currencies`, `/api/resource/currency`, `/api/config/currency`: ISO 4217
  codes (v2's `/currencies`).
- Milestones — `/api/opportunity/milestones`, `/api/config/milestones`: `id`, `name`,
  `description`, `probability`, `complete`. v1 knew one set of milestones; an account here may
  have several pipelines, so the list holds the milestones of all of them (v2's
  `/milestones/all`), pipeline by pipeline, each in its order.
- Task categories — `/api/task/categories`: the category names a task's `category` takes.
- Tracks — `/api/tracks`: the account's track definitions (v2's `/trackdefinitions`) as `id`,
  `description`, `captureRule`, `direction`. Only opportunity and case tracks (`OPPORTUNITY`,
  `CASEFILE`) are listed: v1 applied tracks only when creating those. `direction=` filters by
  v2's values, `START_DATE` or `END_DATE` (any case); which values Capsule took is
  unconfirmed, and anything else is a 400.

Every list root carries `size`, the number of items in the answer. The account's lists take
`start`/`limit` like every v1 list (undocumented for these); the static lists are whole.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from pillbox import reference
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.v1 import params
from pillbox.api.v1.documents import Element, leaf, leaves, list_element
from pillbox.api.v1.http import Handler, Route, document_response
from pillbox.api.v1.records import NO_EMBEDS
from pillbox.store import pipelines as pipeline_store
from pillbox.store import task_categories as category_store
from pillbox.store import track_definitions as track_store
from pillbox.store.accounts import Principal
from pillbox.wire import pipelines, task_categories, track_definitions

V1_CAPTURE_RULES = ("OPPORTUNITY", "CASEFILE")
DIRECTIONS = ("START_DATE", "END_DATE")


def names_element(root: str, item: str, names: list[str]) -> Element:
    """A list of plain values: `<countries><country>Brazil</country>…</countries>`."""
    return list_element(root, [leaf(item, name) for name in names])


# -- the same for every account -----------------------------------------------------------------


@cache
def countries_element() -> Element:
    return names_element("countries", "country", [c["name"] for c in reference.countries()])


@cache
def currencies_element() -> Element:
    return names_element("currencies", "currency", [c["code"] for c in reference.currencies()])


def static_handler(document: Callable[[], Element]) -> Handler:
    async def handle(request: Request) -> Response:
        return document_response(request, document())

    return handle


# -- the account's own --------------------------------------------------------------------------


def milestone_element(wire: dict[str, Any]) -> Element:
    values = [
        ("id", wire["id"]),
        ("name", wire["name"]),
        ("description", wire["description"]),
        ("probability", wire["probability"]),
        ("complete", wire["complete"]),
    ]
    return Element("milestone", children=leaves(values))


def _milestones(conn: sa.Connection, who: Principal, window: params.Window) -> Element:
    ids = pipeline_store.milestone_page_ids(conn, who.account_id, None, window.start, window.limit)
    wires = pipelines.render_milestones(conn, who, ids, NO_EMBEDS)
    return list_element("milestones", [milestone_element(wire) for wire in wires])


def _task_categories(conn: sa.Connection, who: Principal, window: params.Window) -> Element:
    ids = category_store.page_ids(conn, who.account_id, window.listing())
    wires = task_categories.render(conn, who, ids, NO_EMBEDS)
    return names_element("taskCategories", "taskCategory", [wire["name"] for wire in wires])


AccountList = Callable[[sa.Connection, Principal, params.Window], Element]


def account_list_handler(build: AccountList) -> Handler:
    """A list of the account's: `build(conn, who, window)` makes its document."""

    async def handle(request: Request) -> Response:
        window = params.window(request.query_params)
        document = await database(request).read(build, principal_of(request), window)
        return document_response(request, document)

    return handle


# -- tracks -------------------------------------------------------------------------------------


def track_element(wire: dict[str, Any]) -> Element:
    values = [
        ("id", wire["id"]),
        ("description", wire["description"]),
        ("captureRule", wire["captureRule"]),
        ("direction", wire["direction"]),
    ]
    return Element("track", children=leaves(values))


def _direction(request: Request) -> str | None:
    raw = params.text(request.query_params, "direction")
    if raw is None:
        return None
    if raw.upper() not in DIRECTIONS:
        raise params.InvalidParameter(f"direction must be one of {', '.join(DIRECTIONS)}")
    return raw.upper()


def _tracks(conn: sa.Connection, who: Principal, direction: str | None) -> Element:
    """The account's opportunity and case track definitions (of one direction), in id order.

    Accounts hold few definitions, so they are read whole and filtered here; their task
    definitions, which v1 never showed, are not read at all."""
    ids = track_store.page_ids(conn, who.account_id, None, 0, params.MAX_LIMIT)
    rows = track_store.load(conn, who.account_id, ids)
    wires = [track_definitions.to_wire(rows[i], []) for i in ids if i in rows]
    kept = [
        wire
        for wire in wires
        if wire["captureRule"] in V1_CAPTURE_RULES and direction in (None, wire["direction"])
    ]
    return list_element("tracks", [track_element(wire) for wire in kept])


async def list_tracks(request: Request) -> Response:
    direction = _direction(request)
    document = await database(request).read(_tracks, principal_of(request), direction)
    return document_response(request, document)


def routes() -> list[Route]:
    """(method, path under /api, handler) of every list, under each of its paths."""
    countries, currencies = static_handler(countries_element), static_handler(currencies_element)
    milestones = account_list_handler(_milestones)
    return [
        ("GET", "/countries", countries),
        ("GET", "/resource/country", countries),
        ("GET", "/config/country", countries),
        ("GET", "/currencies", currencies),
        ("GET", "/resource/currency", currencies),
        ("GET", "/config/currency", currencies),
        ("GET", "/opportunity/milestones", milestones),
        ("GET", "/config/milestones", milestones),
        ("GET", "/task/categories", account_list_handler(_task_categories)),
        ("GET", "/tracks", list_tracks),
    ]
