"""Saved filters (/{parties,opportunities,kases}/filters): listed, shown and run as Capsule's
are; saved, changed and deleted through the API as a Pillbox extension."""

import pytest

from tests.api.snapshot import account_snapshot
from tests.api.v2.checks import errors_of

VIP = {"field": "tag", "operator": "is", "value": "VIP"}
BY_NAME = [{"field": "name", "direction": "descending"}]


def party(account, name, *tags):
    body = {"type": "organisation", "name": name, "tags": [{"name": t} for t in tags]}
    response = account.post("/parties", {"party": body})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def save(account, entity="parties", **changes):
    body = {"name": "VIPs", "conditions": [VIP], "orderBy": BY_NAME, **changes}
    response = account.post(f"/{entity}/filters", {"filter": body})
    assert response.status_code == 201, response.text
    return response.json()["filter"]


def names(account, path):
    response = account.get(path)
    assert response.status_code == 200, response.text
    return [record["name"] for record in response.json()["parties"]]


def test_saved_filter_is_shown_with_the_filter_it_was_saved_with(account):
    saved = save(account)
    assert saved == {
        "id": saved["id"],
        "name": "VIPs",
        "conditions": [VIP],
        "orderBy": BY_NAME,
        "createdAt": saved["createdAt"],
        "updatedAt": saved["updatedAt"],
    }
    assert account.get(f"/parties/filters/{saved['id']}").json() == {"filter": saved}
    assert account.get("/parties/filters").json() == {"filters": [saved]}


def test_results_run_the_stored_conditions_in_the_stored_order(account):
    party(account, "Acme", "VIP")
    party(account, "Zeta", "VIP")
    party(account, "Plain")
    saved = save(account)
    assert names(account, f"/parties/filters/{saved['id']}/results") == ["Zeta", "Acme"]
    party(account, "Moss", "VIP")  # a saved filter selects the records of today
    assert names(account, f"/parties/filters/{saved['id']}/results") == ["Zeta", "Moss", "Acme"]


def test_results_are_paged_and_take_embeds(account):
    for name in ("A", "B", "C"):
        party(account, name, "VIP")
    saved = save(account, orderBy=[])
    response = account.get(f"/parties/filters/{saved['id']}/results?perPage=2&embed=tags")
    assert [p["name"] for p in response.json()["parties"]] == ["A", "B"]
    assert response.json()["parties"][0]["tags"][0]["name"] == "VIP"
    assert 'rel="next"' in response.headers["Link"]
    second = account.get(f"/parties/filters/{saved['id']}/results?perPage=2&page=2")
    assert [p["name"] for p in second.json()["parties"]] == ["C"]


def test_group_conditions_are_kept_and_run(account):
    party(account, "Acme", "Gold")
    party(account, "Zeta", "Silver")
    party(account, "Plain")
    group = {
        "conditions": [
            {"field": "tag", "operator": "is", "value": "Gold"},
            {"field": "tag", "operator": "is", "value": "Silver"},
        ]
    }
    saved = save(account, conditions=[group], orderBy=[])
    assert saved["conditions"] == [group]
    assert names(account, f"/parties/filters/{saved['id']}/results") == ["Acme", "Zeta"]


@pytest.mark.parametrize("entity", ["opportunities", "kases"])
def test_opportunity_and_project_filters_run_on_their_records(account, entity):
    customer = party(account, "Customer")
    milestone = account.get("/milestones").json()["milestones"][0]["id"]
    stage = account.get("/stages").json()["stages"][0]["id"]
    extra = {"opportunities": {"milestone": milestone}, "kases": {"stage": stage}}[entity]
    singular = {"opportunities": "opportunity", "kases": "kase"}[entity]
    for name in ("Big deal", "Small deal"):
        body = {"name": name, "party": customer["id"], **extra}
        assert account.post(f"/{entity}", {singular: body}).status_code == 201
    condition = {"field": "name", "operator": "starts with", "value": "big"}
    saved = save(account, entity, conditions=[condition], orderBy=[])
    response = account.get(f"/{entity}/filters/{saved['id']}/results")
    assert [r["name"] for r in response.json()[entity]] == ["Big deal"]


def test_a_filter_is_found_under_its_own_record_type_only(account):
    saved = save(account)
    assert account.get(f"/opportunities/filters/{saved['id']}").status_code == 404
    assert account.get(f"/kases/filters/{saved['id']}/results").status_code == 404
    assert account.get("/opportunities/filters").json() == {"filters": []}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": " "}, "name"),
        (
            {"conditions": [{"field": "createdAt", "operator": "is", "value": "x"}]},
            "conditions[0].field",
        ),
        (
            {"conditions": [{"field": "name", "operator": "is after", "value": "x"}]},
            "conditions[0].operator",
        ),
        ({"orderBy": [{"field": "colour"}]}, "orderBy[0].field"),
    ],
)
def test_invalid_filter_is_422_and_nothing_is_saved(account, body, field):
    response = account.post("/parties/filters", {"filter": {"name": "VIPs", **body}})
    [error] = errors_of(response)
    assert (error["resource"], error["field"]) == ("filter", field)
    assert account.get("/parties/filters").json() == {"filters": []}


def test_update_changes_what_it_sends_and_is_checked_as_a_whole(account, engine):
    saved = save(account)
    renamed = account.put(f"/parties/filters/{saved['id']}", {"filter": {"name": "Top"}})
    assert renamed.json()["filter"]["conditions"] == [VIP]
    before = account_snapshot(engine, account.id)
    broken = {"conditions": [{"field": "tag", "operator": "contains"}]}
    response = account.put(f"/parties/filters/{saved['id']}", {"filter": broken})
    assert errors_of(response)[0]["field"] == "conditions[0].value"
    assert account_snapshot(engine, account.id) == before


def test_delete_removes_the_saved_filter(account):
    saved = save(account)
    assert account.delete(f"/parties/filters/{saved['id']}").status_code == 204
    assert account.get(f"/parties/filters/{saved['id']}").status_code == 404
    assert account.get(f"/parties/filters/{saved['id']}/results").status_code == 404


def test_a_read_token_lists_and_runs_but_does_not_save(account):
    saved = save(account)
    headers = account.read_headers
    assert (
        account.get(f"/parties/filters/{saved['id']}/results", headers=headers).status_code == 200
    )
    body = {"filter": {"name": "Mine", "conditions": []}}
    assert account.post("/parties/filters", body, headers=headers).status_code == 403


def test_another_accounts_saved_filter_is_404_everywhere(account, other_account):
    saved = save(account)
    path = f"/parties/filters/{saved['id']}"
    assert other_account.get(path).status_code == 404
    assert other_account.get(f"{path}/results").status_code == 404
    assert other_account.put(path, {"filter": {"name": "Mine"}}).status_code == 404
    assert other_account.delete(path).status_code == 404
    assert other_account.get("/parties/filters").json() == {"filters": []}
    assert account.get(path).json() == {"filter": saved}
