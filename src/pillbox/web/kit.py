"""What every screen does the same way: templates, the signed-in viewer, CSRF on every POST,
one transaction per request, the 404/403 pages and redirects after a post.

A screen is `@screen async def show(request, viewer) -> Response`; a signed-out visitor is sent
to /login?next=…, a POST without the session's CSRF token is refused with 403, and a record of
another account or none at all is the one 404 page.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pillbox.domain import changes
from pillbox.errors import AdminRequired, ApiError, InsufficientScope, NotFound
from pillbox.numbers import whole_number
from pillbox.store.accounts import Principal
from pillbox.store.sign_in import SignedInUser, signed_in_user
from pillbox.web import session as sessions
from pillbox.web.format import FILTERS, party_name

T = TypeVar("T")
TEMPLATES = Path(__file__).parent / "templates"

# No framing (clickjacking) and nothing but our own scripts and styles.
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
environment.filters.update(FILTERS)
environment.globals["party_name"] = party_name


class Database(Protocol):
    """The app's per-request transactions (app.state.db): commit on return, roll back on raise."""

    async def read(self, fn: Callable[..., T], *args: Any) -> T: ...

    async def write(self, fn: Callable[..., T], *args: Any) -> T: ...


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


@dataclass(frozen=True)
class Viewer:
    """The signed-in user, acting with full rights of their own user, as a write token does."""

    user: SignedInUser
    csrf: str

    @property
    def principal(self) -> Principal:
        return Principal(self.user.user_id, self.user.account_id, "read write", self.user.is_admin)

    @property
    def account_id(self) -> int:
        return self.user.account_id


def render(
    request: Request,
    template: str,
    viewer: Viewer | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    html = environment.get_template(template).render(
        request=request, viewer=viewer, csrf=viewer.csrf if viewer else "", **context
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def error_page(request: Request, viewer: Viewer | None, status: int) -> HTMLResponse:
    return render(request, "error.html", viewer, status=status, status_code=status)


def redirect(url: str) -> RedirectResponse:
    """After a post, to the page that shows its result (303: the browser GETs it)."""
    return RedirectResponse(url, status_code=303)


def local_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default`: `next` never leads elsewhere."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(c in target for c in "\r\n\t"):
        return default
    return target


def _sign_in_redirect(request: Request) -> RedirectResponse:
    """To /login, coming back here after; a form posted signed out comes back to the start page
    (its address answers posts, not page views)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method not in ("GET", "HEAD"):
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(f"/login?next={quote(here, safe='/')}", status_code=303)


async def csrf_sent(request: Request) -> str | None:
    header = request.headers.get(sessions.CSRF_HEADER)
    if header:
        return header
    if not request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return None
    sent = (await request.form()).get(sessions.CSRF_FIELD)
    return sent if isinstance(sent, str) else None


Handler = Callable[[Request, Viewer], Awaitable[Response]]


async def current_viewer(request: Request) -> Viewer | None:
    """The signed-in user of the request's session, while they exist; else None."""
    session = sessions.read_session(request)
    if session is None or session.user_id is None:
        return None
    user = await database(request).read(signed_in_user, session.user_id)
    return Viewer(user, session.csrf) if user is not None else None


def screen(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        viewer = await current_viewer(request)
        if viewer is None:
            return _sign_in_redirect(request)
        if request.method == "POST" and not sessions.csrf_matches(
            sessions.read_session(request), await csrf_sent(request)
        ):
            return error_page(request, viewer, 403)
        try:
            with changes.via("web"):  # the change history says where a write came from
                return await handler(request, viewer)
        except NotFound:
            return error_page(request, viewer, 404)
        except (AdminRequired, InsufficientScope):
            return render(
                request, "error.html", viewer, status=403, status_code=403, admin_only=True
            )
        except ApiError as error:  # any other refusal by the rules: its message, on a page
            return render(
                request,
                "error.html",
                viewer,
                status=error.status,
                status_code=error.status,
                message=error.message,
            )

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


def path_id(request: Request, name: str = "id") -> int:
    """A record id from the path; anything else is the same 404 as a missing record."""
    raw = str(request.path_params[name])
    record_id = whole_number(raw)
    if not record_id:
        raise NotFound()
    return record_id


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
