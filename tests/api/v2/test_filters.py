"""Filters (POST /{parties,opportunities,kases}/filters/results): every field and operator.

Each entity's table lists conditions and the records they select in a small seeded account;
the seeded account is built once per test and every row is checked against it.
"""

from typing import Any

import pytest
import sqlalchemy as sa

from tests.api.snapshot import account_snapshot
from tests.api.v2.checks import add_user, errors_of
from tests.conftest import Account

OLD_DAY = "2020-05-01"
OLD = f"{OLD_DAY}T09:30:00Z"


def post(account: Account, path: str, body: dict) -> dict:
    response = account.post(path, body)
    assert response.status_code in (200, 201), response.text
    return response.json()


def run(account: Account, entity: str, *conditions: dict, **extra: Any) -> Any:
    body = {"filter": {"conditions": list(conditions), **extra}}
    return account.post(f"/{entity}/filters/results?perPage=100", body)


def names(account: Account, entity: str, *conditions: dict, **extra: Any) -> list[str]:
    response = run(account, entity, *conditions, **extra)
    assert response.status_code == 200, response.text
    return [_name(record) for record in response.json()[entity]]


def _name(record: dict) -> str:
    if record.get("type") == "person":
        return f"{record['firstName']} {record['lastName']}"
    return str(record["name"])


def backdate(engine: sa.Engine, table: str, record_id: int, **columns: str) -> None:
    assignments = ", ".join(f"{column} = :{column}" for column in columns)
    with engine.begin() as conn:
        conn.execute(
            sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id"),
            {**columns, "id": record_id},
        )


def check_table(account: Account, entity: str, everyone: set[str], table: list[tuple]) -> None:
    """Runs each (field, operator, value, expected) row; `expected` is a set of names, or
    ("all but", names)."""
    failures = []
    for field, operator, value, expected in table:
        if isinstance(expected, tuple):
            expected = everyone - set(expected[1])
        condition = {"field": field, "operator": operator, "value": value}
        response = run(account, entity, condition)
        if response.status_code != 200:
            failures.append(f"{condition}: {response.status_code} {response.text}")
            continue
        found = {_name(record) for record in response.json()[entity]}
        if found != set(expected):
            failures.append(f"{condition}: expected {sorted(expected)}, found {sorted(found)}")
    assert not failures, "\n".join(failures)


# -- parties --------------------------------------------------------------------------------------

# Ben Other is the person record of the user Ben.
PARTIES = {"Ben Other", "Acme Ltd", "Beta GmbH", "Zoë Adams", "Bob Brown", "Carl Clark"}


@pytest.fixture
def party_account(account, engine) -> dict[str, Any]:
    ben_id, _ = add_user(engine, account, "Ben Other", "ben")
    team = post(account, "/teams", {"team": {"name": "Sales", "memberships": [{"user": ben_id}]}})
    score = post(
        account,
        "/parties/fields/definitions",
        {"definition": {"name": "Score", "type": "number"}},
    )["definition"]
    industry = post(
        account,
        "/parties/fields/definitions",
        {"definition": {"name": "Industry", "type": "text"}},
    )["definition"]
    partner = post(
        account,
        "/parties/fields/definitions",
        {"definition": {"name": "Partner", "type": "boolean"}},
    )["definition"]
    acme = post(
        account,
        "/parties",
        {
            "party": {
                "type": "organisation",
                "name": "Acme Ltd",
                "tags": [{"name": "VIP"}],
                "addresses": [
                    {
                        "city": "Leeds",
                        "zip": "LS1 4AP",
                        "state": "West Yorkshire",
                        "country": "United Kingdom",
                    }
                ],
                "websites": [{"service": "URL", "address": "acme.example"}],
                "phoneNumbers": [{"number": "+44 113 496 0000"}],
                "fields": [
                    {"definition": score["id"], "value": 42},
                    {"definition": industry["id"], "value": "Widgets"},
                    {"definition": partner["id"], "value": True},
                ],
            }
        },
    )["party"]
    beta = post(
        account,
        "/parties",
        {
            "party": {
                "type": "organisation",
                "name": "Beta GmbH",
                "addresses": [{"city": "Berlin", "country": "Germany"}],
                "fields": [{"definition": score["id"], "value": 7}],
            }
        },
    )["party"]
    zoe = post(
        account,
        "/parties",
        {
            "party": {
                "type": "person",
                "title": "Ms",
                "firstName": "Zoë",
                "lastName": "Adams",
                "jobTitle": "Buyer",
                "organisation": acme["id"],
                "emailAddresses": [{"address": "zoe@acme.example"}],
                "tags": [{"name": "Lead"}],
            }
        },
    )["party"]
    bob = post(
        account,
        "/parties",
        {
            "party": {
                "type": "person",
                "firstName": "Bob",
                "lastName": "Brown",
                "emailAddresses": [{"address": "bob@example.com"}],
                "owner": ben_id,
                "team": team["team"]["id"],
            }
        },
    )["party"]
    carl = post(
        account, "/parties", {"party": {"type": "person", "firstName": "Carl", "lastName": "Clark"}}
    )["party"]
    post(
        account,
        "/tasks",
        {"task": {"description": "Call", "dueOn": "2030-01-01", "party": carl["id"]}},
    )
    milestone = account.get("/milestones").json()["milestones"][0]
    post(
        account,
        "/opportunities",
        {"opportunity": {"name": "Deal", "party": beta["id"], "milestone": milestone["id"]}},
    )
    post(account, "/kases", {"kase": {"name": "Job", "party": beta["id"]}})
    post(
        account,
        "/entries",
        {"entry": {"type": "note", "party": bob["id"], "content": "Met", "activityType": -2}},
    )
    backdate(engine, "parties", carl["id"], created_at=OLD, updated_at=OLD)
    vip = account.get("/parties/tags").json()["tags"][0]
    return {
        "acme": acme,
        "beta": beta,
        "zoe": zoe,
        "bob": bob,
        "carl": carl,
        "ben": ben_id,
        "team": team["team"]["id"],
        "score": score["id"],
        "industry": industry["id"],
        "partner": partner["id"],
        "vip": vip["id"] if vip["name"] == "VIP" else None,
    }


def test_every_party_field_and_operator(account, party_account):
    seeded = party_account
    score, industry, partner = seeded["score"], seeded["industry"], seeded["partner"]
    acme, bob = seeded["acme"]["id"], seeded["bob"]["id"]
    table = [
        ("id", "is", acme, {"Acme Ltd"}),
        ("id", "is not", acme, ("all but", {"Acme Ltd"})),
        ("id", "is greater than", bob, {"Carl Clark"}),
        ("id", "is less than", seeded["beta"]["id"], {"Ben Other", "Acme Ltd"}),
        ("name", "is", "acme ltd", {"Acme Ltd"}),
        ("name", "is", "Zoë Adams", {"Zoë Adams"}),
        ("name", "is not", "Acme Ltd", ("all but", {"Acme Ltd"})),
        ("name", "starts with", "b", {"Ben Other", "Beta GmbH", "Bob Brown"}),
        ("name", "ends with", "BROWN", {"Bob Brown"}),
        ("name", "contains", "a", {"Acme Ltd", "Beta GmbH", "Zoë Adams", "Carl Clark"}),
        ("name", "contains", "%", set()),
        # 3 characters and more are looked up in the search index first, which folds accents:
        # what it finds is still tested against the name itself.
        ("name", "contains", "CME L", {"Acme Ltd"}),
        ("name", "contains", "oë ad", {"Zoë Adams"}),
        ("name", "contains", "zoe", set()),
        ("name", "ends with", "adams", {"Zoë Adams"}),
        ("name", "ends with", "zoë", set()),
        ("name", "is", None, set()),
        ("title", "is", "ms", {"Zoë Adams"}),
        ("jobTitle", "contains", "buy", {"Zoë Adams"}),
        ("jobTitle", "is", None, ("all but", {"Zoë Adams"})),
        ("jobTitle", "is not", None, {"Zoë Adams"}),
        ("type", "is", "person", {"Ben Other", "Zoë Adams", "Bob Brown", "Carl Clark"}),
        ("type", "is not", "Person", {"Acme Ltd", "Beta GmbH"}),
        ("email", "is", "BOB@example.com", {"Bob Brown"}),
        ("email", "ends with", "acme.example", {"Zoë Adams"}),
        ("email", "contains", "@ACME", {"Zoë Adams"}),
        ("email", "ends with", "acme", set()),
        ("email", "is not", "bob@example.com", ("all but", {"Bob Brown"})),
        ("email", "is", None, {"Acme Ltd", "Beta GmbH", "Carl Clark"}),
        ("phone", "contains", "496", {"Acme Ltd"}),
        ("website", "starts with", "acme", {"Acme Ltd"}),
        ("city", "is", "leeds", {"Acme Ltd"}),
        ("city", "is not", "Leeds", ("all but", {"Acme Ltd"})),
        ("zip", "starts with", "LS", {"Acme Ltd"}),
        ("state", "is", "West Yorkshire", {"Acme Ltd"}),
        ("country", "is", "germany", {"Beta GmbH"}),
        ("tag", "is", "VIP", {"Acme Ltd"}),
        ("tag", "is", seeded["vip"], {"Acme Ltd"}),
        ("tag", "is not", "vip", ("all but", {"Acme Ltd"})),
        ("tag", "starts with", "le", {"Zoë Adams"}),
        ("tag", "is", None, {"Ben Other", "Beta GmbH", "Bob Brown", "Carl Clark"}),
        ("tag", "is", "Nonexistent", set()),
        ("owner", "is", seeded["ben"], {"Ben Other", "Bob Brown"}),
        ("owner", "is", "ben", {"Ben Other", "Bob Brown"}),
        ("owner", "is not", "Ben Other", ("all but", {"Ben Other", "Bob Brown"})),
        ("team", "is", "sales", {"Bob Brown"}),
        ("team", "is", seeded["team"], {"Bob Brown"}),
        ("team", "is", None, ("all but", {"Bob Brown"})),
        ("hasEmailAddress", "is", True, {"Ben Other", "Zoë Adams", "Bob Brown"}),
        ("hasEmailAddress", "is not", True, {"Acme Ltd", "Beta GmbH", "Carl Clark"}),
        ("hasPhoneNumber", "is", True, {"Acme Ltd"}),
        ("hasAddress", "is", False, ("all but", {"Acme Ltd", "Beta GmbH"})),
        ("hasPeople", "is", True, {"Acme Ltd"}),
        ("hasTags", "is", False, ("all but", {"Acme Ltd", "Zoë Adams"})),
        ("hasOpenTasks", "is", True, {"Carl Clark"}),
        ("hasOpportunities", "is", True, {"Beta GmbH"}),
        ("hasCases", "is", True, {"Beta GmbH"}),
        ("addedOn", "is", OLD_DAY, {"Carl Clark"}),
        ("addedOn", "is not", OLD_DAY, ("all but", {"Carl Clark"})),
        ("addedOn", "is before", "2021-01-01", {"Carl Clark"}),
        ("addedOn", "is after", "2021-01-01", ("all but", {"Carl Clark"})),
        ("addedOn", "is older than", 30, {"Carl Clark"}),
        ("addedOn", "is within last", 30, ("all but", {"Carl Clark"})),
        ("addedOn", "is within next", 3, ("all but", {"Carl Clark"})),
        ("updatedOn", "is before", "2021-01-01", {"Carl Clark"}),
        ("lastContactedOn", "is within last", 1, {"Bob Brown"}),
        ("lastContactedOn", "is", None, ("all but", {"Bob Brown"})),
        (f"custom:{score}", "is", 42, {"Acme Ltd"}),
        (f"custom:{score}", "is greater than", 10, {"Acme Ltd"}),
        (f"custom:{score}", "is less than", "10", {"Beta GmbH"}),
        (f"custom:{score}", "is not", 42, ("all but", {"Acme Ltd"})),
        (f"custom:{score}", "is", None, ("all but", {"Acme Ltd", "Beta GmbH"})),
        (f"custom:{industry}", "contains", "widg", {"Acme Ltd"}),
        (f"custom:{partner}", "is", True, {"Acme Ltd"}),
        (f"custom:{partner}", "is", False, ("all but", {"Acme Ltd"})),
        ("org.name", "is", "Acme Ltd", {"Zoë Adams"}),
        ("org.name", "is not", "Acme Ltd", ("all but", {"Zoë Adams"})),
        ("org.tag", "is", "VIP", {"Zoë Adams"}),
        (f"org.custom:{score}", "is", 42, {"Zoë Adams"}),
    ]
    check_table(account, "parties", PARTIES, table)


def test_conditions_must_all_hold_and_a_group_holds_when_any_does(account, party_account):
    organisations = {"field": "type", "operator": "is", "value": "organisation"}
    in_leeds = {"field": "city", "operator": "is", "value": "Leeds"}
    assert names(account, "parties", organisations, in_leeds) == ["Acme Ltd"]
    either = {
        "conditions": [
            {"field": "name", "operator": "is", "value": "Bob Brown"},
            {"field": "name", "operator": "is", "value": "Carl Clark"},
        ]
    }
    assert names(account, "parties", either) == ["Bob Brown", "Carl Clark"]
    assert names(account, "parties", either, organisations) == []


def test_results_are_ordered_as_asked_then_by_id(account, party_account):
    everyone = names(account, "parties")
    assert everyone == [
        "Ben Other",
        "Acme Ltd",
        "Beta GmbH",
        "Zoë Adams",
        "Bob Brown",
        "Carl Clark",
    ]
    by_name = names(account, "parties", orderBy=[{"field": "name", "direction": "descending"}])
    assert by_name == ["Zoë Adams", "Carl Clark", "Bob Brown", "Beta GmbH", "Ben Other", "Acme Ltd"]
    oldest_first = names(account, "parties", orderBy=[{"field": "addedOn"}])
    assert oldest_first[0] == "Carl Clark"


def test_results_page_with_link_headers(account, party_account):
    body = {"filter": {"conditions": [], "orderBy": [{"field": "name", "direction": "ascending"}]}}
    first = account.post("/parties/filters/results?perPage=2&embed=tags", body)
    assert [_name(p) for p in first.json()["parties"]] == ["Acme Ltd", "Ben Other"]
    assert first.json()["parties"][0]["tags"][0]["name"] == "VIP"  # embeds as on the list
    next_page = "http://pillbox.test/api/v2/parties/filters/results?perPage=2&embed=tags&page=2"
    assert first.headers["Link"] == f'<{next_page}>; rel="next"'
    last = account.post("/parties/filters/results?perPage=2&page=3", body)
    assert [_name(p) for p in last.json()["parties"]] == ["Carl Clark", "Zoë Adams"]


@pytest.mark.parametrize(
    ("condition", "field", "message"),
    [
        (
            {"field": "createdAt", "operator": "is", "value": "2020-01-01"},
            "conditions[0].field",
            "invalid field name",
        ),
        (
            {"field": "custom:99999999", "operator": "is", "value": 1},
            "conditions[0].field",
            "invalid field name",
        ),
        (
            {"field": "name", "operator": "does not contain", "value": "x"},
            "conditions[0].operator",
            "invalid operator for name",
        ),
        (
            {"field": "hasTags", "operator": "contains", "value": True},
            "conditions[0].operator",
            "invalid operator for hasTags",
        ),
        (
            {"field": "type", "operator": "contains", "value": "per"},
            "conditions[0].operator",
            "invalid operator for type",
        ),
        (
            {"field": "hasTags", "operator": "is", "value": "yes"},
            "conditions[0].value",
            "invalid value for hasTags",
        ),
        (
            {"field": "id", "operator": "is", "value": "one"},
            "conditions[0].value",
            "invalid value for id",
        ),
        (
            {"field": "addedOn", "operator": "is within last", "value": "a week"},
            "conditions[0].value",
            "invalid value for addedOn",
        ),
        (
            {"field": "addedOn", "operator": "is", "value": "yesterday"},
            "conditions[0].value",
            "invalid value for addedOn",
        ),
        (
            {"field": "name", "operator": "starts with", "value": None},
            "conditions[0].value",
            "invalid value for name",
        ),
        (
            {"field": "type", "operator": "is", "value": "robot"},
            "conditions[0].value",
            "invalid value for type",
        ),
        (
            {"conditions": [{"conditions": []}]},
            "conditions[0].conditions[0]",
            "a group cannot hold another group",
        ),
    ],
)
def test_a_bad_condition_is_a_422_naming_it(account, engine, condition, field, message):
    before = account_snapshot(engine, account.id)
    errors = errors_of(run(account, "parties", condition))
    assert errors == [{"message": message, "resource": "filter", "field": field}]
    assert account_snapshot(engine, account.id) == before


@pytest.mark.parametrize("entity", ["parties", "opportunities", "kases"])
def test_numbers_beyond_any_id_match_nothing_and_references_to_them_are_refused(account, entity):
    assert names(account, entity, {"field": "id", "operator": "is", "value": 2**40}) == []
    too_big = run(account, entity, {"field": "id", "operator": "is", "value": 2**62})
    assert errors_of(too_big)[0]["field"] == "conditions[0].value"
    owner = run(account, entity, {"field": "owner", "operator": "is", "value": 2**40})
    assert errors_of(owner)[0]["field"] == "conditions[0].value"


def test_order_by_takes_known_fields_and_directions(account):
    unknown = run(account, "parties", orderBy=[{"field": "colour"}])
    assert errors_of(unknown)[0]["field"] == "orderBy[0].field"
    sideways = run(account, "parties", orderBy=[{"field": "name", "direction": "sideways"}])
    assert errors_of(sideways)[0]["field"] == "orderBy[0].direction"


def test_a_body_without_the_filter_root_is_a_400(account):
    response = account.post("/parties/filters/results", {"conditions": []})
    assert (response.status_code, response.json()) == (400, {"message": "Invalid JSON format"})


def test_another_accounts_records_and_names_never_match(account, other_account, party_account):
    assert names(other_account, "parties") == []
    assert names(other_account, "parties", {"field": "tag", "operator": "is", "value": "VIP"}) == []
    owner = {"field": "owner", "operator": "is", "value": party_account["ben"]}
    assert names(other_account, "parties", owner) == []


# -- opportunities --------------------------------------------------------------------------------

DEALS = {"Open deal", "Won deal", "Lost deal", "Stale deal"}


@pytest.fixture
def opportunity_account(account, engine) -> dict[str, Any]:
    ben_id, _ = add_user(engine, account, "Ben Other", "ben")
    team = post(account, "/teams", {"team": {"name": "Sales", "memberships": [{"user": ben_id}]}})
    customer = post(account, "/parties", {"party": {"type": "organisation", "name": "Acme"}})[
        "party"
    ]
    other = post(
        account, "/parties", {"party": {"type": "person", "firstName": "Zed", "lastName": "Ray"}}
    )["party"]
    milestones = {m["name"]: m for m in account.get("/milestones").json()["milestones"]}
    second = post(account, "/pipelines", {"pipeline": {"name": "Renewals"}})["pipeline"]
    renewal = post(
        account,
        "/milestones",
        {
            "milestone": {
                "name": "Due",
                "probability": 20,
                "daysUntilStale": 5,
                "pipeline": second["id"],
            }
        },
    )["milestone"]
    reason = post(
        account, "/lostreasons", {"lostReason": {"name": "Too dear", "includedForConversion": True}}
    )["lostReason"]
    size = post(
        account,
        "/opportunities/fields/definitions",
        {"definition": {"name": "Seats", "type": "number"}},
    )["definition"]

    def deal(name: str, milestone: int, **values: Any) -> dict:
        body = {"name": name, "party": customer["id"], "milestone": milestone, **values}
        return post(account, "/opportunities", {"opportunity": body})["opportunity"]

    open_deal = deal(
        "Open deal",
        milestones["New"]["id"],
        value={"amount": 500, "currency": "GBP"},
        expectedCloseOn="2030-06-30",
        tags=[{"name": "Hot"}],
        fields=[{"definition": size["id"], "value": 25}],
    )
    won = deal(
        "Won deal",
        milestones["Won"]["id"],
        value={"amount": 1200, "currency": "EUR"},
        owner=ben_id,
        team=team["team"]["id"],
    )
    deal("Lost deal", milestones["Lost"]["id"], lostReason=reason["id"])
    stale = deal("Stale deal", renewal["id"])
    backdate(
        engine,
        "opportunities",
        stale["id"],
        last_stage_changed_at=OLD,
        created_at=OLD,
        updated_at=OLD,
    )
    account.post(f"/opportunities/{won['id']}/parties/{other['id']}", None)
    post(
        account,
        "/tasks",
        {"task": {"description": "Chase", "dueOn": "2030-01-01", "opportunity": open_deal["id"]}},
    )
    return {
        "customer": customer["id"],
        "other": other["id"],
        "ben": ben_id,
        "second": second["id"],
        "reason": reason["id"],
        "size": size["id"],
        "new": milestones["New"]["id"],
    }


def test_every_opportunity_field_and_operator(account, opportunity_account):
    seeded = opportunity_account
    closed = ("all but", {"Open deal", "Stale deal"})
    table = [
        ("name", "contains", "Deal", DEALS),
        ("status", "is", "OPEN", {"Open deal", "Stale deal"}),
        ("status", "is", "won", {"Won deal"}),
        ("status", "is", "lost", {"Lost deal"}),
        ("status", "is", "closed", {"Won deal", "Lost deal"}),
        ("status", "is not", "open", {"Won deal", "Lost deal"}),
        ("status", "is", None, set()),
        ("status", "is not", None, ("all but", set())),
        ("pipeline", "is", "Renewals", {"Stale deal"}),
        ("pipeline", "is", seeded["second"], {"Stale deal"}),
        ("pipeline", "is not", "renewals", ("all but", {"Stale deal"})),
        ("milestone", "is", "won", {"Won deal"}),
        ("milestone", "is", seeded["new"], {"Open deal"}),
        ("probability", "is greater than", 60, {"Won deal"}),
        ("probability", "is", 20, {"Stale deal"}),
        ("lostReason", "is", "too dear", {"Lost deal"}),
        ("lostReason", "is", seeded["reason"], {"Lost deal"}),
        ("lostReason", "is", None, ("all but", {"Lost deal"})),
        ("currency", "is", "gbp", {"Open deal"}),
        ("expectedValue", "is greater than", 600, {"Won deal"}),
        ("expectedValue", "is less than", 600, {"Open deal"}),
        ("expectedValue", "is greater than", {"currency": "GBP", "amount": 100}, {"Open deal"}),
        ("expectedValue", "is", None, {"Lost deal", "Stale deal"}),
        ("tag", "is", "hot", {"Open deal"}),
        ("owner", "is", "ben", {"Won deal"}),
        ("team", "is", "Sales", {"Won deal"}),
        ("isOpen", "is", True, {"Open deal", "Stale deal"}),
        ("isOpen", "is", False, closed),
        ("isStale", "is", True, {"Stale deal"}),
        ("isOwnedByMe", "is", True, ("all but", {"Won deal"})),
        ("hasTags", "is", True, {"Open deal"}),
        ("hasOpenTasks", "is", True, {"Open deal"}),
        ("includedForConversion", "is", True, {"Lost deal"}),
        ("addedOn", "is", OLD_DAY, {"Stale deal"}),
        ("updatedOn", "is within last", 2, ("all but", {"Stale deal"})),
        ("closedOn", "is within last", 1, {"Won deal", "Lost deal"}),
        ("closedOn", "is", None, {"Open deal", "Stale deal"}),
        ("expectedCloseOn", "is after", "2030-01-01", {"Open deal"}),
        ("expectedCloseOn", "is within next", 3, set()),
        ("lastContactedOn", "is", None, DEALS),
        (f"custom:{seeded['size']}", "is greater than", 20, {"Open deal"}),
        ("party", "is", seeded["other"], {"Won deal"}),
        ("party", "is", seeded["customer"], DEALS),
        ("primaryContact", "is", seeded["customer"], DEALS),
        ("primaryContactName", "starts with", "acm", DEALS),
        ("primaryContactName", "is not", "Acme", set()),
    ]
    check_table(account, "opportunities", DEALS, table)


# -- projects -------------------------------------------------------------------------------------

PROJECTS = {"Brief", "Delivery", "Done"}


@pytest.fixture
def kase_account(account, engine) -> dict[str, Any]:
    ben_id, _ = add_user(engine, account, "Ben Other", "ben")
    team = post(account, "/teams", {"team": {"name": "Sales", "memberships": [{"user": ben_id}]}})
    customer = post(account, "/parties", {"party": {"type": "organisation", "name": "Acme"}})[
        "party"
    ]
    helper = post(account, "/parties", {"party": {"type": "organisation", "name": "Helper"}})[
        "party"
    ]
    stages = {s["name"]: s for s in account.get("/stages").json()["stages"]}
    board = post(account, "/boards", {"board": {"name": "Support"}})["board"]
    triage = post(account, "/stages", {"stage": {"name": "Triage", "board": board["id"]}})["stage"]
    phase = post(
        account,
        "/kases/fields/definitions",
        {"definition": {"name": "Phase", "type": "list", "options": ["One", "Two"]}},
    )["definition"]

    def project(name: str, **values: Any) -> dict:
        body = {"name": name, "party": customer["id"], **values}
        return post(account, "/kases", {"kase": body})["kase"]

    brief = project(
        "Brief",
        stage=stages["Project Brief"]["id"],
        tags=[{"name": "Urgent"}],
        startOn="2030-01-10",
        fields=[{"definition": phase["id"], "value": "Two"}],
    )
    delivery = project(
        "Delivery",
        stage=triage["id"],
        owner=ben_id,
        team=team["team"]["id"],
        expectedCloseOn="2030-03-01",
    )
    done = project("Done", status="CLOSED")
    backdate(engine, "kases", done["id"], created_at=OLD, updated_at=OLD)
    account.post(f"/kases/{delivery['id']}/parties/{helper['id']}", None)
    post(
        account,
        "/tasks",
        {"task": {"description": "Plan", "dueOn": "2030-01-01", "kase": brief["id"]}},
    )
    return {
        "customer": customer["id"],
        "helper": helper["id"],
        "board": board["id"],
        "phase": phase["id"],
        "triage": triage["id"],
    }


def test_every_project_field_and_operator(account, kase_account):
    seeded = kase_account
    table = [
        ("name", "starts with", "d", {"Delivery", "Done"}),
        ("status", "is", "open", {"Brief", "Delivery"}),
        ("status", "is", "CLOSED", {"Done"}),
        ("status", "is", None, set()),
        ("board", "is", "Support", {"Delivery"}),
        ("board", "is", seeded["board"], {"Delivery"}),
        ("board", "is", "Projects", {"Brief"}),
        ("stage", "is", "triage", {"Delivery"}),
        ("stage", "is", seeded["triage"], {"Delivery"}),
        ("stage", "is", None, {"Done"}),
        ("tag", "is", "urgent", {"Brief"}),
        ("owner", "is", "ben", {"Delivery"}),
        ("team", "is", "sales", {"Delivery"}),
        ("isOpen", "is", False, {"Done"}),
        ("isOwnedByMe", "is", True, {"Brief", "Done"}),
        ("hasTags", "is not", True, {"Delivery", "Done"}),
        ("hasOpenTasks", "is", True, {"Brief"}),
        ("addedOn", "is older than", 10, {"Done"}),
        ("updatedOn", "is", OLD_DAY, {"Done"}),
        ("closedOn", "is within last", 1, {"Done"}),
        ("expectedCloseOn", "is before", "2031-01-01", {"Delivery"}),
        ("startOn", "is", "2030-01-10", {"Brief"}),
        ("startOn", "is not", "2030-01-10", {"Delivery", "Done"}),
        (f"custom:{seeded['phase']}", "is", "two", {"Brief"}),
        ("primaryContact", "is", seeded["customer"], PROJECTS),
        ("primaryContactName", "contains", "cme", PROJECTS),
        ("party", "is", seeded["helper"], {"Delivery"}),
    ]
    check_table(account, "kases", PROJECTS, table)
