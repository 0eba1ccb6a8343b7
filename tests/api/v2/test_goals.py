"""Goals (/goals): a user's target for opportunities, and the periods it is measured in."""

import itertools
from datetime import timedelta

import pytest

from pillbox import clock
from pillbox.store.tables.opportunities import opportunities
from tests.api.v2.checks import add_user, errors_of

CREATED_COUNT = "18305eb9-2c50-35ba-88e5-876be543e055"
CREATED_SUM = "7b05186c-c342-343f-8236-121dfbb2ae45"
WON_COUNT = "264be3b0-490b-3d73-ae0d-d02b488ba1eb"
MILESTONE_COUNT = "1659cb58-2401-30eb-aa82-c42771aea74e"
TODAY = clock.today()
_numbers = itertools.count()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def goal(account, **changes):
    return {
        "name": "Q4 deals",
        "frequency": "FIXED",
        "startOn": day(-10),
        "endOn": day(20),
        "type": CREATED_COUNT,
        "value": 2,
        "user": account.user_id,
        **changes,
    }


def create(account, **changes):
    response = account.post("/goals", {"goal": goal(account, **changes)})
    assert response.status_code == 201, response.text
    return response.json()["goal"]


def milestones(account):
    return {m["name"]: m for m in account.get("/milestones").json()["milestones"]}


def opportunity(account, milestone="New", amount=None, currency="GBP"):
    name = f"Customer {next(_numbers)}"
    party = account.post("/parties", {"party": {"type": "organisation", "name": name}})
    body = {
        "name": "Deal",
        "party": party.json()["party"]["id"],
        "milestone": milestones(account)[milestone]["id"],
    }
    if amount is not None:
        body["value"] = {"amount": amount, "currency": currency}
    response = account.post("/opportunities", {"opportunity": body})
    assert response.status_code == 201, response.text
    return response.json()["opportunity"]


def periods(account, goal_id, query=""):
    response = account.get(f"/goals/{goal_id}/periods{query}")
    assert response.status_code == 200, response.text
    return response.json()["goalPeriods"]


def test_goal_is_shown_in_capsules_key_order(account):
    created = create(account, currency="GBP")  # dropped: a count goal has no currency
    assert list(created) == [
        "id",
        "name",
        "frequency",
        "status",
        "value",
        "createdAt",
        "updatedAt",
        "startOn",
        "endOn",
        "currency",
        "type",
        "user",
    ]
    assert (created["status"], created["value"], created["currency"]) == ("ACTIVE", 2.0, None)
    assert created["user"]["id"] == account.user_id
    assert account.get(f"/goals/{created['id']}").json() == {"goal": created}


def test_pipeline_or_milestone_is_shown_when_set(account):
    pipeline = account.get("/pipelines").json()["pipelines"][0]
    with_pipeline = create(account, pipeline=pipeline["id"])
    assert with_pipeline["pipeline"] == {"name": pipeline["name"], "id": pipeline["id"]}
    bid = milestones(account)["Bid"]
    with_milestone = create(account, type=MILESTONE_COUNT, milestone={"id": bid["id"]})
    assert with_milestone["milestone"] == {"name": "Bid", "id": bid["id"]}
    assert "pipeline" not in with_milestone


def test_fixed_goal_has_one_period_with_the_progress_made(account):
    created = create(account)
    opportunity(account)
    [period] = periods(account, created["id"])
    assert period == {
        "goal": {"id": created["id"]},
        "startOn": day(-10),
        "endOn": day(20),
        "targetValue": 2.0,
        "id": period["id"],
        "currentValue": 1.0,
    }
    opportunity(account)
    [period] = periods(account, created["id"])
    assert (period["currentValue"], period["completedOn"]) == (2.0, TODAY.isoformat())


def test_monthly_goal_is_cut_into_months_from_its_start(account):
    created = create(account, frequency="MONTHLY", startOn="2026-01-31", endOn="2026-04-15")
    shown = [(p["startOn"], p["endOn"]) for p in periods(account, created["id"])]
    assert shown == [
        ("2026-01-31", "2026-02-28"),
        ("2026-02-28", "2026-03-31"),
        ("2026-03-31", "2026-04-15"),
    ]


def test_periods_are_paged(account):
    created = create(account, frequency="DAILY", startOn="2026-01-01", endOn="2026-01-05")
    response = account.get(f"/goals/{created['id']}/periods?perPage=2&page=3")
    assert [p["startOn"] for p in response.json()["goalPeriods"]] == ["2026-01-05"]
    first = account.get(f"/goals/{created['id']}/periods?perPage=2")
    assert 'rel="next"' in first.headers["Link"]


def test_sum_goal_adds_values_in_its_currency_only(account):
    created = create(account, type=CREATED_SUM, value="1000.5", currency="gbp")
    assert (created["currency"], created["value"]) == ("GBP", 1000.5)
    opportunity(account, amount=600)
    opportunity(account, amount=900, currency="USD")
    opportunity(account, amount=400.5)
    [period] = periods(account, created["id"])
    assert (period["currentValue"], period["completedOn"]) == (1000.5, TODAY.isoformat())


def test_won_goal_counts_opportunities_closed_as_won(account):
    created = create(account, type=WON_COUNT, value=1)
    deal = opportunity(account)
    assert periods(account, created["id"])[0]["currentValue"] == 0.0
    won = milestones(account)["Won"]["id"]
    account.put(f"/opportunities/{deal['id']}", {"opportunity": {"milestone": won}})
    assert periods(account, created["id"])[0]["currentValue"] == 1.0


def test_goal_counts_only_its_users_opportunities(account, engine):
    other_id, _ = add_user(engine, account, "Other", "other")
    created = create(account, user=other_id)
    opportunity(account)
    assert periods(account, created["id"])[0]["currentValue"] == 0.0


@pytest.mark.parametrize(
    ("start", "end", "status"),
    [(5, 10, "UPCOMING"), (-5, 0, "ACTIVE"), (-30, -1, "MISSED")],
)
def test_status_follows_the_dates_and_the_progress(account, start, end, status):
    assert create(account, startOn=day(start), endOn=day(end))["status"] == status


def test_ended_goal_is_completed_when_every_period_was_reached(account, engine):
    deal = opportunity(account)
    with engine.begin() as conn:  # the deal was made five days ago
        conn.execute(
            opportunities.update()
            .where(opportunities.c.id == deal["id"])
            .values(created_at=f"{day(-5)}T10:00:00Z")
        )
    reached = create(account, startOn=day(-10), endOn=day(-1), value=1)
    assert reached["status"] == "COMPLETED"
    [period] = periods(account, reached["id"])
    assert period["completedOn"] == day(-5)
    assert create(account, startOn=day(-10), endOn=day(-1), value=2)["status"] == "MISSED"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"frequency": "HOURLY"}, "frequency"),
        ({"type": "opportunities"}, "type"),
        ({"startOn": "2026-13-01"}, "startOn"),
        ({"startOn": "2026-02-01", "endOn": "2026-01-01"}, "endOn"),
        ({"value": 0}, "value"),
        ({"value": 2.5}, "value"),
        ({"value": "many"}, "value"),
        ({"type": CREATED_SUM}, "currency"),
        ({"type": CREATED_SUM, "currency": "XXX"}, "currency"),
        ({"user": None}, "user"),
        ({"user": 999999}, "user"),
        ({"type": MILESTONE_COUNT}, "milestone"),
        ({"pipeline": 999999}, "pipeline"),
        ({"frequency": "DAILY", "startOn": "2020-01-01", "endOn": "2026-01-01"}, "endOn"),
    ],
)
def test_invalid_goal_is_422_and_nothing_is_saved(account, changes, field):
    response = account.post("/goals", {"goal": goal(account, **changes)})
    [error] = errors_of(response)
    assert (error["resource"], error["field"]) == ("goal", field)
    assert account.get("/goals").json() == {"goals": []}


def test_pipeline_and_milestone_together_are_422(account):
    pipeline = account.get("/pipelines").json()["pipelines"][0]["id"]
    milestone = milestones(account)["Bid"]["id"]
    response = account.post(
        "/goals", {"goal": goal(account, pipeline=pipeline, milestone=milestone)}
    )
    assert errors_of(response)[0]["field"] == "milestone"


def test_update_changes_what_it_sends_and_rebuilds_periods_on_new_dates(account):
    created = create(account, frequency="WEEKLY", startOn="2026-01-01", endOn="2026-01-20")
    before = periods(account, created["id"])
    renamed = account.put(f"/goals/{created['id']}", {"goal": {"name": "Renamed"}})
    assert renamed.json()["goal"]["name"] == "Renamed"
    assert periods(account, created["id"]) == before
    account.put(f"/goals/{created['id']}", {"goal": {"endOn": "2026-01-31"}})
    after = periods(account, created["id"])
    assert len(after) == 5 and not {p["id"] for p in after} & {p["id"] for p in before}


def test_update_that_breaks_the_goal_is_422_and_changes_nothing(account):
    created = create(account)
    response = account.put(f"/goals/{created['id']}", {"goal": {"type": CREATED_SUM}})
    assert errors_of(response)[0]["field"] == "currency"
    assert account.get(f"/goals/{created['id']}").json() == {"goal": created}


def test_delete_removes_the_goal_and_its_periods(account):
    created = create(account)
    assert account.delete(f"/goals/{created['id']}").status_code == 204
    assert account.get(f"/goals/{created['id']}").status_code == 404
    assert account.get(f"/goals/{created['id']}/periods").status_code == 404


def test_goals_are_set_by_administrators_only(account, engine):
    created = create(account)
    _, headers = add_user(engine, account, "Member", "member")
    response = account.client.post("/api/v2/goals", json={"goal": goal(account)}, headers=headers)
    assert response.status_code == 403
    assert account.client.get(f"/api/v2/goals/{created['id']}", headers=headers).status_code == 200
    gone = account.client.delete(f"/api/v2/goals/{created['id']}", headers=headers)
    assert gone.status_code == 403


def test_another_accounts_goal_is_404_everywhere(account, other_account):
    created = create(account)
    path = f"/goals/{created['id']}"
    assert other_account.get(path).status_code == 404
    assert other_account.get(f"{path}/periods").status_code == 404
    assert other_account.put(path, {"goal": {"name": "Mine"}}).status_code == 404
    assert other_account.delete(path).status_code == 404
    assert other_account.get("/goals").json() == {"goals": []}
    assert account.get(path).json() == {"goal": created}


def test_user_of_another_account_is_not_found(account, other_account):
    response = account.post("/goals", {"goal": goal(account, user=other_account.user_id)})
    assert errors_of(response)[0]["field"] == "user"
