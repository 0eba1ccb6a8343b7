"""The consent page's sign-in session: a signed cookie, scoped to /oauth, holding the signed-in
user and the CSRF token every form on the page must send back.

The cookie is SameSite=Lax, so a cross-site POST arrives without it and is refused as well.
"""

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "pillbox_oauth"
SESSION_SECONDS = 3600


@dataclass(frozen=True)
class Session:
    csrf: str
    user_id: int | None = None


def new_session(user_id: int | None = None) -> Session:
    return Session(secrets.token_urlsafe(32), user_id)


def _signer(request: Request) -> URLSafeTimedSerializer:
    state = request.app.state
    signer: URLSafeTimedSerializer | None = getattr(state, "oauth_signer", None)
    if signer is None:
        key = state.settings.secret_key or secrets.token_hex(32)
        signer = state.oauth_signer = URLSafeTimedSerializer(key, salt="pillbox.oauth.session")
    return signer


def read_session(request: Request) -> Session | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _signer(request).loads(raw, max_age=SESSION_SECONDS)
    except BadSignature:
        return None
    user_id = data.get("user")
    return Session(str(data["csrf"]), user_id if isinstance(user_id, int) else None)


def save_session(request: Request, response: Response, session: Session) -> None:
    value = _signer(request).dumps({"csrf": session.csrf, "user": session.user_id})
    response.set_cookie(
        COOKIE,
        value,
        max_age=SESSION_SECONDS,
        path="/oauth",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def csrf_matches(session: Session | None, sent: str | None) -> bool:
    return session is not None and secrets.compare_digest(sent or "", session.csrf)
