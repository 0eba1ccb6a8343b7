"""create_app(settings) -> the ASGI application: engine, routes, middleware, error handlers."""

import contextlib
import gc
from collections.abc import AsyncIterator

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.middleware import Middleware

from pillbox import clock, logs
from pillbox.api.auth import ApiGate
from pillbox.api.database import Database
from pillbox.api.errors import HANDLERS
from pillbox.api.middleware import HookTargetPolicy, LimitBody, NormalisePath
from pillbox.api.oauth import oauth_routes
from pillbox.api.operations import NoteRoute, RequestLog, metrics_registry, operations_routes
from pillbox.api.ratelimit import RateLimiter
from pillbox.api.routes import api_routes
from pillbox.api.sandbox.routes import (
    sandbox_inner_middleware,
    sandbox_middleware,
    sandbox_routes,
)
from pillbox.api.sandbox.state import SandboxState
from pillbox.api.token_uses import TokenUses
from pillbox.api.v1.gate import BasicGate
from pillbox.api.v2.attachments import UPLOAD_PATH
from pillbox.deliveries import post, post_anywhere
from pillbox.domain import hooks
from pillbox.settings import Settings
from pillbox.store import migrate
from pillbox.store.engine import create_engine
from pillbox.store.files import open_store
from pillbox.store.ratelimits import CounterStore, DatabaseCounters, RedisCounters
from pillbox.web.routes import NOTE_PATH, fallback_routes, web_routes
from pillbox.worker import Worker


class DatabaseNotMigrated(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "The database is not at the latest schema version. Run `pillbox db upgrade` first."
        )


def create_app(settings: Settings, engine: sa.Engine | None = None) -> Starlette:
    engine = engine or create_engine(settings.database_url, settings.db_pool_size)
    if not migrate.is_up_to_date(engine):
        raise DatabaseNotMigrated()
    files = open_store(settings.attachments_url, settings.attachments_dir)
    worker = (
        Worker(
            engine,
            files=files,
            hook_timeout=settings.hook_timeout_seconds,
            send=post_anywhere if settings.hooks_reach_private else post,
        )
        if settings.run_worker
        else None
    )
    wake_worker = worker.wake if worker is not None else lambda: None
    db = Database(engine, on_queued=wake_worker)
    hooks.set_max_hooks(settings.max_rest_hooks)
    counters: CounterStore = (
        RedisCounters(settings.redis_url) if settings.redis_url else DatabaseCounters(engine)
    )
    limiter = RateLimiter(settings.rate_limit_per_hour, counters)
    sandbox_clock = clock.SettableClock() if settings.sandbox else None
    token_uses = TokenUses(db)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # Everything loaded so far lives as long as the process: keeping it out of the garbage
        # collector's reach turns its occasional full collections from ~30 ms into ~1 ms.
        gc.collect()
        gc.freeze()
        if sandbox_clock is not None:
            clock.install(sandbox_clock)
        if worker is not None:
            worker.start()
        yield
        if worker is not None:
            worker.stop()
        await token_uses.flush()
        if sandbox_clock is not None:
            clock.install(None)
        db.close()

    app = Starlette(
        lifespan=lifespan,
        routes=[
            *api_routes(),  # first: the busiest, and none of the others is under /api/
            *operations_routes(with_metrics=settings.metrics),
            *oauth_routes(),
            *(sandbox_routes() if settings.sandbox else []),
            *web_routes(),
            *fallback_routes(),
        ],
        middleware=[
            Middleware(RequestLog, count=settings.metrics),
            Middleware(NormalisePath),
            Middleware(HookTargetPolicy, allow_private=settings.hooks_reach_private),
            *(sandbox_middleware() if settings.sandbox else []),
            Middleware(
                LimitBody,
                max_bytes=settings.max_body_bytes,
                limits={
                    UPLOAD_PATH: settings.max_attachment_bytes,
                    NOTE_PATH: settings.max_attachment_bytes,
                },
                timeout=settings.body_timeout_seconds,
            ),
            Middleware(ApiGate, db=db, limiter=limiter, uses=token_uses),
            Middleware(BasicGate, db=db, limiter=limiter, uses=token_uses),
            *(sandbox_inner_middleware() if settings.sandbox else []),
            Middleware(NoteRoute),
        ],
        exception_handlers=HANDLERS,
    )
    # NormalisePath already takes trailing slashes off; the router adding one back would send
    # `/api` and `/api/` to each other forever.
    app.router.redirect_slashes = False
    app.state.settings = settings
    app.state.db = db
    app.state.limiter = limiter
    app.state.files = files
    app.state.metrics_registry = metrics_registry(engine) if settings.metrics else None
    app.state.clock = sandbox_clock
    app.state.sandbox = SandboxState(default_strict=settings.strict) if settings.sandbox else None
    # Called when a request schedules a job; a separate `pillbox worker` finds it by polling.
    app.state.wake_worker = wake_worker
    return app


def app_from_environment() -> Starlette:
    """Factory for `uvicorn --factory` worker processes: settings from PILLBOX_* variables."""
    settings = Settings()
    logs.configure(settings.log_format)
    return create_app(settings)
