"""What operators and their load balancers see: health, readiness, metrics and request logs.

`/_health` says the process answers; `/_ready` that it can serve (database reachable, schema at
the latest migration, file store reachable). Neither needs a token or shows any data. `/_metrics`
is Prometheus's text format, off unless PILLBOX_METRICS is set, and behind PILLBOX_METRICS_TOKEN
when that is. Every request gets an id (a sane `X-Request-Id` is kept, else one is made), echoed
in the answer and logged on one line with its route template, account, status and duration.
"""

import hmac
import logging
import os
import re
import time
import uuid
from typing import Any

import sqlalchemy as sa
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pillbox import metrics
from pillbox.api.kit.responses import JSONResponse
from pillbox.store import migrate, operations

log = logging.getLogger("pillbox.request")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_NOTE = "pillbox_request"
_CONVERTOR = re.compile(r"\{(\w+):[^}]+\}")


# -- health and readiness --------------------------------------------------------------------------


async def health(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def _checks(engine: sa.Engine, files: Any) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        checks["schema"] = "ok" if migrate.is_up_to_date(engine) else "not at the latest migration"
        checks["database"] = "ok"
    except Exception:  # unreachable: say so, never how (no URLs or credentials in the answer)
        checks["database"] = "unreachable"
        checks["schema"] = "unknown"
    try:
        files.check()
        checks["files"] = "ok"
    except Exception:
        checks["files"] = "unreachable"
    return checks


async def ready(request: Request) -> Response:
    app = request.app
    checks = await run_in_threadpool(_checks, app.state.db.engine, app.state.files)
    is_ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ready" if is_ready else "not ready", "checks": checks},
        status_code=200 if is_ready else 503,
    )


# -- metrics ---------------------------------------------------------------------------------------


class SharedState(Collector):
    """Gauges read from the database when scraped: the same figures from every process."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def collect(self) -> Any:
        figures = operations.queue_figures(self.engine)
        jobs = GaugeMetricFamily("pillbox_jobs", "Jobs by status.", labels=["status"])
        for status, count in figures.jobs.items():
            jobs.add_metric([status], count)
        yield jobs
        yield GaugeMetricFamily(
            "pillbox_job_oldest_pending_age_seconds",
            "Age of the oldest job still waiting to run (0: none waits).",
            value=figures.oldest_pending_age,
        )
        deliveries = GaugeMetricFamily(
            "pillbox_hook_deliveries", "REST hook deliveries kept, by status.", labels=["status"]
        )
        for status, count in figures.deliveries.items():
            deliveries.add_metric([status], count)
        yield deliveries
        pool = self.engine.pool
        in_use = pool.checkedout() if hasattr(pool, "checkedout") else 0
        yield GaugeMetricFamily(
            "pillbox_db_connections_in_use",
            "Database connections checked out of this process's pool.",
            value=in_use,
        )


def _registry(engine: sa.Engine) -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        for collector in list(REGISTRY._collector_to_names):  # the process's own metrics
            registry.register(collector)
    registry.register(SharedState(engine))
    return registry


async def metrics_endpoint(request: Request) -> Response:
    settings = request.app.state.settings
    if settings.metrics_token:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), settings.metrics_token.encode()):
            return JSONResponse({"message": "metrics need their token"}, status_code=401)
    registry = request.app.state.metrics_registry
    body = await run_in_threadpool(generate_latest, registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def operations_routes(with_metrics: bool) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        Route("/_health", health, methods=["GET"]),
        Route("/_ready", ready, methods=["GET"]),
    ]
    if with_metrics:
        routes.append(Route("/_metrics", metrics_endpoint, methods=["GET"]))
    return routes


def metrics_registry(engine: sa.Engine) -> CollectorRegistry:
    return _registry(engine)


# -- request ids, logs and request metrics ---------------------------------------------------


class RequestNote:
    """What the inner layers learn of a request (its route, its account), for the log line."""

    __slots__ = ("account_id", "route")

    def __init__(self) -> None:
        self.route = "unmatched"
        self.account_id: int | None = None


class RequestLog:
    """Outermost: gives each request its id, then logs and counts it once it has been answered."""

    def __init__(self, app: ASGIApp, count: bool) -> None:
        self.app = app
        self.count = count

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        note = RequestNote()
        scope[_NOTE] = note
        status = 500
        header = (b"x-request-id", request_id.encode())

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), header]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            self._record(scope["method"], note, status, seconds, request_id)

    def _record(
        self, method: str, note: RequestNote, status: int, seconds: float, request_id: str
    ) -> None:
        if self.count:
            metrics.REQUESTS.labels(note.route, method, str(status)).inc()
            metrics.LATENCY.labels(note.route, method).observe(seconds)
            if status == 429:
                metrics.RATE_LIMITED.inc()
        if log.isEnabledFor(logging.INFO):
            log.info(
                "%s %s %s %.1f ms",
                method,
                note.route,
                status,
                seconds * 1000,
                extra={
                    "event": "request",
                    "request_id": request_id,
                    "method": method,
                    "route": note.route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "account_id": note.account_id,
                },
            )


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            given: str = value.decode("latin-1")
            if _REQUEST_ID.fullmatch(given):
                return given
            break
    return uuid.uuid4().hex


class NoteRoute:
    """Innermost: sees the scope the router fills in, and notes the route template and account."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            note = scope.get(_NOTE)
            if note is not None:
                note.route = route_template(scope)
                principal = scope.get("state", {}).get("principal")
                note.account_id = getattr(principal, "account_id", None)


def route_template(scope: Scope) -> str:
    """The matched route's pattern (`/api/v2/parties/{ids:pillbox_ids}` reads `{ids}`)."""
    route = scope.get("pillbox_route") or scope.get("route")
    path = getattr(route, "path", None) or getattr(route, "prefix", None)
    if not isinstance(path, str):
        return "unmatched"
    return _CONVERTOR.sub(r"{\1}", path)
