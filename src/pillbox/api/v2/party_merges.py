"""Pillbox extensions for duplicate parties: `GET /parties/duplicates` lists likely duplicate
pairs, `POST /parties/{id}/merge` merges parties into one (domain/merges.py has the rules)."""

from typing import Any

import orjson
import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit import Endpoint, params
from pillbox.api.kit.body import parse
from pillbox.api.kit.paging import page_response
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.kit.responses import json_response
from pillbox.api.v2 import schemas
from pillbox.api.v2.parties import PARTIES, PARTY_SCHEMA
from pillbox.domain import merges
from pillbox.errors import InvalidBody
from pillbox.store import duplicates

_PARTY_ID = {"type": "object", "properties": {"id": schemas.INTEGER}, "required": ["id"]}
DUPLICATE_SCHEMA = {
    "type": "object",
    "properties": {
        "parties": {"type": "array", "items": _PARTY_ID, "minItems": 2, "maxItems": 2},
        "reason": {"enum": list(duplicates.REASONS)},
    },
    "required": ["parties", "reason"],
}


async def list_duplicates(request: Request) -> Response:
    paging = params.paging(request.query_params, "party", PARTIES.max_per_page)
    account_id = principal_of(request).account_id

    def run(conn: sa.Connection) -> list[Any]:
        # One pair more than the page holds tells whether another page follows.
        return duplicates.pair_page(conn, account_id, paging.offset, paging.per_page + 1)

    pairs = await database(request).read(run)
    items = [
        {"parties": [{"id": a}, {"id": b}], "reason": reason}
        for a, b, reason in pairs[: paging.per_page]
    ]
    return page_response(request, "duplicates", items, paging, len(pairs) > paging.per_page)


async def merge(request: Request) -> Response:
    target_id = params.record_id(request.path_params["id"])
    data = _merge_input(await request.body())
    who = principal_of(request)
    embeds = params.embeds(request.query_params, PARTIES.embeds)

    def run(conn: sa.Connection) -> dict[str, Any]:
        merged_id = merges.merge_parties(conn, who, target_id, data)
        return PARTIES.render(conn, who, [merged_id], embeds)[0]

    party = await database(request).write(run)
    return json_response({"party": party})


def _merge_input(raw: bytes) -> merges.MergeInput:
    """`{"parties": [{"id": N}, …]}`; anything else is a 400, a bad list a 422."""
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidBody() from None
    if not isinstance(document, dict) or not isinstance(document.get("parties"), list):
        raise InvalidBody()
    return parse(merges.MergeInput, {"parties": document["parties"]}, "party")


ENDPOINTS = [
    Endpoint(
        "GET",
        "/parties/duplicates",
        list_duplicates,
        "List pairs of parties that are likely duplicates (a Pillbox extension)",
        "list_party_duplicates",
        query=("page", "perPage"),
        responses={200: ("duplicates", [DUPLICATE_SCHEMA])},
    ),
    Endpoint(
        "POST",
        "/parties/{id}/merge",
        merge,
        "Merge parties into this one (a Pillbox extension)",
        "merge_parties",
        query=("embed",),
        path_param="id",
        responses={200: ("party", PARTY_SCHEMA)},
    ),
]
