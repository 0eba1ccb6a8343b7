"""Plain HTTP exchanges over `http.client`, out of reach of the libraries that mock requests.

While interception is on, `responses` patches requests' adapter and `respx` patches httpx's
transports, so a call relayed to Pillbox through either library would be caught again. The
standard library's client is patched by neither, which is why relaying (and opening accounts on a
running Pillbox, which may happen while a test's own mocks are active) goes through here.
"""

import http.client
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 30.0
# Hop-by-hop headers describe one connection, not the message, and the length is recomputed
# for the body actually handed over.
CONNECTION_HEADERS = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"}
)


class ConnectionDropped(Exception):
    """The server closed the connection before its answer was complete (a `drop` fault)."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def send(
    origin: str,
    method: str,
    target: str,
    headers: Iterable[tuple[str, str]] = (),
    body: bytes | None = None,
) -> Reply:
    """Sends `method target` (a path with its query) to `origin` (scheme://host[:port]).

    The Host header is `origin`'s unless `headers` name another."""
    connection = _connection(origin)
    headers = _message_headers(headers)
    try:
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        if not any(name.lower() == "host" for name, _ in headers):
            connection.putheader("Host", urlsplit(origin).netloc)
        for name, value in headers:
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body or b"")))
        connection.endheaders(body or None)
        response = connection.getresponse()
        return Reply(response.status, _message_headers(response.getheaders()), response.read())
    except (http.client.IncompleteRead, http.client.RemoteDisconnected, ConnectionError) as cut:
        raise ConnectionDropped(str(cut) or type(cut).__name__) from cut
    finally:
        connection.close()


def _connection(origin: str) -> http.client.HTTPConnection:
    parts = urlsplit(origin)
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.netloc, timeout=TIMEOUT_SECONDS)
    return http.client.HTTPConnection(parts.netloc, timeout=TIMEOUT_SECONDS)


def _message_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name.lower() not in CONNECTION_HEADERS]
