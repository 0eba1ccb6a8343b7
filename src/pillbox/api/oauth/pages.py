"""The sign-in, consent and error pages of /oauth/authorise: minimal HTML, every value escaped."""

from html import escape

from starlette.responses import HTMLResponse

SCOPE_TEXTS = {
    "read": "Read the data of your account",
    "write": "Create, change and delete data in your account",
    "user_preference": "Change your user preferences",
    "profile": "Know your name and language",
    "email": "Know your email address",
    "tenant": "Know which account you belong to",
}

# Framing is refused so that no other site can trick a click on Allow.
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}

_STYLE = "body{font-family:sans-serif;max-width:26rem;margin:3rem auto}label,input{display:block}"


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f'</title><meta name="viewport" content="width=device-width">'
        f"<style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


def _form(action: str, csrf: str, fields: str) -> str:
    return (
        f'<form method="post" action="{escape(action)}">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">{fields}</form>'
    )


def sign_in_page(
    action: str, csrf: str, app_name: str, email: str = "", failed: bool = False
) -> HTMLResponse:
    notice = "<p><strong>Wrong email or password.</strong></p>" if failed else ""
    fields = (
        f'<label>Email <input type="email" name="email" value="{escape(email)}" required '
        'autocomplete="username"></label><label>Password <input type="password" name="password" '
        'required autocomplete="current-password"></label>'
        '<button name="action" value="sign_in">Sign in</button>'
    )
    intro = f"<p>Sign in to let <strong>{escape(app_name)}</strong> use your account.</p>"
    return _page("Sign in", intro + notice + _form(action, csrf, fields))


def consent_page(action: str, csrf: str, app_name: str, scope: str) -> HTMLResponse:
    items = "".join(f"<li>{escape(SCOPE_TEXTS[s])}</li>" for s in scope.split() if s in SCOPE_TEXTS)
    intro = f"<p><strong>{escape(app_name)}</strong> asks to:</p><ul>{items}</ul>"
    buttons = (
        '<button name="action" value="allow">Allow</button> '
        '<button name="action" value="deny">Deny</button>'
    )
    return _page("Authorise an app", intro + _form(action, csrf, buttons))


def error_page(message: str, status: int = 400) -> HTMLResponse:
    return _page("This request cannot be authorised", f"<p>{escape(message)}</p>", status)
