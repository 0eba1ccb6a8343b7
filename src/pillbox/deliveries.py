"""REST hook deliveries: POSTing queued events to their targets, signed, retried, logged.

- A delivery is `{"event": "party/created", "payload": [record]}`, the record as the API's show
  endpoint renders it when sent (with the hook's `embed`); a deleted record is `{"id": N}`.
- Each request carries `X-Pillbox-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
  "<t>.<body>" keyed with the hook's secret>` and `X-Pillbox-Delivery: <delivery id>`.
- A 2xx answer delivers it. 410 Gone unsubscribes the hook (as Capsule does). Anything else,
  a timeout or a refused connection is retried after 5 s, 1 min, 5 min, 15 min and 15 min
  (each ±10%, so that failed targets are not hit in step); after that the delivery is `failed`
  and stays in the hook's log, from where it can be sent again.
- A record's deliveries to a hook go in order: the next waits until the one before is done.
- A delivery connects only to an address it has just checked (`domain.hook_targets`): never to a
  loopback, private or link-local one unless PILLBOX_HOOKS_ALLOW_PRIVATE says so; it follows no
  redirect and goes through no proxy (a proxy would make the address it reaches unknowable).
"""

import functools
import hashlib
import hmac
import http.client
import logging
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa

from pillbox import clock as clock_module
from pillbox import metrics, timestamps
from pillbox.domain import hook_targets
from pillbox.store import hooks as store
from pillbox.store.accounts import Principal
from pillbox.store.engine import WRITE
from pillbox.wire.renderers import BY_SINGULAR

log = logging.getLogger("pillbox.deliveries")

RETRY_DELAYS = (5, 60, 300, 900, 900)  # seconds after each failed attempt
JITTER = 0.1
LEASE_SECONDS = 300.0  # longer than any attempt with its timeout
BATCH = 20
KEEP_SECONDS = 7 * 24 * 3600  # how long the log keeps finished deliveries
USER_AGENT = "Pillbox-RestHooks/1"


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer at all
    error: str | None
    latency_ms: int


# (url, body, headers, timeout) -> the answer
Send = Callable[[str, bytes, dict[str, str], float], Answer]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer like any other non-2xx one


class _CheckedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, *, allow_private: bool, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = functools.partial(
            hook_targets.connect, allow_private_targets=allow_private
        )


class _CheckedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, *, allow_private: bool, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = functools.partial(
            hook_targets.connect, allow_private_targets=allow_private
        )


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def _connection(self, host: str, **kwargs: Any) -> http.client.HTTPConnection:
        return _CheckedHTTP(host, allow_private=self.allow_private, **kwargs)

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def _connection(self, host: str, **kwargs: Any) -> http.client.HTTPConnection:
        return _CheckedHTTPS(host, allow_private=self.allow_private, **kwargs)

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection, req)


def _opener(allow_private: bool) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        _NoRedirects(),
        urllib.request.ProxyHandler({}),  # deliveries connect to the address they checked
        _CheckedHTTPHandler(allow_private),
        _CheckedHTTPSHandler(allow_private),
    )


_OPENERS = {allowed: _opener(allowed) for allowed in (False, True)}


def post(
    url: str, body: bytes, headers: dict[str, str], timeout: float, allow_private: bool = False
) -> Answer:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        with _OPENERS[allow_private].open(request, timeout=timeout) as response:
            return Answer(int(response.status), None, elapsed())
    except urllib.error.HTTPError as error:
        return Answer(int(error.code), None, elapsed())
    except (OSError, ValueError) as error:  # refused, unreachable, timed out, bad URL
        return Answer(None, f"{type(error).__name__}: {error}"[:500], elapsed())


def post_anywhere(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """`post` that may reach private addresses (PILLBOX_HOOKS_ALLOW_PRIVATE)."""
    return post(url, body, headers, timeout, allow_private=True)


def sign(secret: str, at: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def body_of(conn: sa.Connection, hook: Any, delivery: Any) -> bytes:
    event: str = delivery.event
    record: dict[str, Any] = {"id": delivery.record_id}
    if not event.endswith("/deleted"):
        who = Principal(hook.user_id or 0, hook.account_id, "read", True)
        embeds = frozenset((hook.embed or "").split(",")) - {""}
        rendered = BY_SINGULAR[event.split("/")[0]](conn, who, [delivery.record_id], embeds)
        record = rendered[0] if rendered else record  # deleted since: its id
    return orjson.dumps({"event": event, "payload": [record]})


class Deliverer:
    def __init__(
        self,
        engine: sa.Engine,
        *,
        timeout: float = 10.0,
        clock: Callable[[], float] = clock_module.epoch,
        send: Send = post,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.timeout = timeout
        self.clock = clock
        self.send = send
        self.rng = rng or random.Random()
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="pillbox-delivery")
        self._stopping = False

    def _transaction(self) -> Any:
        return self.engine.connect().execution_options(**{WRITE: True})

    def run_due(self) -> int:
        """Sends every delivery due now, batch after batch; returns how many were attempted."""
        attempted = 0
        while not self._stopping:
            with self._transaction() as conn, conn.begin():
                claimed = store.claim_due(conn, self.clock(), LEASE_SECONDS, BATCH)
            if not claimed:
                return attempted
            answers = list(self._pool.map(self._attempt, claimed))
            self._record_batch(claimed, answers)
            attempted += len(claimed)
        return attempted

    def _attempt(self, delivery: Any) -> Answer | None:
        """Sends one delivery; None if it was not sent (its hook is gone, or it failed here)."""
        if self._stopping:  # claimed but not begun: freed with the batch's answers
            return None
        try:
            with self.engine.connect() as conn:
                hook = store.load(conn, delivery.account_id, [delivery.hook_id]).get(
                    delivery.hook_id
                )
                if hook is None:
                    return None  # unsubscribed meanwhile: its deliveries went with it
                body = body_of(conn, hook, delivery)
            at = int(self.clock())
            headers = {
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "X-Pillbox-Delivery": str(delivery.id),
                "X-Pillbox-Signature": sign(hook.secret, at, body),
            }
            return self.send(hook.target_url, body, headers, self.timeout)
        except Exception:  # the lease lapses and the delivery is tried again
            log.exception("delivery %s", delivery.id)
            return None

    def _record_batch(self, claimed: list[Any], answers: list[Answer | None]) -> None:
        """Every answer of a batch in one write transaction: on SQLite, a transaction per
        delivery had the sending threads queue for the write lock, each wait a sleep, and
        deliveries fell behind the events."""
        try:
            with self._transaction() as conn, conn.begin():
                for delivery, answer in zip(claimed, answers, strict=True):
                    if answer is not None:
                        self._record(conn, delivery, answer)
                    elif self._stopping:  # free it for the next worker at once
                        store.record_attempt(conn, delivery.id, {"locked_until": 0.0})
        except Exception:  # their leases lapse and they are sent again
            log.exception("recording deliveries %s", [d.id for d in claimed])

    def _record(self, conn: sa.Connection, delivery: Any, answer: Answer) -> None:
        attempts = delivery.attempts + 1
        values: dict[str, Any] = {
            "attempts": attempts,
            "response_status": answer.status,
            "latency_ms": answer.latency_ms,
            "error": answer.error,
        }
        if answer.status is not None and 200 <= answer.status < 300:
            values.update(status=store.DELIVERED, delivered_at=timestamps.now())
            outcome = "delivered"
        elif answer.status == 410:
            log.info("hook %s answered 410 Gone: unsubscribed", delivery.hook_id)
            store.delete(conn, delivery.account_id, delivery.hook_id)
            metrics.DELIVERIES.labels("unsubscribed").inc()
            return
        elif attempts > len(RETRY_DELAYS):
            values.update(status=store.FAILED)
            outcome = "failed"
        else:
            delay = RETRY_DELAYS[attempts - 1] * self.rng.uniform(1 - JITTER, 1 + JITTER)
            values.update(next_attempt_at=self.clock() + delay)
            outcome = "retry"
        store.record_attempt(conn, delivery.id, values)
        metrics.DELIVERIES.labels(outcome).inc()
        log.info(
            "delivery %s of hook %s: %s",
            delivery.id,
            delivery.hook_id,
            outcome,
            extra={
                "event": "delivery",
                "delivery_id": delivery.id,
                "hook_id": delivery.hook_id,
                "account_id": delivery.account_id,
                "outcome": outcome,
                "response_status": answer.status,
                "attempt": attempts,
                "duration_ms": answer.latency_ms,
            },
        )

    def purge(self) -> int:
        """Forgets finished deliveries older than KEEP_SECONDS."""
        before = timestamps.format_epoch(self.clock() - KEEP_SECONDS)
        with self._transaction() as conn, conn.begin():
            return store.purge_finished(conn, before)

    def stop_taking(self) -> None:
        """Claims nothing more, and frees what is claimed but not yet begun."""
        self._stopping = True

    def close(self) -> None:
        """Lets the attempts under way finish (each bounded by the timeout) and frees the rest."""
        self._stopping = True
        self._pool.shutdown(wait=True)
