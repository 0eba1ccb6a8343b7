"""The request journal: each account's latest API requests, for tests to assert on.

- `GET /_pillbox/journal` → `{"requests": [request, …]}`, newest first. A request: `id`
  (increasing across the sandbox), `at` (by the sandbox clock), `method`, `path`, `query`,
  `status`, `durationMs`, `token` (its last four characters), `fault` (the id of the fault
  rule applied, or null) and `strict` (strict mode's findings on it, as in its
  `X-Pillbox-Strict` header, one a string; `[]` when none or when the mode is off).
  Filters: `method`; `path`, a prefix, or a glob when it holds `*`, `?` or `[`; `status`,
  exact (`404`) or a class (`4xx`); `since`, a journal id (later requests only); `limit`, 1 to
  JOURNAL_SIZE, 100 unless given.
- `DELETE /_pillbox/journal` → 204: the caller's account's journal emptied.

Decisions:
- A request belongs to the account of the token it carries, read as its API reads it (Bearer
  for v2, Basic for v1), even when the API refused it (403, 429). Requests with no valid token
  belong to no account and are not kept; neither are the admin API's own requests under
  /_pillbox, which are not API requests.
- An account keeps its last JOURNAL_SIZE requests; older ones make way.
- `status` is what the client received: null when the answer was cut short (a `drop` fault),
  500 for a request whose handler raised. `durationMs` includes any latency a fault added.
"""

import itertools
import re
import time
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pillbox import timestamps
from pillbox.api.sandbox.faults import (
    FAULT,
    compile_glob,
    glob_problem,
    is_api_path,
    request_token,
    token_hint,
)
from pillbox.api.sandbox.http import Route, answer, caller, state
from pillbox.api.sandbox.state import JOURNAL_SIZE, SandboxState
from pillbox.api.sandbox.strict import FINDINGS
from pillbox.errors import ValidationFailed
from pillbox.numbers import whole_number
from pillbox.store.accounts import Principal, find_principal

RESOURCE = "journal"
DEFAULT_LIMIT = 100
_STATUS = re.compile(r"([1-5])(xx|[0-9]{2})", re.IGNORECASE)
_GLOB_CHARACTERS = frozenset("*?[")


@dataclass
class _Outcome:
    """What became of one request, as its answer goes out."""

    at: str
    started: float
    status: int | None = None
    complete: bool = False

    def observe(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body" and not message.get("more_body", False):
            self.complete = True

    def raised(self) -> None:
        if self.status is None:
            self.status, self.complete = 500, True


class RequestJournal:
    """Records every API request under the account of its token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_api_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})  # shared with the gates, which leave the principal there
        outcome = _Outcome(at=timestamps.now(), started=time.perf_counter())

        async def observed(message: Message) -> None:
            outcome.observe(message)
            await send(message)

        try:
            await self.app(scope, receive, observed)
        except Exception:
            outcome.raised()
            await _record(scope, outcome)
            raise
        await _record(scope, outcome)


async def _record(scope: Scope, outcome: _Outcome) -> None:
    duration = round((time.perf_counter() - outcome.started) * 1000, 1)
    token = request_token(scope)
    who: Principal | None = scope["state"].get("principal")
    if who is None and token is not None:  # refused by a gate, which keeps no principal
        who = await scope["app"].state.db.read(find_principal, token)
    if who is None:
        return
    sandbox: SandboxState = scope["app"].state.sandbox
    entry = {
        "id": next(sandbox.request_ids),
        "at": outcome.at,
        "method": scope["method"],
        "path": scope["path"],
        "query": bytes(scope.get("query_string", b"")).decode("latin-1"),
        "status": outcome.status if outcome.complete else None,
        "durationMs": duration,
        "token": token_hint(token),
        "fault": scope["state"].get(FAULT),
        "strict": scope["state"].get(FINDINGS, []),
    }
    sandbox.account(who.account_id).journal.append(entry)


@dataclass(frozen=True)
class JournalFilter:
    method: str | None = None
    path: str | None = None  # a prefix, unless `pattern` is set
    pattern: re.Pattern[str] | None = None
    statuses: range | None = None
    since: int = 0
    limit: int = DEFAULT_LIMIT

    def keeps(self, entry: dict[str, Any]) -> bool:
        return (
            entry["id"] > self.since
            and self.method in (None, entry["method"])
            and (self.path is None or entry["path"].startswith(self.path))
            and (self.pattern is None or self.pattern.match(entry["path"]) is not None)
            and (self.statuses is None or (entry["status"] or 0) in self.statuses)
        )


def _invalid(message: str, name: str) -> ValidationFailed:
    return ValidationFailed.single(message, RESOURCE, name)


def _since(raw: str | None) -> int:
    if raw is None:
        return 0
    since = whole_number(raw, 2**63 - 1)
    if since is None:
        raise _invalid("since must be a journal id", "since")
    return since


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    limit = whole_number(raw, JOURNAL_SIZE)
    if not limit:
        raise _invalid(f"limit must be a whole number from 1 to {JOURNAL_SIZE}", "limit")
    return limit


def _statuses(raw: str | None) -> range | None:
    if raw is None:
        return None
    found = _STATUS.fullmatch(raw)
    if found is None:
        raise _invalid("status must be a status like 404 or a class like 4xx", "status")
    if found[2].lower() == "xx":
        first = int(found[1]) * 100
        return range(first, first + 100)
    return range(int(raw), int(raw) + 1)


def _pattern(raw: str | None) -> re.Pattern[str] | None:
    """The path filter as a glob, or None when it is a plain prefix (or not given)."""
    if raw is None or not _GLOB_CHARACTERS.intersection(raw):
        return None
    problem = glob_problem(raw)
    if problem:
        raise _invalid(problem, "path")
    return compile_glob(raw)


def journal_filter(params: QueryParams) -> JournalFilter:
    method, path = params.get("method"), params.get("path")
    pattern = _pattern(path)
    return JournalFilter(
        method=method.upper() if method else None,
        path=path if pattern is None else None,
        pattern=pattern,
        statuses=_statuses(params.get("status")),
        since=_since(params.get("since")),
        limit=_limit(params.get("limit")),
    )


async def list_requests(request: Request) -> Response:
    who = await caller(request)
    chosen = journal_filter(request.query_params)
    journal = state(request).account(who.account_id).journal
    kept = (entry for entry in reversed(journal) if chosen.keeps(entry))
    return answer({"requests": list(itertools.islice(kept, chosen.limit))})


async def clear(request: Request) -> Response:
    who = await caller(request)
    state(request).account(who.account_id).journal.clear()
    return Response(status_code=204)


def routes() -> list[Route]:
    return [
        ("GET", "/journal", list_requests),
        ("DELETE", "/journal", clear),
    ]
