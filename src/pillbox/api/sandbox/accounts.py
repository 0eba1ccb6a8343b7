"""Sandbox accounts over HTTP: open one, empty it, copy it.

- `POST /_pillbox/accounts` (no token: the sandbox hands out accounts) → 201
  `{"account": {"id", "name"}, "token"}`; a `name` may be given, and an `idSeed` to number
  the account's rows deterministically from the start (api/sandbox/ids.py).
- `POST /_pillbox/reset` empties the caller's account back to how a new one starts; its users
  and tokens keep working. 204.
- `POST /_pillbox/fork` → 201 `{"account": {"id", "name"}, "token"}`: a new account holding a
  copy of every record of the caller's, and a token for the copy of the caller's user.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.sandbox.http import Route, answer, body, caller, state
from pillbox.domain import sandbox
from pillbox.store.seeded_ids import IdSeed, seeded


class AccountInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")] | None = None


class NewAccountInput(AccountInput):
    id_seed: int | None = Field(default=None, alias="idSeed", ge=0, le=2**63 - 1)


def _opened(account: sandbox.SandboxAccount) -> Response:
    document = {"account": {"id": account.account_id, "name": account.name}, "token": account.token}
    return answer(document, 201)


async def open_account(request: Request) -> Response:
    data = await body(request, NewAccountInput, "account")
    if data.id_seed is None:
        return _opened(await request.app.state.db.write(sandbox.open_account, data.name))
    id_seed = IdSeed(data.id_seed, data.name or sandbox.new_account_name())
    with seeded(id_seed):
        account = await request.app.state.db.write(sandbox.open_account, id_seed.account_name)
    state(request).account(account.account_id).id_seed = id_seed
    return _opened(account)


async def reset(request: Request) -> Response:
    who = await caller(request)
    await request.app.state.db.write(sandbox.reset_account, who.account_id)
    return Response(status_code=204)


async def fork(request: Request) -> Response:
    who = await caller(request)
    data = await body(request, AccountInput, "account")
    files = request.app.state.files
    account = await request.app.state.db.write(sandbox.fork_account, files, who, data.name)
    return _opened(account)


def routes() -> list[Route]:
    return [
        ("POST", "/accounts", open_account),
        ("POST", "/reset", reset),
        ("POST", "/fork", fork),
    ]
