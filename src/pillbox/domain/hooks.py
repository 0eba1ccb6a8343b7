"""REST hooks: subscriptions to record events, delivered by the worker.

- Administrators subscribe (`event`, `targetUrl`, optional `description` and `embed`) and
  unsubscribe; the account has at most `MAX_HOOKS` (20 unless configured) hooks.
- `event` is one of Capsule's events; `targetUrl` an absolute http(s) URL whose host does not
  resolve to a loopback, private or link-local address (`hook_targets`).
- Every hook gets a secret with which each delivery is signed.
- A change emits its events inside its own transaction: a delivery row per subscribed hook
  (`emit`), committed or rolled back with the change.
"""

import secrets
from typing import Annotated
from urllib.parse import urlsplit

import sqlalchemy as sa
from pydantic import Field

from pillbox import clock, timestamps
from pillbox.domain import hook_targets
from pillbox.domain.base import InputModel, require_admin
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import hooks as store
from pillbox.store.accounts import Principal

RESOURCE = "restHook"
EVENTS = (
    "party/created",
    "party/updated",
    "party/deleted",
    "kase/created",
    "kase/updated",
    "kase/deleted",
    "kase/closed",
    "kase/moved",
    "opportunity/created",
    "opportunity/updated",
    "opportunity/deleted",
    "opportunity/closed",
    "opportunity/moved",
    "task/created",
    "task/updated",
    "task/completed",
    "user/created",
    "user/updated",
    "user/deleted",
)
EMBEDS = {
    "party": ("tags", "fields", "organisation", "missingImportantFields"),
    "kase": ("tags", "fields", "party", "opportunity", "missingImportantFields"),
    "opportunity": ("tags", "fields", "party", "milestone", "missingImportantFields"),
    "task": ("party", "opportunity", "kase", "owner", "nextTask"),
    "user": ("party",),
}
DEFAULT_MAX_HOOKS = 20
_limits = {"hooks": DEFAULT_MAX_HOOKS}


def set_max_hooks(limit: int) -> None:
    """The account-wide number of hooks allowed (the server's PILLBOX_MAX_REST_HOOKS)."""
    _limits["hooks"] = limit


class RestHookInput(InputModel):
    event: Annotated[str, Field(max_length=40)] | None = None
    target_url: Annotated[str, Field(max_length=2000)] | None = None
    description: Annotated[str, Field(max_length=500)] | None = None
    embed: Annotated[str, Field(max_length=200)] | None = None


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed.single(message, RESOURCE, field)


def _target_url(raw: str | None) -> str:
    url = (raw or "").strip()
    if not url:
        raise _fail("targetUrl is required", "targetUrl")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail("targetUrl must be an http or https URL", "targetUrl")
    refusal = hook_targets.refusal(parts.hostname)
    if refusal:
        raise _fail(refusal, "targetUrl")
    return url


def _embed(event: str, raw: str | None) -> str | None:
    wanted = [part.strip() for part in (raw or "").split(",") if part.strip()]
    allowed = EMBEDS[event.split("/")[0]]
    unknown = [part for part in wanted if part not in allowed]
    if unknown:
        raise _fail(f"embed must be among {', '.join(allowed)}", "embed")
    return ",".join(wanted) or None


def create_hook(conn: sa.Connection, who: Principal, data: RestHookInput) -> int:
    require_admin(who)
    if data.event not in EVENTS:
        raise _fail("event is not a known event", "event")
    target_url = _target_url(data.target_url)
    if store.count(conn, who.account_id) >= _limits["hooks"]:
        raise _fail(f"an account has at most {_limits['hooks']} REST hooks", "event")
    now = timestamps.now()
    return store.create(
        conn,
        {
            "account_id": who.account_id,
            "user_id": who.user_id,
            "event": data.event,
            "target_url": target_url,
            "description": (data.description or "").strip() or None,
            "embed": _embed(data.event, data.embed),
            "secret": secrets.token_hex(32),
            "created_at": now,
            "updated_at": now,
        },
    )


def delete_hook(conn: sa.Connection, who: Principal, hook_id: int) -> None:
    if not store.load(conn, who.account_id, [hook_id]):
        raise NotFound()
    require_admin(who)
    store.delete(conn, who.account_id, hook_id)


def redeliver(conn: sa.Connection, who: Principal, hook_id: int, delivery_id: int) -> None:
    if not store.load(conn, who.account_id, [hook_id]):
        raise NotFound()
    require_admin(who)
    if store.find_delivery(conn, hook_id, delivery_id) is None:
        raise NotFound()
    store.redeliver(conn, delivery_id, clock.epoch())


def emit(conn: sa.Connection, account_id: int, event: str, record_id: int) -> None:
    """Queues `event` about the record for the account's hooks subscribed to it."""
    store.emit(conn, account_id, event, record_id, clock.epoch())
