"""Every web route x a signed-in user of another account aiming at the first account's records.

The routes are read from the web interface's own route table, so a screen added later is in the
matrix without a change here. A path parameter is filled with a real record of the first account,
found by the parameter's name (and, for `{id}`, by the collection before it: `/tasks/{id}` is a
task); a parameter this file cannot fill fails the test, naming the route and what to add.

For each route and method, the second account's request (a form post carrying its own session's
CSRF token) must answer exactly as the same request with ids that exist nowhere (the same 404
page, or the same 403 or redirect where that comes first); no answer may hold the first account's
data (its records' marker, its user's email, its account's name); and the first account's stored
data, read through `store.account_data`, must be the same after each post as before it (and
after all the reads).
"""

from typing import Any

import pytest
import sqlalchemy as sa

from pillbox.store.tables.accounts import tokens
from pillbox.web.routes import web_routes
from tests.api.test_isolation_matrix import (
    MARKER,
    MISSING_ID,
    RESOURCES,
    Case,
    _account_rows,
    _unchanged,
    cases,
    parameters,
    records_of,
)
from tests.web.conftest import WebUser

# Parameters other than `{id}`, by name: the key of the first account's record in `records_of`.
BY_NAME = {
    "partyId": "person",
    "tag": "person tag",
    "tagId": "person tag",
    "entryId": "history",
    "attachmentId": "/attachments",
    "taskId": "/tasks",
    "opportunityId": "/opportunities",
    "kaseId": "/kases",
    "delivery": "delivery",
}
# `{id}` after a collection whose name is not an API v2 resource's path (those are found as is).
ID_AFTER = {
    "attachments": "/attachments",
    "parties": "person",
    "people": "person",
    "organisations": "/parties",
    "notes": "history",
    "entries": "history",
    "tokens": "token",
    "deliveries": "delivery",
    "jobs": "job",
    "fields": "/parties/fields/definitions",
    "tags": "/parties/tags",
    "filters": "/parties/filters",
    "cases": "/kases",
    "projects": "/kases",
    # The settings screens' items, by the collection's key (settings_kit.py).
    "fields-parties": "/parties/fields/definitions",
    "fields-opportunities": "/opportunities/fields/definitions",
    "fields-kases": "/kases/fields/definitions",
    "tags-parties": "/parties/tags",
    "tags-opportunities": "/opportunities/tags",
    "tags-kases": "/kases/tags",
    "lost-reasons": "/lostreasons",
    "task-categories": "/categories",
    "activity-types": "/activitytypes",
    "hooks": "/resthooks",
}
# A form with the fields most screens ask for, so that a refusal is about whose record it is.
FORM = {
    "name": "Changed",
    "firstName": "Changed",
    "lastName": "Changed",
    "type": "person",
    "description": "Changed",
    "content": "Changed",
    "about": "Changed",
}


def sample_key(template: str, parameter: str) -> str:
    """Which of the first account's records fills `{parameter}` in `template`."""
    if parameter in BY_NAME:
        return BY_NAME[parameter]
    collection = template.split("{" + parameter + "}", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if parameter == "id" and collection in ID_AFTER:
        return ID_AFTER[collection]
    if parameter == "id" and f"/{collection}" in RESOURCES:
        return f"/{collection}"
    pytest.fail(
        f"{template}: no sample of the first account's records for {{{parameter}}}. Add one to "
        f"{'ID_AFTER (for /' + collection + '/{id})' if parameter == 'id' else 'BY_NAME'} in "
        "tests/web/test_isolation_matrix.py (and create the record in web_records if it is a "
        "new kind), so that the route is checked against another account."
    )


def fill(template: str, ids: dict[str, str], missing: bool) -> str:
    path = template
    for parameter in parameters(template):
        value = MISSING_ID if missing else ids[sample_key(template, parameter)]
        path = path.replace("{" + parameter + "}", value)
    return path


def web_records(engine: sa.Engine, owner: WebUser) -> dict[str, str]:
    """`records_of` the first account, and what only the web interface names by id."""
    ids = records_of(owner.account)
    shown = owner.account.get(f"/parties/{ids['person']}?embed=tags").json()["party"]
    ids["person tag"] = str(shown["tags"][0]["id"])
    with engine.connect() as conn:
        token_ids = conn.execute(
            sa.select(tokens.c.id).where(tokens.c.user_id == owner.user_id)
        ).scalars()
        ids["token"] = str(min(token_ids))
    return ids


def send(intruder: WebUser, case: Case, path: str) -> Any:
    """The request, signed in: a route that signs out (or in) leaves the intruder signed in as
    themselves for the next one, as it found them."""
    if case.method == "POST":
        response = intruder.post(path, FORM, follow_redirects=False)
    else:
        response = intruder.client.request(case.method, path, follow_redirects=False)
    if intruder.get("/", follow_redirects=False).status_code != 200:
        assert intruder.sign_in().status_code == 303
    return response


def leaks(owner: WebUser, body: str) -> list[str]:
    return [secret for secret in (MARKER, owner.email, owner.account_name) if secret in body]


def run_web_matrix(engine: sa.Engine, owner: WebUser, intruder: WebUser) -> tuple[int, list[str]]:
    """Sends every web route as the intruder; (route x method pairs, what went wrong)."""
    routes = cases(web_routes())
    for case in routes:  # every parameter can be filled, before anything is sent
        for parameter in parameters(case.template):
            sample_key(case.template, parameter)
    ids = web_records(engine, owner)
    failures: list[str] = []
    before = _account_rows(engine, owner.account.id)
    for case in routes:
        where = f"{case.method} {case.template}"
        real = send(intruder, case, fill(case.template, ids, missing=False))
        if parameters(case.template):
            nowhere = send(intruder, case, fill(case.template, ids, missing=True))
            if (real.status_code, real.content) != (nowhere.status_code, nowhere.content):
                failures.append(
                    f"{where}: {real.status_code} {real.text[:200]!r}, but a missing id: "
                    f"{nowhere.status_code} {nowhere.text[:200]!r}"
                )
        if real.status_code >= 500:
            failures.append(f"{where}: {real.status_code}")
        found = leaks(owner, real.text) + leaks(owner, real.headers.get("location", ""))
        if found:
            failures.append(f"{where}: the answer holds the first account's {found}")
        if case.method not in ("GET", "HEAD"):  # reads are checked together, at the end
            before = _unchanged(engine, owner.account.id, before, where, failures)
    _unchanged(engine, owner.account.id, before, "the reads", failures)
    return len(routes), failures


def test_no_screen_reaches_another_accounts_records(engine, web, other_web):
    pairs, failures = run_web_matrix(engine, web, other_web)
    print(f"web isolation matrix: {pairs} route x method pairs")
    assert not failures, "\n".join(failures)
    assert pairs >= 30  # every screen's routes were found, HEAD beside each GET


def test_a_route_with_a_parameter_the_matrix_cannot_fill_fails_by_name():
    with pytest.raises(pytest.fail.Exception, match=r"/boards/\{board\}/lanes.*BY_NAME"):
        sample_key("/boards/{board}/lanes", "board")
    with pytest.raises(pytest.fail.Exception, match=r"ID_AFTER \(for /widgets/\{id\}\)"):
        sample_key("/widgets/{id}", "id")
