"""Request hygiene before routing: forgiving paths, a bounded request body, the hook policy."""

import asyncio
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pillbox.api.errors import error_response
from pillbox.domain import hook_targets
from pillbox.errors import BodyTooLarge, RequestTimeout

_SLASHES = re.compile(r"/{2,}")


class NormalisePath:
    """`/api/v2//parties/` is `/api/v2/parties`: real clients join URLs carelessly."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            clean = _SLASHES.sub("/", path)
            if len(clean) > 1:
                clean = clean.rstrip("/")
            if clean != path:
                scope = {**scope, "path": clean, "raw_path": clean.encode()}
        await self.app(scope, receive, send)


class LimitBody:
    """Refuses bodies over `max_bytes` with 413, by Content-Length or while streaming, and
    bodies still arriving `timeout` seconds after the request began with 408 (a body trickled
    in a byte at a time would otherwise hold its connection for ever).

    `limits` gives paths of their own limit (attachment uploads take files, not JSON)."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        limits: dict[str, int] | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limits = limits or {}
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.max_bytes)
        for name, value in scope["headers"]:
            if (
                name == b"content-length"
                and value.isdigit()
                and (len(value) > 18 or int(value) > limit)
            ):
                await error_response(BodyTooLarge())(scope, receive, send)
                return
        received = 0
        deadline = time.monotonic() + self.timeout
        complete = False

        async def bounded_receive() -> Message:
            nonlocal received, complete
            if complete:  # after the body, receive() only waits for a disconnect
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except TimeoutError:
                raise RequestTimeout() from None
            complete = not message.get("more_body", False)
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge()
            return message

        await self.app(scope, bounded_receive, send)


class HookTargetPolicy:
    """Tells the domain, for this request, whether REST hooks may target private addresses."""

    def __init__(self, app: ASGIApp, allow_private: bool) -> None:
        self.app = app
        self.allow_private = allow_private

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = hook_targets.allow_private.set(self.allow_private)
        try:
            await self.app(scope, receive, send)
        finally:
            hook_targets.allow_private.reset(token)
