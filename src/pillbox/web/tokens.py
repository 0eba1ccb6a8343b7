"""/settings/tokens, "API Authentication Tokens": the signed-in user's personal tokens. Make one
with a name and a scope (shown once, never again: only its hash is kept), or revoke one."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import tokens as domain
from pillbox.errors import ValidationFailed
from pillbox.store.personal_tokens import live_tokens
from pillbox.web.forms import FieldErrors, as_input, text
from pillbox.web.kit import Viewer, database, path_id, redirect, render, screen

PATH = "/settings/tokens"


async def _page(
    request: Request,
    viewer: Viewer,
    status: int = 200,
    new_token: str = "",
    errors: FieldErrors | None = None,
    entered: dict[str, str] | None = None,
) -> Response:
    tokens = await database(request).read(live_tokens, viewer.user.user_id)
    return render(
        request,
        "tokens.html",
        viewer,
        status=status,
        tokens=tokens,
        new_token=new_token,
        errors=errors or FieldErrors(),
        entered=entered or {},
    )


async def show(request: Request, viewer: Viewer) -> Response:
    return await _page(request, viewer)


async def create(request: Request, viewer: Viewer) -> Response:
    form = await request.form()
    entered = {"name": text(form, "name"), "scope": text(form, "scope") or "write"}
    try:
        data = as_input(domain.TokenInput, dict(entered), domain.RESOURCE)
        token = await database(request).write(domain.create_token, viewer.principal, data)
    except ValidationFailed as failure:
        return await _page(request, viewer, 422, "", FieldErrors.of_failure(failure), entered)
    return await _page(request, viewer, new_token=token)


async def revoke(request: Request, viewer: Viewer) -> Response:
    token_id = path_id(request)
    await database(request).write(domain.revoke_token, viewer.principal, token_id)
    return redirect(PATH)


ROUTES = [
    Route(PATH, screen(show), methods=["GET"]),
    Route(PATH, screen(create), methods=["POST"]),
    Route(PATH + "/{id}/revoke", screen(revoke), methods=["POST"]),
]
