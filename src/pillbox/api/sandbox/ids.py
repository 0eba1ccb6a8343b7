"""Deterministic ids for the caller's account (store/seeded_ids.py).

- `PUT /_pillbox/ids` `{"seed": 42}`: from now on the account's new rows take ids from blocks
  chosen by the seed and the account's name, the same on every run. Open the account with
  `POST /_pillbox/accounts` `{"name": …, "idSeed": 42}` to number its first records (its
  administrator's person record, its pipeline) that way too.
- `GET /_pillbox/ids` → `{"ids": {"seed": 42}}` (`null` when the database numbers rows).
- `DELETE /_pillbox/ids`: back to the database's numbering. 204.

A seed lives as long as the sandbox server: restart it and set the seed again.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from pillbox.api.sandbox.http import Route, answer, body, caller, state
from pillbox.api.sandbox.state import SandboxState
from pillbox.store import accounts
from pillbox.store.seeded_ids import IdSeed, seeded

Seed = Annotated[int, Field(ge=0, le=2**63 - 1)]


class SeedInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: Seed


async def show(request: Request) -> Response:
    who = await caller(request)
    found = state(request).account(who.account_id).id_seed
    return answer({"ids": {"seed": found.seed if found else None}})


async def set_seed(request: Request) -> Response:
    who = await caller(request)
    data = await body(request, SeedInput, "ids")
    name = await request.app.state.db.read(accounts.account_name, who.account_id)
    state(request).account(who.account_id).id_seed = IdSeed(data.seed, name)
    return answer({"ids": {"seed": data.seed}})


async def unset(request: Request) -> Response:
    who = await caller(request)
    state(request).account(who.account_id).id_seed = None
    return Response(status_code=204)


def routes() -> list[Route]:
    return [("GET", "/ids", show), ("PUT", "/ids", set_seed), ("DELETE", "/ids", unset)]


class SeededIds:
    """Numbers the rows a request writes from its account's seed, when it has one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("state", {}).get("principal") if scope["type"] == "http" else None
        sandbox: SandboxState | None = scope["app"].state.sandbox if principal else None
        account = sandbox.accounts.get(principal.account_id) if sandbox and principal else None
        if account is None or account.id_seed is None:
            await self.app(scope, receive, send)
            return
        with seeded(account.id_seed):
            await self.app(scope, receive, send)
