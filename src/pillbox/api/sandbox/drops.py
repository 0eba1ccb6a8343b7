"""The sandbox's `drop` fault: an answer cut short, as a connection dropped mid-answer is.

- The answer announces a JSON body of 1024 bytes, sends its first byte and ends: the server
  has to close the connection, and the client sees its request cut short (requests raises its
  `ChunkedEncodingError`, httpx its `RemoteProtocolError`). Nothing is served.
- uvicorn reports an ASGI application that ends an answer early as an error. Here it is the
  point, so that one report is left out of the log, for dropped requests only: the request's
  context says it was dropped, and uvicorn logs in that same context.
"""

import logging
from contextvars import ContextVar

from starlette.types import Receive, Scope, Send

SERVER_LOGGER = "uvicorn.error"
CUT_SHORT = "ASGI callable returned without completing response."
_dropping: ContextVar[bool] = ContextVar("pillbox_dropping", default=False)


async def drop(_scope: Scope, _receive: Receive, send: Send) -> None:
    """Announces a body and stops after its first byte: the server must cut the connection."""
    _dropping.set(True)
    headers = [(b"content-type", b"application/json"), (b"content-length", b"1024")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"{", "more_body": True})


class _NotForDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (_dropping.get() and record.getMessage() == CUT_SHORT)


_FILTER = _NotForDrops()


def quieten_server_log() -> None:
    """Leaves the server's report of a dropped answer out of its log (once per process)."""
    logging.getLogger(SERVER_LOGGER).addFilter(_FILTER)  # adding it again changes nothing
