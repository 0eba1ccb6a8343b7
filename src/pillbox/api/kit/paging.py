"""List envelopes with paging headers: Link (rel next/prev, RFC 5988) and X-Pagination-Has-More."""

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from pillbox.api.kit.params import Paging
from pillbox.api.kit.responses import JSONResponse, json_response


def base_url(request: Request) -> str:
    configured = request.app.state.settings.base_url
    if configured:
        return str(configured).rstrip("/")
    return f"{request.url.scheme}://{request.url.netloc}"


def _page_url(request: Request, page: int) -> str:
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    query.append(("page", str(page)))
    return f"{base_url(request)}{request.url.path}?{urlencode(query)}"


def page_response(
    request: Request,
    key: str,
    items: list[Any],
    paging: Paging,
    has_more: bool,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    links = []
    if has_more:
        links.append(f'<{_page_url(request, paging.page + 1)}>; rel="next"')
    if paging.page > 1:
        links.append(f'<{_page_url(request, paging.page - 1)}>; rel="prev"')
    headers = {"X-Pagination-Has-More": "true" if has_more else "false"}
    if links:
        headers["Link"] = ", ".join(links)
    body: dict[str, Any] = {key: items}
    if extra:
        body.update(extra)
    return json_response(body, headers=headers)
