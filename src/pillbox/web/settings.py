"""/settings, the index of the settings screens (administrators see them all, others only their
own), and /settings/preferences, the signed-in user's own preferences and password."""

from typing import Any

import sqlalchemy as sa
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import users as domain
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import users as store
from pillbox.store.accounts import Principal
from pillbox.web.forms import FieldErrors, as_input, optional, text
from pillbox.web.kit import Viewer, database, redirect, render, screen

PREFERENCES = "/settings/preferences"
# (address, title, what it holds); the first two are every user's own
OWN = (
    (PREFERENCES, "My preferences", "Your username, language, currency, time zone and password."),
    (
        "/settings/tokens",
        "API Authentication Tokens",
        "Tokens for programs that use the API as you.",
    ),
)
ACCOUNT = (
    ("/settings/users", "Users", "Who can sign in; administrators; passwords."),
    ("/settings/teams", "Teams", "Groups of users and their members."),
    ("/settings/fields", "Custom fields", "Fields of your own on each kind of record."),
    ("/settings/tags", "Tags", "Tags and data tags of each kind of record."),
    ("/settings/pipelines", "Pipelines", "Pipelines and their milestones."),
    ("/settings/lost-reasons", "Lost reasons", "Why opportunities are lost."),
    ("/settings/boards", "Boards", "Project boards and their stages."),
    ("/settings/task-categories", "Task categories", "What tasks are filed under, with colours."),
    ("/settings/activity-types", "Activity types", "What a note can stand for."),
    ("/settings/hooks", "REST hooks", "Addresses told of changes, and their deliveries."),
)
CLICK_TO_CALL = ("SIP", "TEL", "CALLTO", "CIRCLELOOP")


async def index(request: Request, viewer: Viewer) -> Response:
    screens = OWN + ACCOUNT if viewer.user.is_admin else OWN
    return render(request, "settings.html", viewer, screens=screens)


def _preferences(conn: sa.Connection, who: Principal) -> Any:
    found = store.load(conn, who.account_id, [who.user_id]).get(who.user_id)
    if found is None:
        raise NotFound()
    return found


async def _page(
    request: Request,
    viewer: Viewer,
    status: int = 200,
    errors: FieldErrors | None = None,
    entered: dict[str, Any] | None = None,
    saved: str = "",
) -> Response:
    user = await database(request).read(_preferences, viewer.principal)
    return render(
        request,
        "preferences.html",
        viewer,
        status=status,
        user=user,
        locales=domain.LOCALES,
        click_to_call=CLICK_TO_CALL,
        errors=errors or FieldErrors(),
        entered=entered,
        saved=saved,
    )


async def show_preferences(request: Request, viewer: Viewer) -> Response:
    saved = {"preferences": "Your preferences are saved.", "password": "Your password is changed."}
    return await _page(request, viewer, saved=saved.get(request.query_params.get("saved", ""), ""))


def _preference_body(form: FormData) -> dict[str, Any]:
    return {
        "username": text(form, "username"),
        "locale": optional(form, "locale"),
        "currency": text(form, "currency").upper(),
        "timezone": text(form, "timezone"),
        "taskReminder": form.get("taskReminder") is not None,
        "clickToCallPreference": optional(form, "clickToCallPreference"),
    }


async def save_preferences(request: Request, viewer: Viewer) -> Response:
    body = _preference_body(await request.form())
    try:
        data = as_input(domain.UserInput, body, domain.USER)
        who = viewer.principal
        await database(request).write(domain.update_user, who, who.user_id, data)
    except ValidationFailed as refused:
        return await _page(request, viewer, 422, FieldErrors.of_failure(refused), body)
    return redirect(PREFERENCES + "?saved=preferences")


async def change_password(request: Request, viewer: Viewer) -> Response:
    form = await request.form()
    body = {
        "currentPassword": text(form, "currentPassword"),
        "newPassword": text(form, "newPassword"),
    }
    try:
        data = as_input(domain.PasswordChangeInput, body, domain.USER)
        await database(request).write(domain.change_own_password, viewer.principal, data)
    except ValidationFailed as refused:
        return await _page(request, viewer, 422, FieldErrors.of_failure(refused))
    return redirect(PREFERENCES + "?saved=password")


ROUTES = [
    Route("/settings", screen(index), methods=["GET"]),
    Route(PREFERENCES, screen(show_preferences), methods=["GET"]),
    Route(PREFERENCES, screen(save_preferences), methods=["POST"]),
    Route(PREFERENCES + "/password", screen(change_password), methods=["POST"]),
]
