"""Starlette routes for every API v2 endpoint, plus the OpenAPI document they generate."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pillbox import __version__
from pillbox.api import v2
from pillbox.api.kit.openapi import openapi_document
from pillbox.api.kit.responses import JSONResponse

PREFIX = "/api/v2"


def api_routes() -> list[BaseRoute]:
    endpoints = v2.endpoints()
    document = openapi_document(endpoints, PREFIX, __version__)

    async def openapi(_request: Request) -> Response:
        return JSONResponse(document)

    routes: list[BaseRoute] = [Route(f"{PREFIX}/openapi.json", openapi, methods=["GET"])]
    routes += [
        Route(PREFIX + e.path, e.handler, methods=[e.method], name=e.operation_id)
        for e in endpoints
    ]
    return routes
