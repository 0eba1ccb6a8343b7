"""/login and /logout: email and password (argon2), then, when the email belongs to users of
several accounts, which account; sign-in attempts throttled per email and per address."""

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain.passwords import password_matches
from pillbox.numbers import whole_number
from pillbox.store.sign_in import Candidate, candidates
from pillbox.web import session as sessions
from pillbox.web.forms import text
from pillbox.web.kit import HEADERS, database, local_path, redirect, render
from pillbox.web.throttle import SignInThrottle


@dataclass(frozen=True)
class Choice:
    user_id: int
    account_name: str


def _throttle(request: Request) -> SignInThrottle:
    throttle: SignInThrottle | None = getattr(request.app.state, "sign_in_throttle", None)
    if throttle is None:
        throttle = request.app.state.sign_in_throttle = SignInThrottle()
    return throttle


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _page(
    request: Request,
    session: sessions.Session,
    status: int = 200,
    email: str = "",
    failed: bool = False,
    choices: list[Choice] | None = None,
) -> Response:
    response = render(
        request,
        "login.html",
        None,
        status=status,
        csrf_token=session.csrf,
        email=email,
        failed=failed,
        choices=choices or [],
        next=local_path(request.query_params.get("next")),
    )
    sessions.save_session(request, response, session)
    return response


async def show(request: Request) -> Response:
    session = sessions.read_session(request)
    if session is not None and session.user_id is not None:
        return redirect(local_path(request.query_params.get("next")))
    # A signed-out session keeps its token: a second tab's (or a stray request's) visit to this
    # page must not invalidate the form already open in the first.
    return _page(request, session or sessions.new_session())


def _matching(found: list[Candidate], password: str) -> list[Candidate]:
    """The users whose password this is; argon2 is slow on purpose, so this runs off the loop.
    An unknown email costs one verification too, so timing does not tell emails apart."""
    if not found:
        password_matches(None, password)
        return []
    return [user for user in found if password_matches(user.password_hash, password)]


async def submit(request: Request) -> Response:
    session = sessions.read_session(request)
    form = await request.form()
    if not sessions.csrf_matches(session, text(form, sessions.CSRF_FIELD)):
        return render(request, "error.html", None, status=403, status_code=403)
    if text(form, "account"):
        return await _choose(request, session, text(form, "account"))
    email, password = text(form, "email"), form.get("password")
    throttle, address = _throttle(request), _address(request)
    if throttle.blocked(email, address):
        wait = throttle.retry_after(email, address)
        response = render(
            request, "error.html", None, status=429, status_code=429, retry_after=wait
        )
        response.headers["Retry-After"] = str(wait)
        return response
    found = await database(request).read(candidates, email)
    matched = await run_in_threadpool(
        _matching, found, password if isinstance(password, str) else ""
    )
    if not matched:
        throttle.failed(email, address)
        return _page(request, sessions.new_session(), 200, email, failed=True)
    if len(matched) == 1:
        return _signed_in(request, matched[0].user_id)
    choices = [Choice(user.user_id, user.account_name) for user in matched]
    pending = sessions.new_session(choices=tuple(c.user_id for c in choices))
    return _page(request, pending, email=email, choices=choices)


async def _choose(request: Request, session: sessions.Session | None, raw: str) -> Response:
    """The account picked after the password: only one the password was right for."""
    allowed = session.choices if session else ()
    account_id = whole_number(raw)
    if account_id is None or account_id not in allowed:
        return _page(request, sessions.new_session())
    return _signed_in(request, account_id)


def _signed_in(request: Request, user_id: int) -> Response:
    response = redirect(local_path(request.query_params.get("next")))
    # A fresh session (new CSRF token) at every sign-in: no token survives from before it.
    sessions.save_session(request, response, sessions.new_session(user_id))
    response.headers.update(HEADERS)
    return response


async def sign_out(request: Request) -> Response:
    session = sessions.read_session(request)
    form = await request.form()
    if not sessions.csrf_matches(session, text(form, sessions.CSRF_FIELD)):
        return render(request, "error.html", None, status=403, status_code=403)
    response = redirect("/login")
    sessions.end_session(request, response)
    return response


ROUTES = [
    Route("/login", show, methods=["GET"]),
    Route("/login", submit, methods=["POST"]),
    Route("/logout", sign_out, methods=["POST"]),
]
