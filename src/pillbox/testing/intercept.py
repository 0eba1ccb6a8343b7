"""Calls to Capsule's API made with requests or httpx, served by the test's Pillbox.

- requests is intercepted with `responses` and httpx (sync and async clients) with `respx`, the
  libraries integration suites already mock with, rather than by patching either client here.
- Only https://api.capsulecrm.com is served from Pillbox. Every other URL goes where it would
  have gone without interception: to the network (Pillbox's own loopback address included, which
  the `capsule` handle calls directly), or to the test's own mocks. A `responses` mock started
  before interception keeps its calls (they are handed to it), and so does any `respx` router
  active alongside, started before or after.
- A call is relayed as it came (method, path, query, headers with Authorization, body), and its
  answer comes back as Pillbox gave it (status, headers, body). Relaying goes through
  `direct_http`, which neither library patches, so it is never caught again.
- Relayed calls keep Capsule's Host and are marked https (`X-Forwarded-Proto`), so Location and
  Link headers name https://api.capsulecrm.com and following them stays intercepted.
- A connection Pillbox cuts short (the sandbox's `drop` fault) fails the call as a cut
  connection fails it over the network: with `requests`, a `ConnectionDropped` that is both a
  `requests.ConnectionError` and the `ChunkedEncodingError` requests raises for an answer cut
  short; with httpx, its `RemoteProtocolError`. An integration's own handling of either runs.
- `Accept-Encoding` is not relayed: Pillbox then answers uncompressed, and both libraries hand
  the body over as it is without having to decode it again.
"""

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any, cast
from urllib.parse import urlsplit

import httpx
import requests
import responses
import respx
from requests.adapters import HTTPAdapter
from urllib3 import HTTPHeaderDict

from pillbox.testing import direct_http

CAPSULE_HOST = "api.capsulecrm.com"
CAPSULE_URL = re.compile(r"https://api\.capsulecrm\.com(:443)?(?=[/?#]|$)", re.IGNORECASE)
ANY_URL = re.compile(r".")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
NOT_RELAYED = frozenset({"host", "x-forwarded-proto", "accept-encoding"})


@contextmanager
def intercept(pillbox_url: str) -> Iterator[None]:
    """While active, calls to api.capsulecrm.com are served by the Pillbox at `pillbox_url`."""
    with _requests_mock(pillbox_url), _httpx_router(pillbox_url):
        yield


def relay(
    pillbox_url: str,
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]],
    body: bytes | None,
) -> direct_http.Reply:
    """The answer of the Pillbox at `pillbox_url` to a call made to Capsule's `url`."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    relayed = [(name, value) for name, value in headers if name.lower() not in NOT_RELAYED]
    relayed += [("Host", CAPSULE_HOST), ("X-Forwarded-Proto", "https")]
    return direct_http.send(pillbox_url, method, target, relayed, body)


class ConnectionDropped(requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
    """A call through requests whose connection Pillbox cut short."""


def _requests_mock(pillbox_url: str) -> responses.RequestsMock:
    # Calls it does not serve go to whatever sent them before: the network or an outer mock.
    # (The cast: responses declares the adapter's signature a little differently from requests.)
    sent_before = cast(Any, HTTPAdapter.send)
    mock = responses.RequestsMock(
        assert_all_requests_are_fired=False, real_adapter_send=sent_before
    )
    serve = partial(_serve_requests_call, pillbox_url)
    for method in METHODS:
        mock.add_callback(method, CAPSULE_URL, callback=serve, content_type=None)
    mock.add_passthru(ANY_URL)  # consulted only for URLs that no callback above matched
    return mock


def _serve_requests_call(
    pillbox_url: str, request: requests.PreparedRequest
) -> tuple[int, HTTPHeaderDict, bytes]:
    method, url, body = request.method or "GET", request.url or "", _requests_body(request.body)
    headers = [(name, _text(value)) for name, value in request.headers.items()]
    try:
        reply = relay(pillbox_url, method, url, headers, body)
    except direct_http.ConnectionDropped as cut:
        raise ConnectionDropped(f"Connection broken: {cut}", request=request) from None
    # A header dict that keeps repeated headers (Set-Cookie, Link) as Pillbox sent them.
    return reply.status, HTTPHeaderDict(reply.headers), reply.body


def _text(value: str | bytes) -> str:
    return value if isinstance(value, str) else value.decode("latin-1")


def _requests_body(body: Any) -> bytes | None:
    """requests' prepared body: None, str, bytes, or an iterable of chunks (a streamed upload)."""
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return b"".join(chunk.encode() if isinstance(chunk, str) else bytes(chunk) for chunk in body)


def _httpx_router(pillbox_url: str) -> respx.MockRouter:
    router = respx.MockRouter(assert_all_called=False)
    router.route(scheme="https", host=CAPSULE_HOST).mock(
        side_effect=partial(_serve_httpx_call, pillbox_url)
    )
    router.route().mock(side_effect=partial(_unless_other_routers, router))
    return router


def _unless_other_routers(router: respx.MockRouter, request: httpx.Request) -> httpx.Request | None:
    """Passes a call through (returns it) when no other respx router is active, else declines it
    (None) so the other routers decide, as they would have without interception."""
    active = router.Mocker.routers if router.Mocker is not None else []
    return None if any(other is not router for other in active) else request


def _serve_httpx_call(pillbox_url: str, request: httpx.Request) -> httpx.Response:
    # respx has read the body already, for sync and async clients alike.
    headers = request.headers.multi_items()
    try:
        reply = relay(pillbox_url, request.method, str(request.url), headers, request.content)
    except direct_http.ConnectionDropped as cut:
        message = f"peer closed connection without sending complete message body: {cut}"
        raise httpx.RemoteProtocolError(message, request=request) from None
    return httpx.Response(reply.status, headers=reply.headers, content=reply.body)
