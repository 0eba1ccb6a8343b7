"""Strict mode of the caller's account: what works here but not on real Capsule, told or refused.

- `GET /_pillbox/strict` → `{"strict": {"mode"}}`.
- `PUT /_pillbox/strict` `{"mode": "off" | "report" | "fail"}` → the same document. `report`
  lists the findings of each request in an `X-Pillbox-Strict` header (`finding; finding`) and
  serves it as usual; `fail` refuses a request at its first finding with a 400
  (`{"message": "Refused in strict mode: …"}`, and the header), before anything is written.
  Either way the request journal lists them too (`strict`), for a test that calls through a
  client which does not show it response headers.

What counts as a finding, and what it costs outside a sandbox, is api/sandbox/findings.py's. New
accounts start in the mode `PILLBOX_STRICT` names (`off` unless set); every account keeps its
own, so one test suite's account can fail on what another's only reports.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pillbox.api.sandbox import findings
from pillbox.api.sandbox.http import Route, answer, body, caller, state
from pillbox.api.sandbox.state import SandboxState

HEADER = "X-Pillbox-Strict"
FINDINGS = "sandbox_strict"  # scope["state"] key: the request's findings, for the journal


class StrictInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["off", "report", "fail"]


class StrictMode:
    """Installs a strict check for each request and lists its findings in the response header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sandbox: SandboxState = scope["app"].state.sandbox
        check = findings.StrictCheck(
            scope.setdefault("state", {}), lambda account_id: sandbox.account(account_id).strict
        )

        async def send_with_findings(message: Message) -> None:
            if message["type"] == "http.response.start" and check.findings:
                MutableHeaders(scope=message).append(HEADER, check.header())
            await send(message)

        token = findings.install(check)
        try:
            await self.app(scope, receive, send_with_findings)
        finally:
            findings.uninstall(token)
            scope["state"][FINDINGS] = check.listed()  # for the request journal


def _document(mode: str) -> Response:
    return answer({"strict": {"mode": mode}})


async def show(request: Request) -> Response:
    who = await caller(request)
    return _document(state(request).account(who.account_id).strict)


async def set_mode(request: Request) -> Response:
    who = await caller(request)
    data = await body(request, StrictInput, "strict")
    state(request).account(who.account_id).strict = data.mode
    return _document(data.mode)


def routes() -> list[Route]:
    return [
        ("GET", "/strict", show),
        ("PUT", "/strict", set_mode),
    ]
