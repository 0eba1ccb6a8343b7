"""The one JSON serialisation path: orjson, straight to bytes."""

from typing import Any

import orjson
from starlette.responses import Response


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(content, status_code=status_code, headers=headers)


def no_content() -> Response:
    # An empty answer has no Content-Type: clients decide from that header whether to parse a
    # body, and `application/json` over no bytes makes them fail on every successful delete.
    return Response(status_code=204)


def accepted(job_url: str) -> Response:
    """202 with no body (so no Content-Type): the work continues in a job; clients follow
    `Location` to watch it."""
    return Response(status_code=202, headers={"Location": job_url})
