"""A Pillbox already running elsewhere (`--capsule-url`), reached only through HTTP.

Accounts are opened by its sandbox admin API (`pillbox serve --sandbox`):
`POST /_pillbox/accounts` answers 201 `{"account": {"id", "name"}, "token"}`. Anything else is
reported with the server's own answer, since it usually says what is wrong (a server started
without `--sandbox` answers 404).
"""

import http.client
from typing import Any
from urllib.parse import urlsplit

import orjson

from pillbox.testing import direct_http
from pillbox.testing.accounts import AccountAccess

ACCOUNTS_PATH = "/_pillbox/accounts"
SHOWN_BODY_CHARS = 500


class InvalidPillboxUrl(ValueError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"--capsule-url must be the root of a running Pillbox, like http://127.0.0.1:8000 "
            f"(no path, query or fragment); got {url!r}"
        )


class AccountNotOpened(RuntimeError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"Pillbox at {url} did not open a sandbox account: {reason}")


def server_root(url: str) -> str:
    """`url` without a trailing slash, once it is known to name a server's root."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidPillboxUrl(url)
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise InvalidPillboxUrl(url)
    return f"{parts.scheme}://{parts.netloc}"


def account_from_reply(url: str, reply: direct_http.Reply) -> AccountAccess:
    if reply.status != 201:
        shown = reply.body[:SHOWN_BODY_CHARS].decode("utf-8", "replace")
        raise AccountNotOpened(url, f"{ACCOUNTS_PATH} answered {reply.status}: {shown}")
    try:
        document: Any = orjson.loads(reply.body)
        account = document["account"]
        return AccountAccess(int(account["id"]), str(account["name"]), str(document["token"]))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise AccountNotOpened(url, f"{ACCOUNTS_PATH} answered an unexpected body") from None


class RemotePillbox:
    """A running Pillbox; nothing to start or stop, accounts opened over HTTP."""

    def __init__(self, url: str) -> None:
        self.base_url = server_root(url)

    def open_account(self) -> AccountAccess:
        headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
        try:
            reply = direct_http.send(self.base_url, "POST", ACCOUNTS_PATH, headers, b"{}")
        except (OSError, http.client.HTTPException) as error:
            raise AccountNotOpened(self.base_url, f"cannot connect ({error})") from error
        return account_from_reply(self.base_url, reply)

    def stop(self) -> None:
        """The server outlives the session: there is nothing to stop."""
