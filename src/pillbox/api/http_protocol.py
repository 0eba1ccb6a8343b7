"""The HTTP/1.1 protocol `pillbox serve` runs: uvicorn's, with a deadline for each request's head.

uvicorn closes a kept-alive connection that stays quiet, but waits without end for a request's
first bytes on a new connection and for the rest of a head trickled in a byte at a time: a few
thousand such connections would hold the server's sockets for ever. Here every connection must
deliver a complete request head within PILLBOX_HEAD_TIMEOUT_SECONDS of opening (or, on a kept-alive
connection, of the request's first byte); otherwise it is answered 408 and closed. The body has a
deadline of its own, kept by the application (api/middleware.py: LimitBody).
"""

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from pillbox.settings import Settings

TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
    b"content-length: 34\r\nconnection: close\r\n\r\n"
    b'{"message":"Request head too slow"}'
)
_head_timeout = {"seconds": Settings().head_timeout_seconds}  # each process reads its own


class BoundedHttpProtocol(HttpToolsProtocol):
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm_head_timer()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._head_timer is None:
            self._arm_head_timer()

    def on_headers_complete(self) -> None:
        self._disarm_head_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        self._head_timer = self.loop.call_later(_head_timeout["seconds"], self._head_too_slow)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.write(TIMED_OUT)
            self.transport.close()
