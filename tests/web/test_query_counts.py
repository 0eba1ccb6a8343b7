"""Screens read related rows in a constant number of SQL statements, whatever the page holds.

The counts are pinned in query_counts.json (a change to them is a reviewed change to that
file); each includes the one statement that finds the signed-in user.
"""

import json
from pathlib import Path

import pytest

from pillbox.settings import Settings
from pillbox.store import field_definitions
from tests.api.test_query_counts import StatementCounter

BASELINE = json.loads((Path(__file__).parent / "query_counts.json").read_text())


@pytest.fixture
def settings(tmp_path):
    # Rate-limit syncs are timed and the worker polls: keep both out of the counted requests.
    return Settings(
        database_url="sqlite://",
        rate_limit_sync_seconds=3600,
        run_worker=False,
        attachments_dir=str(tmp_path / "attachments"),
    )


@pytest.fixture
def counter(engine):
    counter = StatementCounter(engine)
    yield counter
    counter.close()


def count(counter: StatementCounter, web, path: str) -> int:
    before = len(counter.statements)
    response = web.get(path)
    assert response.status_code == 200, response.text
    return len(counter.statements) - before


@pytest.fixture
def busy(web, engine):
    """An organisation with 20 people, tags, field values, tasks, deals and notes with files,
    and 40 other parties; the last person made is a quiet one with nothing on them."""
    with engine.begin() as conn:
        score = field_definitions.create_definition(
            conn, web.account.id, "parties", name="Score", type="number"
        )
    account = web.account
    org = account.post(
        "/parties",
        {
            "party": {
                "type": "organisation",
                "name": "Busy Ltd",
                "tags": [{"name": "A"}, {"name": "B"}],
                "fields": [{"definition": score, "value": 3}],
                "websites": [{"address": "busy.example"}],
                "addresses": [{"city": "Leeds"}],
            }
        },
    ).json()["party"]
    for i in range(20):
        account.post(
            "/parties",
            {
                "party": {
                    "type": "person",
                    "lastName": f"P{i}",
                    "organisation": {"id": org["id"]},
                    "emailAddresses": [{"address": f"p{i}@busy.example"}],
                    "tags": [{"name": "A"}],
                }
            },
        )
        account.post(
            "/tasks",
            {"task": {"description": f"T{i}", "dueOn": "2030-01-01", "party": {"id": org["id"]}}},
        )
        web.post(
            "/entries",
            {"party": str(org["id"]), "content": f"note {i}"},
            files={"attachment": (f"f{i}.txt", b"x", "text/plain")},
        )
    milestone = account.get("/milestones").json()["milestones"][0]
    for i in range(5):
        account.post(
            "/opportunities",
            {"opportunity": {"name": f"D{i}", "party": org["id"], "milestone": milestone["id"]}},
        )
        account.post("/kases", {"kase": {"name": f"K{i}", "party": {"id": org["id"]}}})
    quiet = account.post("/parties", {"party": {"type": "person", "lastName": "Quiet"}})
    return web, org["id"], quiet.json()["party"]["id"]


def test_party_page_runs_the_same_statements_full_or_empty(busy, counter):
    web, busy_id, quiet_id = busy
    full = count(counter, web, f"/parties/{busy_id}")
    empty = count(counter, web, f"/parties/{quiet_id}")
    assert full == BASELINE["party page"], counter.statements[-full:]
    assert empty <= full


@pytest.mark.parametrize(
    ("name", "big", "small"),
    [
        ("party list", "/parties?perPage=50", "/parties?perPage=2"),
        ("party search", "/parties?q=busy&perPage=50", "/parties?q=busy&perPage=2"),
        (
            "party list, tag and type",
            "/parties?tag=A&type=person&perPage=50",
            "/parties?tag=A&type=person&perPage=2",
        ),
        ("tasks", "/tasks?who=everyone&perPage=50", "/tasks?who=everyone&perPage=2"),
    ],
)
def test_list_screens_run_a_constant_number_of_statements(busy, counter, name, big, small):
    web = busy[0]
    many = count(counter, web, big)
    few = count(counter, web, small)
    assert many == few == BASELINE[name], counter.statements[-many:]


@pytest.mark.parametrize(("name", "path"), [("home", "/"), ("tokens", "/settings/tokens")])
def test_screens_run_the_pinned_number_of_statements(busy, counter, name, path):
    web = busy[0]
    assert count(counter, web, path) == BASELINE[name], counter.statements[-20:]


def _busy_record(web, engine, entity: str, api_path: str, link: str, record: dict) -> int:
    """A record of `entity` with tags, a field value, 10 open tasks, 10 notes with files and 5
    additional parties; returns its id."""
    account = web.account
    with engine.begin() as conn:
        score = field_definitions.create_definition(
            conn, account.id, entity, name="Score", type="number"
        )
    body = {
        **record,
        "tags": [{"name": "A"}, {"name": "B"}],
        "fields": [{"definition": score, "value": 3}],
    }
    made = account.post(f"/{api_path}", {link: body})
    assert made.status_code == 201, made.text
    record_id = made.json()[link]["id"]
    for i in range(10):
        task = {"description": f"T{i}", "dueOn": "2030-01-01", link: {"id": record_id}}
        account.post("/tasks", {"task": task})
        web.post(
            "/entries",
            {link: str(record_id), "content": f"note {i}"},
            files={"attachment": (f"f{i}.txt", b"x", "text/plain")},
        )
    for i in range(5):
        other = account.post("/parties", {"party": {"type": "person", "lastName": f"Also{i}"}})
        account.post(f"/{api_path}/{record_id}/parties/{other.json()['party']['id']}", None)
    return record_id


def test_opportunity_page_runs_the_same_statements_full_or_empty(busy, counter, engine):
    web, org_id, _ = busy
    milestone = web.account.get("/milestones").json()["milestones"][0]["id"]
    record = {"name": "Full", "party": org_id, "milestone": milestone}
    full_id = _busy_record(web, engine, "opportunities", "opportunities", "opportunity", record)
    for i in range(5):
        kase = {"name": f"For{i}", "party": {"id": org_id}, "opportunity": {"id": full_id}}
        web.account.post("/kases", {"kase": kase})
    empty = web.account.post("/opportunities", {"opportunity": {**record, "name": "Empty"}})
    empty_id = empty.json()["opportunity"]["id"]
    full = count(counter, web, f"/opportunities/{full_id}")
    assert full == BASELINE["opportunity page"], counter.statements[-full:]
    assert count(counter, web, f"/opportunities/{empty_id}") <= full


def test_project_page_runs_the_same_statements_full_or_empty(busy, counter, engine):
    web, org_id, _ = busy
    stage = web.account.get("/stages").json()["stages"][0]["id"]
    record = {"name": "Full", "party": {"id": org_id}, "stage": {"id": stage}}
    full_id = _busy_record(web, engine, "kases", "kases", "kase", record)
    empty = web.account.post("/kases", {"kase": {"name": "Empty", "party": {"id": org_id}}})
    empty_id = empty.json()["kase"]["id"]
    full = count(counter, web, f"/projects/{full_id}")
    assert full == BASELINE["project page"], counter.statements[-full:]
    assert count(counter, web, f"/projects/{empty_id}") <= full


@pytest.mark.parametrize(("name", "path"), [("search", "/search"), ("live search", "/search/live")])
def test_search_runs_a_constant_number_of_statements(busy, counter, name, path):
    """Many matches of every kind or one of each: the same statements."""
    web, org_id = busy[0], busy[1]
    milestone = web.account.get("/milestones").json()["milestones"][0]["id"]
    for word, copies in (("alpha", 25), ("omega", 1)):
        for i in range(copies):
            web.account.post("/parties", {"party": {"type": "person", "lastName": f"{word}{i}"}})
            deal = {"name": f"{word} deal {i}", "party": org_id, "milestone": milestone}
            web.account.post("/opportunities", {"opportunity": deal})
            web.account.post("/kases", {"kase": {"name": f"{word} job {i}", "party": org_id}})
    many = count(counter, web, f"{path}?q=alpha")
    few = count(counter, web, f"{path}?q=omega")
    assert many == few == BASELINE[name], counter.statements[-many:]


@pytest.fixture
def sales(web):
    """A way to add opportunities (with values, in two currencies, on two milestones) and
    projects (on two stages) to the signed-in user's account."""
    account = web.account
    milestones = [m["id"] for m in account.get("/milestones").json()["milestones"][:2]]
    stages = [s["id"] for s in account.get("/stages").json()["stages"][:2]]
    party = account.post("/parties", {"party": {"type": "organisation", "name": "Buyer"}})
    party_id = party.json()["party"]["id"]

    def add(count: int) -> None:
        for i in range(count):
            value = {"amount": 100 + i, "currency": ("GBP", "EUR")[i % 2]}
            deal = {"name": f"D{i}", "party": party_id, "milestone": milestones[i % 2]}
            account.post("/opportunities", {"opportunity": {**deal, "value": value}})
            kase = {"name": f"K{i}", "party": {"id": party_id}, "stage": stages[i % 2]}
            account.post("/kases", {"kase": kase})

    return web, add


def first_id(web, plural: str) -> int:
    return int(web.account.get(f"/{plural}").json()[plural][0]["id"])


BOARD_SCREENS = {
    "pipeline board": lambda web: f"/pipelines/{first_id(web, 'pipelines')}",
    "project board": lambda web: f"/boards/{first_id(web, 'boards')}",
    "opportunities": lambda web: "/opportunities?perPage=50",
    "opportunities, filtered": lambda web: (
        f"/opportunities?status=open&pipeline={first_id(web, 'pipelines')}&owner={web.user_id}"
    ),
    "projects": lambda web: "/projects?perPage=50",
    "projects, filtered": lambda web: (
        f"/projects?status=open&stage={first_id(web, 'stages')}&owner={web.user_id}"
    ),
}


@pytest.mark.parametrize("name", sorted(BOARD_SCREENS))
def test_boards_and_their_lists_run_a_constant_number_of_statements(sales, counter, name):
    web, add = sales
    path = BOARD_SCREENS[name](web)
    add(1)
    few = count(counter, web, path)
    add(12)
    many = count(counter, web, path)
    assert many == few == BASELINE[name], counter.statements[-many:]
