"""`Capsule`: what a test gets from the `capsule` fixture, one fresh account on a running Pillbox.

- `base_url` is the server's root, where Capsule's is https://api.capsulecrm.com: integrations
  take that root and add `/api/v2/...` themselves. `api_url` is the root with `/api/v2`, and the
  HTTP helpers (`get`, `post`, …) take paths below it: `capsule.get("/parties")`.
- Records are made through the HTTP API, under the same rules as any client's, and come back as
  the API shows them. The named helpers fill in what the API requires and a test rarely cares
  about (a name, a party, the account's first milestone); anything else is passed as the API's
  own camelCase properties: `capsule.person("Ada", "Lovelace", jobTitle="Engineer")`.
- A helper that is refused raises `RequestFailed` with the status and Pillbox's answer, so a
  test never goes on with a record that was not made.
- The httpx client is made on first use, over one TLS context for the whole process: httpx
  builds a new one per client otherwise, which costs more than opening the account.
"""

import datetime
import itertools
import ssl
from collections.abc import Mapping
from contextlib import AbstractContextManager
from functools import cache, cached_property
from typing import Any

import httpx

from pillbox.api.paths import V2_PREFIX as API_PREFIX
from pillbox.testing.accounts import AccountAccess

TIMEOUT_SECONDS = 30.0
SHOWN_BODY_CHARS = 1000

Record = dict[str, Any]
Ref = int | Mapping[str, Any]  # a record's id, or the record itself as a helper returned it


class RequestFailed(Exception):
    def __init__(self, response: httpx.Response) -> None:
        request = response.request
        super().__init__(
            f"{request.method} {request.url} answered {response.status_code}: "
            f"{response.text[:SHOWN_BODY_CHARS]}"
        )
        self.response = response


@cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _ref(record: Ref) -> dict[str, Any]:
    return {"id": record if isinstance(record, int) else record["id"]}


class Capsule:
    """One fresh account on a running Pillbox: its address, its token, and ways to fill it."""

    def __init__(self, base_url: str, access: AccountAccess) -> None:
        self.base_url = base_url
        self.api_url = base_url + API_PREFIX
        self.account_id = access.account_id
        self.account_name = access.name
        self.token = access.token
        self._numbers = itertools.count(1)
        self._moved_clock = False
        self._forks: list[Capsule] = []  # and other handles made from this one
        self.user: Record | None = None  # set on handles that `add_user()` returns

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @cached_property
    def http(self) -> httpx.Client:
        """An httpx client bound to `api_url` that sends this account's token."""
        return httpx.Client(
            base_url=self.api_url,
            headers=self.headers,
            verify=_tls_context(),
            timeout=TIMEOUT_SECONDS,
        )

    def intercept(self) -> AbstractContextManager[None]:
        """While active, requests and httpx calls to api.capsulecrm.com are served here."""
        from pillbox.testing.intercept import intercept  # needs responses and respx

        return intercept(self.base_url)

    def close(self) -> None:
        """Ends the handle: the clock back to real time if this test moved it, clients closed."""
        if self._moved_clock:
            self.real_time()
        for fork in self._forks:
            fork.close()
        if "http" in self.__dict__:
            self.http.close()

    # Plain HTTP, paths below api_url.

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    # Records.

    def create(self, path: str, body: Mapping[str, Any]) -> Record:
        """POSTs `body` (with its root key: `{"party": {...}}`) and returns the new record."""
        response = self.post(path, json=body)
        if response.status_code != 201:
            raise RequestFailed(response)
        (record,) = response.json().values()
        return dict(record)

    def party(self, **properties: Any) -> Record:
        """A party: a person unless `type="organisation"` is given."""
        if properties.get("type") == "organisation":
            return self.organisation(**properties)
        return self.person(**properties)

    def person(
        self, first_name: str | None = None, last_name: str | None = None, **properties: Any
    ) -> Record:
        names = {"firstName": first_name or "Test", "lastName": last_name or self._name("Person")}
        return self.create("/parties", {"party": {**names, **properties, "type": "person"}})

    def organisation(self, name: str | None = None, **properties: Any) -> Record:
        # Organisation names are unique within an account, hence the number.
        party = {"name": name or self._name("Organisation"), **properties, "type": "organisation"}
        return self.create("/parties", {"party": party})

    def opportunity(
        self,
        name: str | None = None,
        party: Ref | None = None,
        milestone: Ref | None = None,
        **properties: Any,
    ) -> Record:
        """An opportunity; by default on a new organisation, at the account's first milestone."""
        opportunity = {
            "name": name or self._name("Opportunity"),
            "party": _ref(party if party is not None else self.organisation()),
            "milestone": _ref(milestone if milestone is not None else self.first_milestone()),
            **properties,
        }
        return self.create("/opportunities", {"opportunity": opportunity})

    def kase(self, name: str | None = None, party: Ref | None = None, **properties: Any) -> Record:
        """A project (Capsule's API calls them kases); by default on a new organisation."""
        kase = {
            "name": name or self._name("Project"),
            "party": _ref(party if party is not None else self.organisation()),
            **properties,
        }
        return self.create("/kases", {"kase": kase})

    project = kase

    def task(
        self, description: str | None = None, due_on: str | None = None, **properties: Any
    ) -> Record:
        """A task, due today unless `due_on` (YYYY-MM-DD) says otherwise."""
        task = {
            "description": description or self._name("Task"),
            "dueOn": due_on or datetime.date.today().isoformat(),
            **properties,
        }
        return self.create("/tasks", {"task": task})

    def note(
        self,
        content: str | None = None,
        *,
        party: Ref | None = None,
        opportunity: Ref | None = None,
        kase: Ref | None = None,
        **properties: Any,
    ) -> Record:
        """A note on the party, opportunity or project given; on a new person when none is."""
        links = {"party": party, "opportunity": opportunity, "kase": kase}
        linked = {name: _ref(record) for name, record in links.items() if record is not None}
        entry = {
            "type": "note",
            "content": content or self._name("Note"),
            **(linked or {"party": _ref(self.person())}),
            **properties,
        }
        return self.create("/entries", {"entry": entry})

    entry = note

    def first_milestone(self) -> Record:
        """The first milestone of the account's first pipeline."""
        response = self.get("/milestones", params={"perPage": 1})
        if response.status_code != 200:
            raise RequestFailed(response)
        return dict(response.json()["milestones"][0])

    def _name(self, kind: str) -> str:
        return f"{kind} {next(self._numbers)}"

    # The sandbox's controls (/_pillbox/), acting on this account.

    def admin(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        """Calls the sandbox admin API; returns its JSON answer (None for a 204)."""
        response = self.http.request(
            method, self.base_url + "/_pillbox" + path, json=body if body is not None else None
        )
        if response.status_code >= 300:
            raise RequestFailed(response)
        return response.json() if response.content else None

    def add_user(
        self,
        name: str | None = None,
        email: str | None = None,
        admin: bool = False,
        password: str | None = None,
        **properties: Any,
    ) -> "Capsule":
        """A handle on another user of this account, with a write token of their own (not an
        administrator unless `admin`); its `user` is the user as the sandbox made them. A
        `password` lets them sign in to authorise an OAuth app."""
        given = {"name": name, "email": email, "admin": admin, "password": password}
        document = {k: v for k, v in {**given, **properties}.items() if v is not None}
        answer = self.admin("POST", "/users", document)
        handle = self._handle(answer["token"])
        handle.user = dict(answer["user"])
        return handle

    def new_token(self, scope: str = "write", user: Ref | None = None) -> str:
        """A new personal token, `read` or `write`, of this handle's user or of `user`."""
        document: dict[str, Any] = {"scope": scope}
        if user is not None:
            document["user"] = _ref(user)["id"]
        return str(self.admin("POST", "/tokens", document)["token"])

    def read_only(self) -> "Capsule":
        """A handle on the same user with a read-scope token: its writes are refused (403)."""
        return self._handle(self.new_token("read"))

    def oauth_app(self, name: str | None = None, redirect_uris: list[str] | None = None) -> Record:
        """An OAuth app registered in this account: `clientId`, `clientSecret` (shown only
        here), `name`, `redirectUris`, and the server's `authorizeUrl` and `tokenUrl`."""
        document: dict[str, Any] = {"name": name} if name else {}
        if redirect_uris is not None:
            document["redirectUris"] = redirect_uris
        app = dict(self.admin("POST", "/apps", document)["app"])
        app["authorizeUrl"] = self.base_url + "/oauth/authorise"
        app["tokenUrl"] = self.base_url + "/oauth/token"
        return app

    def _handle(self, token: str) -> "Capsule":
        access = AccountAccess(self.account_id, self.account_name, token)
        handle = Capsule(self.base_url, access)
        self._forks.append(handle)  # closed with this one
        return handle

    def snapshot(self, name: str) -> Record:
        """Saves every record of the account under `name`."""
        return dict(self.admin("POST", "/snapshots", {"name": name})["snapshot"])

    def restore(self, name: str) -> None:
        """Puts the account back as it was saved under `name`, same ids."""
        self.admin("POST", f"/snapshots/{name}/restore")

    def reset(self) -> None:
        """Empties the account back to how a new one starts; the token keeps working."""
        self.admin("POST", "/reset")

    def fork(self, name: str | None = None) -> "Capsule":
        """A handle on a new account holding a copy of every record of this one."""
        answer = self.admin("POST", "/fork", {"name": name} if name else {})
        access = AccountAccess(answer["account"]["id"], answer["account"]["name"], answer["token"])
        forked = Capsule(self.base_url, access)
        self._forks.append(forked)
        return forked

    def set_clock(self, now: str | datetime.datetime, frozen: bool = True) -> None:
        """Sets the sandbox's clock (the whole server's) until the test ends."""
        moment = now.isoformat() if isinstance(now, datetime.datetime) else now
        self._moved_clock = True
        self.admin("PUT", "/clock", {"now": moment, "frozen": frozen})

    def advance(self, days: int = 0, hours: int = 0, minutes: int = 0, seconds: int = 0) -> str:
        """Moves the clock forward; returns the new time."""
        self._moved_clock = True
        step = {"days": days, "hours": hours, "minutes": minutes, "seconds": seconds}
        return str(self.admin("POST", "/clock/advance", step)["clock"]["now"])

    def real_time(self) -> None:
        self.admin("DELETE", "/clock")
        self._moved_clock = False

    def seed_ids(self, seed: int) -> None:
        """Numbers the account's new records from `seed`: the same ids run after run."""
        self.admin("PUT", "/ids", {"seed": seed})

    def strict(self, mode: str) -> None:
        """`report` (findings in X-Pillbox-Strict), `fail` (refused with a 400) or `off`."""
        self.admin("PUT", "/strict", {"mode": mode})

    def fault(self, **rule: Any) -> Record:
        """Adds a fault rule, in the API's own keys: `fault(status=503, path="/api/v2/parties*")`,
        `fault(latencyMs=200, times=3)`, `fault(drop=True)`, `fault(holdJobs=True)`."""
        return dict(self.admin("POST", "/faults", rule)["fault"])

    def clear_faults(self) -> None:
        self.admin("DELETE", "/faults")

    def release_jobs(self) -> list[str]:
        """Lets the jobs held by a `holdJobs` fault run; returns their ids."""
        return list(self.admin("POST", "/jobs/release")["released"])

    def journal(self, **filters: Any) -> list[Record]:
        """The account's latest requests, newest first: `journal(method="POST", status="4xx")`."""
        response = self.http.get(self.base_url + "/_pillbox/journal", params=filters)
        if response.status_code != 200:
            raise RequestFailed(response)
        return list(response.json()["requests"])
