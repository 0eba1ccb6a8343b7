"""POST /opportunities/value: the total and projected value of the opportunities a filter
selects, in the caller's currency."""

import pytest

from tests.api.v2.checks import errors_of


@pytest.fixture
def deals(account):
    customer = account.post("/parties", {"party": {"type": "organisation", "name": "C"}}).json()
    milestones = {m["name"]: m for m in account.get("/milestones").json()["milestones"]}
    made = []
    for name, milestone, amount, currency in (
        ("Alpha", "New", 1000, "GBP"),  # New: 10%
        ("Beta", "Bid", 500.5, "GBP"),  # Bid: 50%
        ("Gamma", "Bid", 9000, "USD"),  # another currency: left out
        ("Delta", "New", None, None),  # no value
    ):
        body = {
            "name": name,
            "party": customer["party"]["id"],
            "milestone": milestones[milestone]["id"],
        }
        if amount is not None:
            body["value"] = {"amount": amount, "currency": currency}
        response = account.post("/opportunities", {"opportunity": body})
        assert response.status_code == 201, response.text
        made.append(response.json()["opportunity"])
    return made


def value(account, *conditions):
    response = account.post("/opportunities/value", {"filter": {"conditions": list(conditions)}})
    assert response.status_code == 200, response.text
    return response.json()


def test_value_sums_the_selected_opportunities_in_the_callers_currency(account, deals):
    probabilities = {d["name"]: d["probability"] for d in deals}
    expected = 1000 * probabilities["Alpha"] / 100 + 500.5 * probabilities["Beta"] / 100
    body = value(account)
    assert list(body) == ["totalValue", "projectedValue", "meta"]
    assert body["totalValue"] == 1500.5
    assert body["projectedValue"] == pytest.approx(expected)
    assert body["meta"] == {"currency": "GBP"}


def test_value_counts_only_what_the_filter_selects(account, deals):
    body = value(account, {"field": "name", "operator": "is", "value": "Alpha"})
    assert body["totalValue"] == 1000


def test_value_of_nothing_is_zero(account, deals):
    body = value(account, {"field": "name", "operator": "is", "value": "Nobody"})
    assert (body["totalValue"], body["projectedValue"]) == (0, 0)


def test_invalid_filter_is_422(account):
    response = account.post(
        "/opportunities/value",
        {"filter": {"conditions": [{"field": "colour", "operator": "is", "value": "red"}]}},
    )
    assert errors_of(response)[0]["field"] == "conditions[0].field"


def test_another_accounts_opportunities_are_not_counted(other_account, deals):
    assert value(other_account)["totalValue"] == 0
