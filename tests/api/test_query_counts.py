"""List pages load related rows in a constant number of SQL statements, whatever their size.

The counts are pinned in query_counts.json; a change to them is a reviewed change to that file.
"""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from pillbox.settings import Settings
from pillbox.store import field_definitions, filters

BASELINE = json.loads((Path(__file__).parent / "query_counts.json").read_text())
ALL_EMBEDS = "tags,fields,organisation,missingImportantFields"


@pytest.fixture
def settings():
    # The worker polls: keep it out of the counted requests.
    return Settings(database_url="sqlite://", run_worker=False)


class StatementCounter:
    def __init__(self, engine: sa.Engine) -> None:
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._record)
        self.engine = engine

    def _record(self, _conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        # A rate-limit reservation comes once per batch of requests, not with any one request.
        if "rate_limit_windows" in statement:
            return
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            self.statements.append(statement)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)


@pytest.fixture
def counter(engine):
    counter = StatementCounter(engine)
    yield counter
    counter.close()


@pytest.fixture
def hundred_parties(account, engine):
    with engine.begin() as conn:
        definition = field_definitions.create_definition(
            conn, account.id, "parties", name="Score", type="number", important=True
        )
    for i in range(50):
        org = account.post(
            "/parties",
            {
                "party": {
                    "type": "organisation",
                    "name": f"Org {i}",
                    "tags": [{"name": f"T{i % 3}"}],
                    "websites": [{"address": f"org{i}.example"}],
                    "addresses": [{"city": "Leeds"}],
                }
            },
        ).json()["party"]
        account.post(
            "/parties",
            {
                "party": {
                    "type": "person",
                    "lastName": f"Person {i}",
                    "organisation": {"id": org["id"]},
                    "emailAddresses": [{"address": f"p{i}@example.com"}],
                    "phoneNumbers": [{"number": str(i)}],
                    "tags": [{"name": "VIP"}],
                    "fields": [{"definition": definition, "value": i}],
                }
            },
        )
    return account


def count(counter: StatementCounter, account, path: str) -> int:
    before = len(counter.statements)
    response = account.get(path)
    assert response.status_code == 200
    return len(counter.statements) - before


def test_list_page_of_100_with_all_embeds_runs_a_constant_number_of_statements(
    hundred_parties, counter
):
    account = hundred_parties
    big = count(counter, account, f"/parties?perPage=100&embed={ALL_EMBEDS}")
    small = count(counter, account, f"/parties?perPage=5&embed={ALL_EMBEDS}")
    assert big == small == BASELINE["list parties, all embeds"], counter.statements[-big:]


def test_show_runs_the_pinned_number_of_statements(hundred_parties, counter):
    account = hundred_parties
    party_id = account.get("/parties?perPage=1").json()["parties"][0]["id"]
    assert count(counter, account, f"/parties/{party_id}") == BASELINE["show party"]


def test_search_page_runs_a_constant_number_of_statements(hundred_parties, counter):
    account = hundred_parties
    assert (
        count(counter, account, "/parties/search?q=person&perPage=100&embed=tags")
        == BASELINE["search parties, tags"]
    )


@pytest.fixture
def settings_records(account, engine):
    """Twenty of each account setting, with members, data tags and users with person records."""
    from pillbox.domain.users import create_user

    with engine.begin() as conn:
        users = [
            create_user(
                conn,
                account.id,
                email=f"u{i}@x.example",
                name=f"U {i}",
                username=f"u{i}",
                admin=False,
            )
            for i in range(20)
        ]
    for i in range(20):
        members = [{"user": users[i]}, {"user": users[(i + 1) % 20]}]
        account.post("/teams", {"team": {"name": f"Team {i}", "memberships": members}})
        tag = account.post("/parties/tags", {"tag": {"name": f"Tag {i}", "dataTag": True}})
        field = {"name": f"F {i}", "type": "list", "options": ["a"], "tag": tag.json()["tag"]["id"]}
        account.post("/parties/fields/definitions", {"definition": field})
    return account


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("list teams, memberships", "/teams?perPage={n}&embed=memberships"),
        ("list users, party", "/users?perPage={n}&embed=party"),
        ("list tags", "/parties/tags?perPage={n}"),
        ("list field definitions", "/parties/fields/definitions?perPage={n}"),
    ],
)
def test_settings_list_pages_run_a_constant_number_of_statements(
    settings_records, counter, name, path
):
    account = settings_records
    big = count(counter, account, path.format(n=20))
    small = count(counter, account, path.format(n=3))
    assert big == small == BASELINE[name], counter.statements[-big:]


@pytest.fixture
def fifty_opportunities(hundred_parties, engine):
    account = hundred_parties
    with engine.begin() as conn:
        definition = field_definitions.create_definition(
            conn, account.id, "opportunities", name="Source", type="text", important=True
        )
    milestones = account.get("/milestones").json()["milestones"]
    party_ids = [p["id"] for p in account.get("/parties?perPage=50").json()["parties"]]
    for i, party_id in enumerate(party_ids):
        body = {
            "name": f"Deal {i}",
            "party": party_id,
            "milestone": milestones[i % 4]["id"],
            "value": {"amount": i * 100, "currency": "GBP"},
            "tags": [{"name": f"T{i % 3}"}],
            "fields": [{"definition": definition, "value": "web"}] if i % 2 else [],
        }
        assert account.post("/opportunities", {"opportunity": body}).status_code == 201
    return account


def test_opportunity_list_with_all_embeds_runs_a_constant_number_of_statements(
    fifty_opportunities, counter
):
    account = fifty_opportunities
    embeds = "tags,fields,party,milestone,missingImportantFields"
    big = count(counter, account, f"/opportunities?perPage=50&embed={embeds}")
    small = count(counter, account, f"/opportunities?perPage=3&embed={embeds}")
    assert big == small == BASELINE["list opportunities, all embeds"], counter.statements[-big:]
    opportunity_id = account.get("/opportunities?perPage=1").json()["opportunities"][0]["id"]
    assert (
        count(counter, account, f"/opportunities/{opportunity_id}") == BASELINE["show opportunity"]
    )


def test_project_list_with_all_embeds_runs_a_constant_number_of_statements(
    fifty_opportunities, counter
):
    account = fifty_opportunities
    stage = account.get("/stages").json()["stages"][0]
    deals = account.get("/opportunities?perPage=20").json()["opportunities"]
    for i, deal in enumerate(deals):
        body = {
            "name": f"Project {i}",
            "party": deal["party"]["id"],
            "opportunity": deal["id"],
            "stage": stage["id"],
            "tags": [{"name": f"K{i % 3}"}],
        }
        assert account.post("/kases", {"kase": body}).status_code == 201
    embeds = "tags,fields,party,opportunity,missingImportantFields"
    big = count(counter, account, f"/kases?perPage=20&embed={embeds}")
    small = count(counter, account, f"/kases?perPage=3&embed={embeds}")
    assert big == small == BASELINE["list kases, all embeds"], counter.statements[-big:]
    kase_id = account.get("/kases?perPage=1").json()["kases"][0]["id"]
    assert count(counter, account, f"/kases/{kase_id}") == BASELINE["show kase"]


def test_entry_lists_run_a_constant_number_of_statements(hundred_parties, counter, engine):
    from pillbox.domain.entries import file_email

    account = hundred_parties
    party_ids = [p["id"] for p in account.get("/parties?perPage=30").json()["parties"]]
    visit = account.post("/activitytypes", {"activityType": {"name": "Visit"}}).json()
    for i, party_id in enumerate(party_ids):
        token = account.request(
            "POST",
            "/attachments/upload",
            content=b"file",
            headers={"X-Attachment-Filename": f"f{i}.txt"},
        ).json()["upload"]["token"]
        body = {
            "type": "note",
            "party": party_id,
            "content": f"Note {i}",
            "activityType": visit["activityType"]["id"] if i % 2 else -3,
            "attachments": [{"token": token}],
        }
        assert account.post("/entries", {"entry": body}).status_code == 201
    with engine.begin() as conn:
        for i in range(10):
            file_email(
                conn,
                account.id,
                creator_id=account.user_id,
                subject=f"Email {i}",
                content="Hi",
                entry_at="2030-01-01T00:00:00Z",  # newest: every page below shows both kinds
                party_ids=party_ids[i : i + 2],
                participants=[{"address": "a@example.com", "name": "A", "role": "FROM"}],
            )
    embeds = "party,creator,activityType"
    big = count(counter, account, f"/entries?perPage=40&embed={embeds}")
    small = count(counter, account, f"/entries?perPage=12&embed={embeds}")
    assert big == small == BASELINE["list entries, embeds"], counter.statements[-big:]
    per_party = count(counter, account, f"/parties/{party_ids[1]}/entries?perPage=50")
    assert per_party == BASELINE["list a party's entries"]


def test_task_and_track_lists_run_a_constant_number_of_statements(fifty_opportunities, counter):
    account = fifty_opportunities
    category = account.post("/categories", {"category": {"name": "Calls"}}).json()["category"]
    step = {
        "daysAfter": 2,
        "dayDelayRule": "TRACK_DAYS",
        "trackTaskAssignee": {"assigneeType": "ENTITY_OWNER"},
    }
    definition = account.post(
        "/trackdefinitions",
        {
            "trackDefinition": {
                "description": "Follow up",
                "captureRule": "OPPORTUNITY",
                "direction": "START_DATE",
                "taskDefinitions": [
                    {**step, "description": "Call", "daysAfterRule": "TRACK_START"},
                    {**step, "description": "Visit", "daysAfterRule": "LAST_TASK"},
                ],
            }
        },
    ).json()["trackDefinition"]
    deals = account.get("/opportunities?perPage=20&embed=party").json()["opportunities"]
    for i, deal in enumerate(deals):
        track = {
            "definition": definition["id"],
            "opportunity": deal["id"],
            "trackDateOn": "2030-01-01",
        }
        assert account.post("/tracks", {"track": track}).status_code == 201
        task = {
            "description": f"Task {i}",
            "dueOn": "2030-01-03",  # as the tracks' first tasks: every page shows both kinds
            "party": deal["party"]["id"],
            "category": category["id"],
        }
        assert account.post("/tasks", {"task": task}).status_code == 201
    embeds = "party,opportunity,kase,owner,nextTask"
    query = f"status=open,pending&embed={embeds}"
    big = count(counter, account, f"/tasks?perPage=60&{query}")
    small = count(counter, account, f"/tasks?perPage=5&{query}")
    assert big == small == BASELINE["list tasks, all embeds"], counter.statements[-big:]
    tracks = f"/opportunities/{deals[0]['id']}/tracks?embed=tasks"
    assert count(counter, account, tracks) == BASELINE["list an opportunity's tracks, tasks"]


def test_filter_results_run_a_constant_number_of_statements(hundred_parties, counter):
    account = hundred_parties
    body = {
        "filter": {
            "conditions": [
                {"field": "type", "operator": "is", "value": "person"},
                {"field": "tag", "operator": "is", "value": "VIP"},
                {"field": "email", "operator": "ends with", "value": "example.com"},
            ],
            "orderBy": [{"field": "name", "direction": "descending"}],
        }
    }

    def counted(per_page: int) -> int:
        # The tag's and the email's sets of ids are counted once (then remembered a minute):
        # each call here counts them, so that both run the same statements.
        filters._COUNTED.clear()
        before = len(counter.statements)
        response = account.post(
            f"/parties/filters/results?perPage={per_page}&embed={ALL_EMBEDS}", body
        )
        assert response.status_code == 200
        assert len(response.json()["parties"]) == per_page
        return len(counter.statements) - before

    big, small = counted(50), counted(5)
    assert big == small == BASELINE["filter parties, all embeds"], counter.statements[-big:]


def test_goal_lists_run_a_constant_number_of_statements(fifty_opportunities, counter):
    account = fifty_opportunities
    pipeline = account.get("/pipelines").json()["pipelines"][0]["id"]
    for i in range(20):
        goal = {
            "name": f"Goal {i}",
            "frequency": "WEEKLY",
            "startOn": "2026-01-01",
            "endOn": "2026-12-31",
            "type": "7b05186c-c342-343f-8236-121dfbb2ae45",  # created sum
            "value": 1000,
            "currency": "GBP",
            "user": account.user_id,
            "pipeline": pipeline if i % 2 else None,
        }
        assert account.post("/goals", {"goal": goal}).status_code == 201
    big = count(counter, account, "/goals?perPage=20")
    small = count(counter, account, "/goals?perPage=3")
    assert big == small == BASELINE["list goals"], counter.statements[-big:]
    goal_id = account.get("/goals?perPage=1").json()["goals"][0]["id"]
    big = count(counter, account, f"/goals/{goal_id}/periods?perPage=50")
    small = count(counter, account, f"/goals/{goal_id}/periods?perPage=3")
    assert big == small == BASELINE["list a goal's periods"], counter.statements[-big:]


def test_saved_filter_results_run_a_constant_number_of_statements(hundred_parties, counter):
    account = hundred_parties
    body = {
        "name": "People at VIPs",
        "conditions": [
            {"field": "type", "operator": "is", "value": "person"},
            {"field": "tag", "operator": "is", "value": "VIP"},
        ],
        "orderBy": [{"field": "name", "direction": "descending"}],
    }
    saved = account.post("/parties/filters", {"filter": body}).json()["filter"]
    path = f"/parties/filters/{saved['id']}/results?embed={ALL_EMBEDS}&perPage="
    big, small = count(counter, account, path + "50"), count(counter, account, path + "5")
    assert big == small == BASELINE["run a saved party filter, all embeds"], counter.statements
    party_ids = [p["id"] for p in account.get("/parties?perPage=20").json()["parties"]]
    for party_id in party_ids:
        note = {"type": "note", "party": party_id, "content": "Called"}
        assert account.post("/entries", {"entry": note}).status_code == 201
    recent = {"field": "addedOn", "operator": "is within last", "value": 1}
    activities = {"filter": {"conditions": [recent]}}

    def counted(per_page: int) -> int:
        before = len(counter.statements)
        path = f"/activities/filters/results?embed=party&perPage={per_page}"
        assert len(account.post(path, activities).json()["activities"]) == per_page
        return len(counter.statements) - before

    big, small = counted(20), counted(3)
    assert big == small == BASELINE["filter activities, party"], counter.statements[-big:]


def test_opportunity_value_runs_a_constant_number_of_statements(fifty_opportunities, counter):
    account = fifty_opportunities
    body = {"filter": {"conditions": [{"field": "tag", "operator": "is", "value": "T1"}]}}
    before = len(counter.statements)
    response = account.post("/opportunities/value", body)
    assert response.status_code == 200 and response.json()["totalValue"] > 0
    assert len(counter.statements) - before == BASELINE["opportunity value, tag"]


def test_duplicates_and_change_history_pages_run_a_constant_number_of_statements(account, counter):
    ids = [
        account.post(
            "/parties", {"party": {"type": "person", "firstName": "Sam", "lastName": "Same"}}
        ).json()["party"]["id"]
        for _ in range(16)  # 120 pairs by name
    ]
    big = count(counter, account, "/parties/duplicates?perPage=100")
    small = count(counter, account, "/parties/duplicates?perPage=5")
    assert big == small == BASELINE["list party duplicates"], counter.statements[-big:]
    for i in range(60):
        account.put(f"/parties/{ids[0]}", {"party": {"jobTitle": f"Job {i}"}})
    big = count(counter, account, f"/parties/{ids[0]}/changes?perPage=100")
    small = count(counter, account, f"/parties/{ids[0]}/changes?perPage=5")
    assert big == small == BASELINE["list a party's changes"], counter.statements[-big:]
