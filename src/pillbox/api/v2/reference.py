"""/api/v2/countries and /api/v2/currencies: the same static lists for every account."""

import orjson
from starlette.requests import Request
from starlette.responses import Response

from pillbox import reference
from pillbox.api.kit import Endpoint
from pillbox.api.kit.responses import JSONResponse
from pillbox.api.v2.schemas import INTEGER, STRING, obj

COUNTRY_SCHEMA = obj(
    {"alpha2Code": STRING, "alpha3Code": STRING, "numericCode": INTEGER, "name": STRING}
)
CURRENCY_SCHEMA = obj(
    {"code": STRING, "symbol": STRING, "name": STRING, "pluralName": STRING}, required=["code"]
)


def _static(key: str, items: list[dict[str, object]]) -> "Endpoint":
    body = orjson.dumps({key: items})  # serialised once: the lists never change

    async def handle(_request: Request) -> Response:
        return Response(body, media_type=JSONResponse.media_type)

    return Endpoint(
        "GET",
        f"/{key}",
        handle,
        f"List all {key}",
        f"list_{key}",
        responses={200: (key, [COUNTRY_SCHEMA if key == "countries" else CURRENCY_SCHEMA])},
    )


ENDPOINTS = [
    _static("countries", reference.countries()),
    _static("currencies", reference.currencies()),
]
