"""The web session: a signed cookie holding the signed-in user and the CSRF token every form and
htmx request sends back; before sign-in, the users a right password matched in several accounts.

HttpOnly and SameSite=Lax (a cross-site POST arrives without it), Secure over HTTPS. Signed with
PILLBOX_SECRET_KEY, as OAuth's sign-in is; without one, a random key per server process.
"""

import secrets
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "pillbox_session"
SESSION_SECONDS = 12 * 3600
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Session:
    csrf: str
    user_id: int | None = None
    # Users whose password matched, in several accounts: the account is asked for next.
    choices: tuple[int, ...] = field(default_factory=tuple)


def new_session(user_id: int | None = None, choices: tuple[int, ...] = ()) -> Session:
    return Session(secrets.token_urlsafe(32), user_id, choices)


def _signer(request: Request) -> URLSafeTimedSerializer:
    state = request.app.state
    signer: URLSafeTimedSerializer | None = getattr(state, "web_signer", None)
    if signer is None:
        key = state.settings.secret_key or secrets.token_hex(32)
        signer = state.web_signer = URLSafeTimedSerializer(key, salt="pillbox.web.session")
    return signer


def read_session(request: Request) -> Session | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _signer(request).loads(raw, max_age=SESSION_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), str):
        return None
    user_id = data.get("u")
    choices = data.get("a") or []
    return Session(
        data["c"],
        user_id if isinstance(user_id, int) else None,
        tuple(i for i in choices if isinstance(i, int)),
    )


def save_session(request: Request, response: Response, session: Session) -> None:
    value = _signer(request).dumps({"c": session.csrf, "u": session.user_id, "a": session.choices})
    response.set_cookie(
        COOKIE,
        value,
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https"
    )


def csrf_matches(session: Session | None, sent: str | None) -> bool:
    return session is not None and secrets.compare_digest(sent or "", session.csrf)
