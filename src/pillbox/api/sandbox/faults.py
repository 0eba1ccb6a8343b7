"""Fault injection: rules that make the sandbox fail, slow down, drop or hold back API requests.

A client's error handling is only tested if the errors happen. A rule belongs to the account of
the token that created it and applies to API requests (v2 and v1) made with that account's
tokens; another account never notices it.

- `GET /_pillbox/faults` → `{"faults": [rule, …]}`, oldest first.
- `POST /_pillbox/faults` → 201 `{"fault": rule}`. Which requests: `method`, `path` (a glob
  such as `/api/v2/parties*`) and `token` (one of the account's), each optional. How often: the
  next `times` matching requests (default 1), or each one with probability `ratio` (0 to 1; a
  `seed` makes the draws repeatable; `times` then caps the firings, which are otherwise
  unlimited). What: one of `status` (400 to 599, with an optional `message`), `drop: true` and
  `holdJobs: true`, and/or `latencyMs` (at most a minute), which delays the request before the
  other action, or before serving it normally when alone.
- `DELETE /_pillbox/faults/{id}` and `DELETE /_pillbox/faults` → 204. A rule whose `times` are
  used up is gone.
- Jobs a `holdJobs` rule held are released through api/sandbox/jobs.py.

Decisions:
- Rules are tried oldest first; the first that matches and fires is the request's one fault. A
  ratio rule that draws no firing leaves the request to the next rule.
- `status: 429` answers as the rate limiter does: its body and X-RateLimit-* headers (the
  limit, nothing remaining, the end of the current window; the limiter sends no Retry-After, so
  neither does this). The forced 429 does not count against the quota.
- Other statuses carry Capsule's body for that status, with its message unless `message` is
  given: `{"message"}` in v2 (with `"errors": []` for a 422), v1's JSON or plain text on v1
  paths (a forced 422 stays a 422 there). Nothing runs behind a forced status or a drop, so
  nothing changes.
- `drop` starts a 200 answer announcing a body, sends one byte of it and stops: the server has to
  close the connection, and the client sees its request cut short. Nothing is served
  (api/sandbox/drops.py).
- `holdJobs` serves the request; the jobs it schedules (a 202 pointing at `/api/v2/jobs/{id}`)
  stay `pending` until released, when the worker is woken to run them.
- Finding the account of a request's token costs a lookup, made only while some rule exists.
"""

import asyncio
import fnmatch
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from pillbox.api.auth import bearer_token
from pillbox.api.errors import error_response, protocol_of
from pillbox.api.paths import is_v1_path
from pillbox.api.ratelimit import WINDOW_SECONDS, Quota, RateLimiter
from pillbox.api.sandbox.drops import drop, quieten_server_log
from pillbox.api.sandbox.http import Route, answer, body, caller, state
from pillbox.api.sandbox.state import SandboxState
from pillbox.api.v1.gate import basic_token
from pillbox.errors import (
    ApiError,
    BodyTooLarge,
    FieldError,
    InsufficientScope,
    InvalidBody,
    MethodNotAllowed,
    NotFound,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)
from pillbox.store import jobs as job_store
from pillbox.store.accounts import Principal, find_principal

FAULT = "sandbox_fault"  # scope["state"] key: the id of the rule applied to the request
MAX_LATENCY_MS = 60_000
MAX_TIMES = 1_000_000
RESOURCE = "fault"

# A path glob: `*`, `?`, and `[…]` classes that are closed; no spaces.
_GLOB = re.compile(r"(?:[^\[\]\s]|\[!?[^\[\]\s]+\])*")

# Capsule's answer for the statuses it has one for; any other status gets its HTTP reason.
_CAPSULE_ERRORS: dict[int, type[ApiError]] = {
    400: InvalidBody,
    401: Unauthenticated,
    403: InsufficientScope,
    404: NotFound,
    405: MethodNotAllowed,
    413: BodyTooLarge,
    422: ValidationFailed,
    429: RateLimited,
    500: ApiError,
}


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def request_token(scope: Scope) -> str | None:
    """The API token a request carries, read as its API reads it: Basic for v1, else Bearer."""
    return basic_token(scope) if is_v1_path(scope["path"]) else bearer_token(scope)


def token_hint(token: str | None) -> str | None:
    """Enough of a token to tell it from the account's others, not enough to use it."""
    return None if token is None else "…" + token[-4:]


def glob_problem(pattern: str) -> str | None:
    """What is wrong with a path glob, or None when it is one."""
    if not pattern.startswith(("/", "*")):
        return "path must start with / or *"
    if _GLOB.fullmatch(pattern) is None:
        return "path is not a valid pattern (a space, or a [ without its ])"
    return None


def compile_glob(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern))


StrictInt = Annotated[int, Strict()]
StrictBool = Annotated[bool, Strict()]
Text = Annotated[str, Field(min_length=1, max_length=500)]


class FaultInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Annotated[str, Field(pattern=r"^[A-Za-z]{1,10}$")] | None = None
    path: Text | None = None
    token: Text | None = None
    times: StrictInt | None = None
    ratio: Annotated[float, Strict()] | None = None
    seed: StrictInt | None = None
    status: StrictInt | None = None
    message: Text | None = None
    latency_ms: StrictInt | None = Field(None, alias="latencyMs")
    drop: StrictBool = False
    hold_jobs: StrictBool = Field(False, alias="holdJobs")

    @field_validator("method")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value


def _problem(message: str, field: str) -> FieldError:
    return FieldError(message, RESOURCE, field)


def _action_problems(spec: FaultInput) -> Iterator[FieldError]:
    chosen = [
        name
        for name, given in (
            ("status", spec.status is not None),
            ("drop", spec.drop),
            ("holdJobs", spec.hold_jobs),
        )
        if given
    ]
    if not chosen and spec.latency_ms is None:
        yield _problem("a fault needs an action: status, latencyMs, drop or holdJobs", "status")
    if len(chosen) > 1:
        yield _problem(f"give one action, not {' and '.join(chosen)}", chosen[1])
    if spec.status is not None and not 400 <= spec.status <= 599:
        yield _problem("status must be between 400 and 599", "status")
    if spec.message is not None and spec.status is None:
        yield _problem("message goes with a status", "message")
    if spec.latency_ms is not None and not 1 <= spec.latency_ms <= MAX_LATENCY_MS:
        yield _problem(f"latencyMs must be between 1 and {MAX_LATENCY_MS}", "latencyMs")


def _matching_problems(spec: FaultInput) -> Iterator[FieldError]:
    if spec.times is not None and not 1 <= spec.times <= MAX_TIMES:
        yield _problem(f"times must be between 1 and {MAX_TIMES}", "times")
    if spec.ratio is not None and not 0 <= spec.ratio <= 1:
        yield _problem("ratio must be between 0 and 1", "ratio")
    if spec.seed is not None and spec.ratio is None:
        yield _problem("seed goes with a ratio", "seed")
    problem = glob_problem(spec.path) if spec.path is not None else None
    if problem:
        yield _problem(problem, "path")


def check_rule(spec: FaultInput) -> None:
    problems = [*_action_problems(spec), *_matching_problems(spec)]
    if problems:
        raise ValidationFailed(*problems)


@dataclass
class FaultRule:
    id: int
    account_id: int
    spec: FaultInput
    remaining: int | None  # firings left; None: until deleted
    pattern: re.Pattern[str] | None
    draws: random.Random | None
    fired: int = 0

    @classmethod
    def create(cls, rule_id: int, account_id: int, spec: FaultInput) -> "FaultRule":
        remaining = spec.times
        if remaining is None and spec.ratio is None:
            remaining = 1  # the next matching request; a ratio without `times` never runs out
        pattern = compile_glob(spec.path) if spec.path is not None else None
        # Repeatable when seeded, by design: the draws choose test outcomes, not secrets.
        draws = random.Random(spec.seed) if spec.ratio is not None else None
        return cls(rule_id, account_id, spec, remaining, pattern, draws)

    def matches(self, who: Principal, token: str, method: str, path: str) -> bool:
        spec = self.spec
        return (
            who.account_id == self.account_id
            and spec.token in (None, token)
            and spec.method in (None, method)
            and (self.pattern is None or self.pattern.match(path) is not None)
        )

    def fires(self) -> bool:
        """Whether it fires on a request it matches; a firing counts against `times`."""
        if self.draws is not None and self.draws.random() >= (self.spec.ratio or 0):
            return False
        self.fired += 1
        if self.remaining is not None:
            self.remaining -= 1
        return True

    def document(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "id": self.id,
            "method": spec.method,
            "path": spec.path,
            "token": token_hint(spec.token),
            "ratio": spec.ratio,
            "seed": spec.seed,
            "remaining": self.remaining,
            "fired": self.fired,
            "status": spec.status,
            "message": spec.message,
            "latencyMs": spec.latency_ms,
            "drop": spec.drop,
            "holdJobs": spec.hold_jobs,
        }


def pick(sandbox: SandboxState, who: Principal, token: str, scope: Scope) -> FaultRule | None:
    """The first rule that matches the request and fires; a rule used up is removed."""
    for rule in list(sandbox.faults.values()):
        if rule.matches(who, token, scope["method"], scope["path"]) and rule.fires():
            if rule.remaining == 0:
                del sandbox.faults[rule.id]
            return rule
    return None


def _capsule_error(status: int, message: str | None, for_v1: bool) -> ApiError:
    kind = _CAPSULE_ERRORS.get(status)
    if kind is None or (for_v1 and kind is ValidationFailed):  # v1 would make a 422 a 400
        reason = kind.message if kind else _reason(status)
        error = ApiError(reason)
    else:
        error = kind()
    error.status = status
    if message:
        error.message = message
    return error


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _spent_quota(limiter: RateLimiter) -> dict[str, str]:
    """The headers of the limiter's own 429: the limit, none left, the current window's end."""
    start = int(limiter.clock() // WINDOW_SECONDS) * WINDOW_SECONDS
    return Quota(limiter.limit, 0, start + WINDOW_SECONDS, allowed=False).headers()


def failure(scope: Scope, status: int, message: str | None) -> ASGIApp:
    """Capsule's answer with `status`, in the manner of the API the request was made to."""
    headers = _spent_quota(scope["app"].state.limiter) if status == 429 else {}
    error = _capsule_error(status, message, for_v1=is_v1_path(scope["path"]))
    return error_response(error, headers, protocol_of(scope))


class FaultInjection:
    """Applies to each API request the first rule of its account that matches and fires."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        quieten_server_log()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = await self._fault_for(scope) if scope["type"] == "http" else None
        if found is None:
            await self.app(scope, receive, send)
            return
        rule, who = found
        scope.setdefault("state", {})[FAULT] = rule.id
        spec = rule.spec
        if spec.latency_ms:
            await asyncio.sleep(spec.latency_ms / 1000)
        if spec.status is not None or spec.drop:
            scope["state"]["principal"] = who  # nothing behind this answer ran to set it
            fault = failure(scope, spec.status, spec.message) if spec.status else drop
            await fault(scope, receive, send)
        elif spec.hold_jobs:
            with job_store.holding_jobs():
                await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _fault_for(self, scope: Scope) -> tuple[FaultRule, Principal] | None:
        sandbox: SandboxState = scope["app"].state.sandbox
        if not sandbox.faults or not is_api_path(scope["path"]):
            return None
        token = request_token(scope)
        who: Principal | None = None
        if token is not None:
            who = await scope["app"].state.db.read(find_principal, token)
        if token is None or who is None:
            return None
        rule = pick(sandbox, who, token, scope)
        return None if rule is None else (rule, who)


async def _check_token(request: Request, who: Principal, token: str | None) -> None:
    if token is None:
        return
    owner: Principal | None = await request.app.state.db.read(find_principal, token)
    if owner is None or owner.account_id != who.account_id:
        raise ValidationFailed.single("token is not a token of this account", RESOURCE, "token")


def _rules_of(sandbox: SandboxState, who: Principal) -> list[FaultRule]:
    return [rule for rule in sandbox.faults.values() if rule.account_id == who.account_id]


async def list_faults(request: Request) -> Response:
    who = await caller(request)
    return answer({"faults": [rule.document() for rule in _rules_of(state(request), who)]})


async def create_fault(request: Request) -> Response:
    who = await caller(request)
    spec = await body(request, FaultInput, RESOURCE)
    check_rule(spec)
    await _check_token(request, who, spec.token)
    sandbox = state(request)
    rule = FaultRule.create(next(sandbox.fault_ids), who.account_id, spec)
    sandbox.faults[rule.id] = rule
    return answer({"fault": rule.document()}, 201)


async def delete_fault(request: Request) -> Response:
    who = await caller(request)
    sandbox = state(request)
    rule = sandbox.faults.get(request.path_params["id"])
    if rule is None or rule.account_id != who.account_id:
        raise NotFound()
    del sandbox.faults[rule.id]
    return Response(status_code=204)


async def clear_faults(request: Request) -> Response:
    who = await caller(request)
    sandbox = state(request)
    for rule in _rules_of(sandbox, who):
        del sandbox.faults[rule.id]
    return Response(status_code=204)


def routes() -> list[Route]:
    return [
        ("GET", "/faults", list_faults),
        ("POST", "/faults", create_fault),
        ("DELETE", "/faults", clear_faults),
        ("DELETE", "/faults/{id:int}", delete_fault),
    ]
