"""/api/v2/activities/filters/results and /opportunities/value: filters answered by something
other than the filtered record type's own list.

Activities are entries (notes, emails, completed tasks), answered under `activities`.
"""

from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit import Endpoint, Resource, filter_endpoint
from pillbox.api.kit.body import read_envelope
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.kit.responses import json_response
from pillbox.api.v2 import entries
from pillbox.api.v2.entries import ENTRY_SCHEMA
from pillbox.domain import filters
from pillbox.wire import renderers

ACTIVITIES = Resource(
    singular="activity",
    plural="activities",
    route="/activities",
    embeds=entries.ENTRIES.embeds,
    render=renderers.ENTRY,
    page_ids=None,  # there is no list of activities, only their filter
    wire_schema=ENTRY_SCHEMA,
    filter_ids=filters.for_entity("activities"),
    filter_model=filters.FilterInput,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

NUMBER = {"type": "number"}
OPPORTUNITY_VALUE = {
    "type": "object",
    "properties": {
        "totalValue": NUMBER,
        "projectedValue": NUMBER,
        "meta": {
            "type": "object",
            "properties": {"currency": {"type": "string"}},
            "required": ["currency"],
        },
    },
    "required": ["totalValue", "projectedValue", "meta"],
}


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


async def opportunity_value(request: Request) -> Response:
    data = await read_envelope(request, "filter", filters.FilterInput, "filter")
    who = principal_of(request)
    total, projected, currency = await database(request).read(filters.opportunity_value, who, data)
    body = {
        "totalValue": _number(total),
        "projectedValue": _number(projected),
        "meta": {"currency": currency},
    }
    return json_response(body)


ENDPOINTS = [
    filter_endpoint(ACTIVITIES),
    Endpoint(
        "POST",
        "/opportunities/value",
        opportunity_value,
        "Total and projected value of the opportunities a filter selects",
        "opportunity_value",
        request_root="filter",
        request_model=filters.FilterInput,
        responses={200: OPPORTUNITY_VALUE},
    ),
]
