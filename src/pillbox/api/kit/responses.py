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
    # Every response carries a Content-Type, even an empty one: some clients insist.
    return Response(status_code=204, media_type=JSONResponse.media_type)


def accepted(job_url: str) -> Response:
    """202: the work continues in a job; clients follow `Location` to watch it."""
    return Response(
        status_code=202, media_type=JSONResponse.media_type, headers={"Location": job_url}
    )
