"""/oauth/authorise: sign in, then Allow or Deny, then back to the app with a code or an error.

Every step re-validates the authorisation request (client, redirect URI, scope, PKCE challenge),
which travels in the query string of the page and of its forms. Requests that name no known
client or a redirect URI it did not register get an error page; any other refusal goes back to
the app's redirect URI, as RFC 6749 §4.1.2.1 says.
"""

import sqlalchemy as sa
from authlib.oauth2.rfc6749 import OAuth2Error
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pillbox.api.kit.resource import database
from pillbox.api.oauth.pages import consent_page, error_page, sign_in_page
from pillbox.api.oauth.protocol import body_params, oauth_request, to_response
from pillbox.api.oauth.session import (
    Session,
    csrf_matches,
    new_session,
    read_session,
    save_session,
)
from pillbox.domain.oauth import (
    App,
    OAuthRequest,
    OAuthServer,
    Reply,
    User,
    sign_in,
    signed_in_user,
    user_by_email,
)


def _refused(error: OAuth2Error) -> Response:
    if error.redirect_uri:
        return to_response(error())
    return error_page(error.get_error_description() or error.error)


def _query(request: Request) -> OAuthRequest:
    return oauth_request(request, list(request.query_params.multi_items()))


def _self(request: Request) -> str:
    """The page's own address, which keeps the authorisation request in its query string."""
    return f"{request.url.path}?{request.url.query}"


def _again(request: Request, session: Session | None = None) -> Response:
    response = RedirectResponse(_self(request), status_code=303)
    if session is not None:
        save_session(request, response, session)
    return response


async def show(request: Request) -> Response:
    session = read_session(request)
    user_id = session.user_id if session else None
    oauth = _query(request)

    def load(conn: sa.Connection) -> tuple[App, User | None, str]:
        grant = OAuthServer(conn).get_consent_grant(oauth)
        return grant.client, signed_in_user(conn, grant.client, user_id), oauth.scope

    try:
        app, user, scope = await database(request).read(load)
    except OAuth2Error as error:
        return _refused(error)
    current = session or new_session()
    if user is None:
        page = sign_in_page(_self(request), current.csrf, app.name)
    else:
        page = consent_page(_self(request), current.csrf, app.name, scope)
    if session is None:
        save_session(request, page, current)
    return page


async def submit(request: Request) -> Response:
    session = read_session(request)
    form = dict(await body_params(request) or [])
    if session is None or not csrf_matches(session, form.get("csrf")):
        return error_page("This form has expired. Go back to the app and start again.")
    action = form.get("action")
    if action not in ("sign_in", "allow", "deny"):
        return error_page("Choose Sign in, Allow or Deny.")
    try:
        if action == "sign_in":
            return await _sign_in(request, form)
        return await _decide(request, session, allow=action == "allow")
    except OAuth2Error as error:
        return _refused(error)


async def _sign_in(request: Request, form: dict[str, str]) -> Response:
    oauth = _query(request)
    email, password = form.get("email", ""), form.get("password", "")

    def find(conn: sa.Connection) -> tuple[App, User | None]:
        app = OAuthServer(conn).get_consent_grant(oauth).client
        return app, user_by_email(conn, app, email)

    app, candidate = await database(request).read(find)
    user = await run_in_threadpool(sign_in, candidate, password)
    if user is None:
        current = new_session()
        page = sign_in_page(_self(request), current.csrf, app.name, email, failed=True)
        save_session(request, page, current)
        return page
    return _again(request, new_session(user.id))


async def _decide(request: Request, session: Session, allow: bool) -> Response:
    oauth = _query(request)

    def decide(conn: sa.Connection) -> Reply | None:
        server = OAuthServer(conn)
        grant = server.get_consent_grant(oauth)
        user = signed_in_user(conn, grant.client, session.user_id)
        if user is None:
            return None
        reply: Reply = server.create_authorization_response(
            oauth, grant_user=user if allow else None, grant=grant
        )
        return reply

    reply = await database(request).write(decide)
    return _again(request) if reply is None else to_response(reply)
