"""Every route the application serves x a second account aiming at the first account's records.

The routes are read from the application itself (API v2, v1, OAuth, and the sandbox's admin API
in a sandbox), so a route added later is in the matrix without a change here; a path parameter
this file cannot fill with a real record of the first account fails the test by name.

For each route and method, the second account's request, carrying ids of real records of the
first account, must answer exactly as the same request with ids that exist nowhere (the same 404,
or the same 401/403/400 where those come first); no answer may hold the first account's data
(its records all carry a marker string); and the first account's stored data, read through
`store.account_data`, must be the same after each write as before it (and after all the reads).
"""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.routing import BaseRoute, Route
from starlette.testclient import TestClient

from pillbox.api import v2
from pillbox.settings import Settings
from pillbox.store import account_data
from pillbox.web.routes import fallback_routes, web_routes
from tests.api.v2.examples import EXAMPLES
from tests.conftest import Account

MARKER = f"zq{uuid.uuid4().hex[:10]}"
MISSING_ID = "987654321"
MISSING_JOB = str(uuid.uuid4())
MISSING_NAME = "no-such-name"
RESOURCES = {e.resource.path: e.resource for e in v2.endpoints() if e.resource}


@dataclass(frozen=True)
class Case:
    method: str
    template: str  # the route's path with its {parameters}


def cases(routes: list[BaseRoute]) -> list[Case]:
    """Every (method, path) the routes serve, walking groups of routes (v2 segments, v1)."""
    found: list[Case] = []
    for route in routes:
        inner = getattr(route, "routes", None)
        if inner is not None:
            found += cases(inner)
        elif isinstance(route, Route):
            template = route.path.replace(":pillbox_ids", "").replace(":pillbox_id", "")
            template = template.replace(":path", "").replace(":int", "")
            found += [Case(method, template) for method in sorted(route.methods or [])]
    return found


# The web interface's screens answer a request without a signed-in session with the sign-in page;
# their matrix, signed in as a user of another account, is tests/web/test_isolation_matrix.py.


# -- the first account's records ---------------------------------------------------------------


def _created(account: Account, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = account.post(path, body)
    assert response.status_code == 201, (path, response.text)
    return dict(next(iter(response.json().values())))


def records_of(account: Account) -> dict[str, str]:
    """One record of every kind in the account, marked; their ids by the path that names them."""
    ids: dict[str, str] = {"/users": str(account.user_id)}
    hook = _created(
        account,
        "/resthooks",
        {"restHook": {"event": "party/created", "targetUrl": "https://h.invalid/"}},
    )
    ids["/resthooks"] = str(hook["id"])
    for path, resource in RESOURCES.items():
        if resource.create is None or path == "/resthooks":
            continue
        body = EXAMPLES[resource.key][0](account)
        for name in ("name", "description", "title"):
            if isinstance(body.get(name), str):
                body[name] = f"{body[name]} {MARKER}"
        ids[path] = str(_created(account, path, {resource.singular: body})["id"])
    field = _created(
        account,
        "/parties/fields/definitions",
        {"definition": {"name": f"Size {MARKER}", "type": "text"}},
    )
    person = _created(
        account,
        "/parties",
        {
            "party": {
                "type": "person",
                "lastName": f"Person {MARKER}",
                "emailAddresses": [{"address": f"{MARKER}@example.com"}],
                "tags": [{"name": f"Tag {MARKER}"}],
                "fields": [{"definition": field["id"], "value": f"Big {MARKER}"}],
            }
        },
    )
    shown = account.get(f"/parties/{person['id']}?embed=fields").json()["party"]
    entry = _created(
        account,
        "/entries",
        {"entry": {"type": "note", "party": {"id": person["id"]}, "content": f"Note {MARKER}"}},
    )
    upload = account.request(
        "POST",
        "/attachments/upload",
        content=MARKER.encode(),
        headers={"Content-Type": "text/plain", "X-Attachment-Filename": f"{MARKER}.txt"},
    )
    assert upload.status_code == 200, upload.text
    with_file = _created(
        account,
        "/entries",
        {
            "entry": {
                "type": "note",
                "party": {"id": person["id"]},
                "content": f"Filed {MARKER}",
                "attachments": [{"token": upload.json()["upload"]["token"]}],
            }
        },
    )
    deliveries = account.get(f"/resthooks/{hook['id']}/deliveries").json()["deliveries"]
    spare_tag = _created(account, "/parties/tags", {"tag": {"name": f"Spare {MARKER}"}})
    job = account.delete(f"/parties/tags/{spare_tag['id']}")
    assert job.status_code == 202, job.text
    ids.update(
        {
            "person": str(person["id"]),
            "contact": str(shown["emailAddresses"][0]["id"]),
            "value": str(shown["fields"][0]["id"]),
            "tag name": f"Tag {MARKER}",
            "history": str(entry["id"]),
            "/attachments": str(with_file["attachments"][0]["id"]),
            "delivery": str(deliveries[0]["id"]),
            "job": job.headers["Location"].rsplit("/", 1)[1],
        }
    )
    return ids


# -- filling a route's parameters ---------------------------------------------------------------

V1_SEGMENTS = {
    "party": "person",
    "person": "person",
    "organisation": "/parties",
    "organization": "/parties",
    "task": "/tasks",
    "opportunity": "/opportunities",
    "kase": "/kases",
    "history": "history",
}
NAMED = {
    "partyId": "person",
    "historyId": "history",
    "contactId": "contact",
    "valueId": "value",
    "deliveryId": "delivery",
    "jobId": "job",
}


def _key(template: str, parameter: str) -> str:
    if parameter in NAMED:
        return NAMED[parameter]
    before = template.split("{" + parameter + "}", 1)[0].rstrip("/")
    if before.startswith("/api/v2/"):
        return before.removeprefix("/api/v2").split("/{", 1)[0]
    if before.startswith("/_pillbox/"):
        return {"/_pillbox/jobs": "job"}.get(before, before)
    if parameter == "name":
        return "tag name"
    return V1_SEGMENTS.get(before.rsplit("/", 1)[1], before)


def parameters(template: str) -> list[str]:
    return [part.split("}", 1)[0] for part in template.split("{")[1:]]


def fill(template: str, values: dict[str, str], missing: bool) -> str:
    path = template
    for parameter in parameters(template):
        key = _key(template, parameter)
        assert key in values, f"no record of the first account for {{{parameter}}} in {template}"
        value = values[key]
        if missing and key == "job":
            value = MISSING_JOB
        elif missing:
            value = MISSING_ID if value.isdigit() else MISSING_NAME
        path = path.replace("{" + parameter + "}", value)
    return path


def body_for(template: str) -> dict[str, Any]:
    """A valid change, so that a refusal is about whose record it is, not about the body."""
    if template.startswith("/api/v2/"):
        stem = template.removeprefix("/api/v2").split("/{", 1)[0]
        resource = RESOURCES.get(stem)
        if resource is not None and resource.key in EXAMPLES:
            return {resource.singular: EXAMPLES[resource.key][1](None)}
    return {}


# -- the matrix ---------------------------------------------------------------------------------


def _account_rows(engine: sa.Engine, account_id: int) -> account_data.Rows:
    with engine.connect() as conn:
        return account_data.read(conn, account_id)


def send(client: TestClient, token: str, case: Case, path: str) -> Any:
    kwargs: dict[str, Any] = {"headers": {"Authorization": f"Bearer {token}"}}
    if path.startswith("/api/") and not path.startswith("/api/v2/"):
        kwargs = {"auth": (token, "x"), "headers": {"Accept": "application/json"}}
    if case.method in ("POST", "PUT"):
        kwargs["json"] = body_for(case.template)
    return client.request(case.method, path, **kwargs)


def run_matrix(
    engine: sa.Engine,
    client: TestClient,
    owner: Account,
    intruder: Account,
    routes: list[Case],
    more_ids: dict[str, str] | None = None,
) -> list[str]:
    """Sends every case as the intruder; returns what went wrong, every case checked."""
    ids = {**records_of(owner), **(more_ids or {})}
    failures: list[str] = []
    before = _account_rows(engine, owner.id)
    for case in routes:
        real = send(client, intruder.token, case, fill(case.template, ids, missing=False))
        where = f"{case.method} {case.template}"
        if parameters(case.template):
            nowhere = send(client, intruder.token, case, fill(case.template, ids, missing=True))
            if (real.status_code, real.content) != (nowhere.status_code, nowhere.content):
                failures.append(
                    f"{where}: {real.status_code} {real.text[:200]!r}, but a "
                    f"missing id: {nowhere.status_code} {nowhere.text[:200]!r}"
                )
        if real.status_code >= 500:
            failures.append(f"{where}: {real.status_code}")
        if MARKER in real.text:
            failures.append(f"{where}: the answer holds the first account's data")
        if case.method not in ("GET", "HEAD"):  # reads are checked together, at the end
            before = _unchanged(engine, owner.id, before, where, failures)
    _unchanged(engine, owner.id, before, "the reads", failures)
    return failures


def _unchanged(
    engine: sa.Engine, account_id: int, before: account_data.Rows, where: str, failures: list[str]
) -> account_data.Rows:
    after = _account_rows(engine, account_id)
    if after != before:
        changed = sorted(t for t in after if after[t] != before.get(t))
        failures.append(f"{where}: changed the first account's {changed}")
    return after


def test_no_route_reaches_another_accounts_records(app, engine, client, account, other_account):
    screens = set(cases([*web_routes(), *fallback_routes()]))
    routes = [case for case in cases(app.routes) if case not in screens]
    failures = run_matrix(engine, client, account, other_account, routes)
    print(f"isolation matrix: {len(routes)} route x method pairs")
    assert not failures, "\n".join(failures)
    assert len(routes) > 250  # v2, v1 and OAuth routes were all found


class TestSandbox:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"sandbox": True})

    def test_no_sandbox_route_reaches_another_accounts_records(
        self, app, engine, client, account, other_account
    ):
        sandbox = [case for case in cases(app.routes) if case.template.startswith("/_pillbox/")]
        owner = {"Authorization": f"Bearer {account.token}"}
        snapshot = {"name": f"snap-{MARKER}"}
        assert client.post("/_pillbox/snapshots", json=snapshot, headers=owner).status_code == 201
        fault = client.post(
            "/_pillbox/faults", json={"status": 503, "path": "/none"}, headers=owner
        )
        assert fault.status_code == 201, fault.text
        owned = {
            "/_pillbox/snapshots": snapshot["name"],
            "/_pillbox/faults": str(fault.json()["fault"]["id"]),
        }
        kept = [
            client.get(f"/_pillbox/{what}", headers=owner).json()
            for what in ("snapshots", "faults")
        ]
        failures = run_matrix(engine, client, account, other_account, sandbox, owned)
        assert not failures, "\n".join(failures)
        assert kept == [
            client.get(f"/_pillbox/{what}", headers=owner).json()
            for what in ("snapshots", "faults")
        ]
        assert len(sandbox) >= 20
