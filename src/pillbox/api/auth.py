"""The gate in front of /api/v2: bearer token, rate limit, scope, in that order; the token's
use is noted (api/token_uses.py) once the request is let in.

API v1 has a sibling (api/v1/gate.py) that reads the token from HTTP Basic instead.

A pure ASGI middleware, so that every response behind it (404 and 405 included) carries the
X-RateLimit-* headers, and a read-only token is refused before any handler work.
"""

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pillbox.api.database import Database
from pillbox.api.errors import error_response
from pillbox.api.paths import V2_PREFIX
from pillbox.api.ratelimit import Quota, RateLimiter
from pillbox.api.token_uses import TokenUses
from pillbox.domain import changes
from pillbox.errors import ApiError, InsufficientScope, RateLimited, Unauthenticated
from pillbox.store.accounts import Principal, find_principal

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = frozenset({f"{V2_PREFIX}/openapi.json"})


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = bytes(value).decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
            return None
    return None


class ApiGate:
    via = "api-v2"  # what the change history says the writes of its requests came through

    def __init__(
        self, app: ASGIApp, db: Database, limiter: RateLimiter, uses: TokenUses | None = None
    ) -> None:
        self.app = app
        self.db = db
        self.limiter = limiter
        self.uses = uses or TokenUses(db)

    def guards(self, path: str) -> bool:
        return (path == V2_PREFIX or path.startswith(V2_PREFIX + "/")) and (
            path not in PUBLIC_PATHS
        )

    def token(self, scope: Scope) -> str | None:
        return bearer_token(scope)

    def admits(self, principal: Principal) -> bool:
        """Whether this API takes the token found (every kind, here)."""
        return True

    def refusal(self, scope: Scope, error: ApiError, headers: dict[str, str]) -> ASGIApp:
        return error_response(error, headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.guards(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        token = self.token(scope)
        principal = await self.db.read(find_principal, token) if token else None
        if principal is None or not self.admits(principal):
            await self.refusal(scope, Unauthenticated(), {})(scope, receive, send)
            return
        quota = await self._hit(principal)
        headers = quota.headers()
        error: ApiError | None = None
        if not quota.allowed:
            error = RateLimited()
        elif scope["method"] not in READ_METHODS and not principal.can_write:
            error = InsufficientScope("write")
        if error is not None:
            await self.refusal(scope, error, headers)(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.uses.note(principal.token_id)
        encoded = [(k.lower().encode(), v.encode()) for k, v in headers.items()]

        async def send_with_quota(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *encoded]
            await send(message)

        with changes.via(self.via):
            await self.app(scope, receive, send_with_quota)

    async def _hit(self, principal: Principal) -> Quota:
        # Only a sync with the shared store does I/O; a PostgreSQL one leaves the event loop.
        if self.limiter.needs_sync(principal.user_id):
            if not self.db.inline:
                return await run_in_threadpool(self.limiter.hit, principal.user_id)
            self.db.commit_group()  # the sync writes on a connection of its own
        return self.limiter.hit(principal.user_id)
