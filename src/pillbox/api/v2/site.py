"""/api/v2/site: the account the token belongs to."""

from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit import Endpoint
from pillbox.api.kit.paging import base_url
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.kit.responses import json_response
from pillbox.api.v2.schemas import STRING, obj
from pillbox.domain.site import subdomain
from pillbox.store import accounts as store

SITE_SCHEMA = obj({"url": STRING, "subdomain": STRING, "name": STRING})


async def show_site(request: Request) -> Response:
    name = await database(request).read(store.account_name, principal_of(request).account_id)
    site = {"url": base_url(request), "subdomain": subdomain(name), "name": name}
    return json_response({"site": site})


ENDPOINTS = [
    Endpoint(
        "GET",
        "/site",
        show_site,
        "Show the account the token belongs to",
        "show_site",
        responses={200: ("site", SITE_SCHEMA)},
    )
]
