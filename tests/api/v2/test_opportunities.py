"""Opportunities on API v2: milestones, closing, value, additional parties, party deletion."""

from datetime import UTC, datetime

import pytest

from tests.api.v2.checks import errors_of
from tests.conftest import Account


@pytest.fixture
def milestones(account) -> dict[str, dict]:
    """The default pipeline's milestones by name: New, Bid, Won, Lost."""
    return {m["name"]: m for m in account.get("/milestones").json()["milestones"]}


@pytest.fixture
def customer(account) -> dict:
    body = {"type": "organisation", "name": "Capsule"}
    return account.post("/parties", {"party": body}).json()["party"]


def create(account: Account, customer: dict, milestone: dict, **extra: object) -> dict:
    body = {
        "name": "Consulting",
        "party": {"id": customer["id"]},
        "milestone": {"id": milestone["id"]},
    }
    response = account.post("/opportunities", {"opportunity": {**body, **extra}})
    assert response.status_code == 201, response.text
    return response.json()["opportunity"]


def change(account: Account, opportunity: dict, **values: object):
    return account.put(f"/opportunities/{opportunity['id']}", {"opportunity": values})


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def test_opportunity_has_capsules_shape_key_for_key(account, customer, milestones):
    opportunity = create(
        account,
        customer,
        milestones["Bid"],
        description="Scope and design",
        value={"amount": 500, "currency": "GBP"},
        expectedCloseOn="2015-10-31",
    )
    assert list(opportunity) == [
        "id",
        "updatedAt",
        "description",
        "owner",
        "party",
        "lostReason",
        "milestone",
        "value",
        "expectedCloseOn",
        "probability",
        "durationBasis",
        "duration",
        "closedOn",
        "createdAt",
        "name",
        "team",
        "lastContactedAt",
        "lastStageChangedAt",
        "lastOpenMilestone",
    ]
    assert opportunity["party"] == {
        "id": customer["id"],
        "type": "organisation",
        "name": "Capsule",
        "pictureURL": "https://capsulecrm.com/theme/default/images/org_avatar_70.png",
    }
    assert opportunity["milestone"] == {"id": milestones["Bid"]["id"], "name": "Bid"}
    assert opportunity["value"] == {"amount": 500, "currency": "GBP"}
    assert (opportunity["probability"], opportunity["durationBasis"]) == (50, "FIXED")
    assert (opportunity["closedOn"], opportunity["lostReason"], opportunity["duration"]) == (
        None,
        None,
        None,
    )
    assert opportunity["owner"]["id"] == account.user_id  # the token's user, by default
    assert opportunity["lastOpenMilestone"] == {"id": milestones["Bid"]["id"], "name": "Bid"}


@pytest.mark.parametrize("missing", ["name", "party", "milestone"])
def test_name_party_and_milestone_are_required(account, customer, milestones, missing):
    body = {"name": "Deal", "party": customer["id"], "milestone": milestones["New"]["id"]}
    del body[missing]
    assert errors_of(account.post("/opportunities", {"opportunity": body})) == [
        {"message": f"{missing} is required", "resource": "opportunity", "field": missing}
    ]


def test_party_and_milestone_of_another_account_are_not_found(
    account, other_account, customer, milestones
):
    theirs = other_account.get("/milestones").json()["milestones"][0]
    body = {"name": "Deal", "party": customer["id"], "milestone": theirs["id"]}
    assert (
        errors_of(account.post("/opportunities", {"opportunity": body}))[0]["message"]
        == "milestone not found"
    )
    their_party = other_account.post(
        "/parties", {"party": {"type": "person", "lastName": "T"}}
    ).json()["party"]
    body = {"name": "Deal", "party": their_party["id"], "milestone": milestones["New"]["id"]}
    assert (
        errors_of(account.post("/opportunities", {"opportunity": body}))[0]["message"]
        == "party not found"
    )


def test_value_needs_a_known_currency_and_keeps_decimals(account, customer, milestones):
    opportunity = create(
        account, customer, milestones["New"], value={"amount": "1250.50", "currency": "usd"}
    )
    assert opportunity["value"] == {"amount": 1250.5, "currency": "USD"}
    for value, field in (
        ({"amount": 10}, "value.currency"),
        ({"amount": 10, "currency": "XYZ"}, "value.currency"),
        ({"amount": "lots", "currency": "GBP"}, "value.amount"),
        ({"currency": "EUR"}, "value.amount"),
    ):
        assert errors_of(change(account, opportunity, value=value))[0]["field"] == field
    assert change(account, opportunity, value=None).json()["opportunity"]["value"] is None


def test_probability_follows_the_milestone_unless_set(account, customer, milestones):
    opportunity = create(account, customer, milestones["New"])
    assert opportunity["probability"] == 10
    assert change(account, opportunity, probability=35).json()["opportunity"]["probability"] == 35
    moved = change(account, opportunity, milestone=milestones["Bid"]["id"]).json()["opportunity"]
    assert moved["probability"] == 50
    both = change(account, opportunity, milestone=milestones["New"]["id"], probability=20)
    assert both.json()["opportunity"]["probability"] == 20


def test_moving_to_a_complete_milestone_closes_it_won(account, customer, milestones):
    opportunity = create(account, customer, milestones["Bid"], probability=70)
    won = change(account, opportunity, milestone={"id": milestones["Won"]["id"]}).json()[
        "opportunity"
    ]
    assert (won["closedOn"], won["probability"]) == (today(), 100)
    assert won["lastOpenMilestone"] == {"id": milestones["Bid"]["id"], "name": "Bid"}
    assert won["lastStageChangedAt"] >= opportunity["lastStageChangedAt"]
    refused = change(account, opportunity, probability=90)
    assert errors_of(refused) == [
        {
            "message": "probability can be updated only for open opportunity",
            "resource": "opportunity",
            "field": "probability",
        }
    ]
    reopened = change(account, opportunity, milestone=milestones["New"]["id"]).json()["opportunity"]
    assert (reopened["closedOn"], reopened["probability"]) == (None, 10)
    assert reopened["lastOpenMilestone"]["name"] == "New"


def test_a_lost_opportunity_keeps_its_lost_reason_only_while_lost(account, customer, milestones):
    reason = account.post("/lostreasons", {"lostReason": {"name": "Too expensive"}}).json()[
        "lostReason"
    ]
    opportunity = create(account, customer, milestones["Bid"])
    lost = change(
        account, opportunity, milestone=milestones["Lost"]["id"], lostReason=reason["id"]
    ).json()["opportunity"]
    assert (lost["probability"], lost["closedOn"]) == (0, today())
    assert lost["lostReason"] == {"id": reason["id"], "name": "Too expensive"}
    won = change(account, opportunity, milestone=milestones["Won"]["id"]).json()["opportunity"]
    assert won["lostReason"] is None
    assert won["lastOpenMilestone"]["name"] == "Bid"  # kept while moving between closed ones
    dropped = create(account, customer, milestones["New"], lostReason=reason["id"])
    assert dropped["lostReason"] is None  # silently, as Capsule does on an open opportunity
    bad = change(account, opportunity, milestone=milestones["Lost"]["id"], lostReason=987654)
    assert errors_of(bad)[0]["field"] == "lostReason"


def test_created_on_a_closing_milestone_is_closed_at_once(account, customer, milestones):
    won = create(account, customer, milestones["Won"])
    assert (won["closedOn"], won["probability"], won["lastOpenMilestone"]) == (today(), 100, None)
    body = {
        "name": "X",
        "party": customer["id"],
        "milestone": milestones["Won"]["id"],
        "probability": 5,
    }
    assert (
        errors_of(account.post("/opportunities", {"opportunity": body}))[0]["field"]
        == "probability"
    )


def test_duration_counts_basis_units_and_is_empty_when_fixed(account, customer, milestones):
    opportunity = create(account, customer, milestones["New"], durationBasis="MONTH", duration=3)
    assert (opportunity["durationBasis"], opportunity["duration"]) == ("MONTH", 3)
    assert errors_of(change(account, opportunity, durationBasis="FIXED"))[0]["field"] == "duration"
    fixed = change(account, opportunity, durationBasis="FIXED", duration=None).json()["opportunity"]
    assert (fixed["durationBasis"], fixed["duration"]) == ("FIXED", None)
    assert errors_of(change(account, opportunity, durationBasis="WEEK"))[0]["field"] == "duration"
    assert (
        errors_of(change(account, opportunity, durationBasis="DECADE"))[0]["field"]
        == "durationBasis"
    )


def test_expected_close_on_is_a_date(account, customer, milestones):
    opportunity = create(account, customer, milestones["New"], expectedCloseOn="2026-03-31")
    assert opportunity["expectedCloseOn"] == "2026-03-31"
    assert (
        errors_of(change(account, opportunity, expectedCloseOn="31/03/2026"))[0]["field"]
        == "expectedCloseOn"
    )


def test_owner_can_be_unassigned_and_must_be_in_the_team(account, customer, milestones):
    opportunity = create(account, customer, milestones["New"])
    assert change(account, opportunity, owner=None).json()["opportunity"]["owner"] is None
    team = account.post("/teams", {"team": {"name": "Empty"}}).json()["team"]
    refused = change(account, opportunity, owner=account.user_id, team=team["id"])
    assert errors_of(refused)[0]["message"] == "owner is not a member of the team"


def test_embeds_give_the_full_party_and_milestone(account, customer, milestones):
    opportunity = create(account, customer, milestones["Bid"], tags=[{"name": "Hot"}])
    shown = account.get(f"/opportunities/{opportunity['id']}?embed=party,milestone,tags").json()[
        "opportunity"
    ]
    assert shown["party"] == account.get(f"/parties/{customer['id']}").json()["party"]
    assert (
        shown["milestone"]
        == account.get(f"/milestones/{milestones['Bid']['id']}").json()["milestone"]
    )
    assert [t["name"] for t in shown["tags"]] == ["Hot"]
    assert account.get("/opportunities/tags").json()["tags"][0]["name"] == "Hot"
    assert account.get("/parties/tags").json() == {"tags": []}  # tags are per record type


def test_custom_fields_of_opportunities_are_their_own(account, customer, milestones):
    field = {"name": "Source", "type": "text", "important": True}
    definition = account.post("/opportunities/fields/definitions", {"definition": field}).json()[
        "definition"
    ]
    opportunity = create(account, customer, milestones["New"])
    path = f"/opportunities/{opportunity['id']}?embed=fields,missingImportantFields"
    assert account.get(path).json()["opportunity"]["missingImportantFields"] is True
    change(account, opportunity, fields=[{"definition": definition["id"], "value": "Referral"}])
    shown = account.get(path).json()["opportunity"]
    assert [f["value"] for f in shown["fields"]] == ["Referral"]
    assert shown["missingImportantFields"] is False
    wrong = change(account, opportunity, fields=[{"definition": 987654, "value": "x"}])
    assert errors_of(wrong)[0]["message"] == "definition not found"


def test_search_finds_names_and_descriptions(account, customer, milestones):
    a = create(account, customer, milestones["New"], name="Website redesign")
    b = create(
        account,
        customer,
        milestones["New"],
        name="Hosting",
        description="Annual hosting for the website",
    )
    create(account, customer, milestones["New"], name="Training")
    found = account.get("/opportunities/search?q=website").json()["opportunities"]
    assert [o["id"] for o in found] == [a["id"], b["id"]]
    change(account, b, description="Annual hosting")
    assert [
        o["id"] for o in account.get("/opportunities/search?q=WEBSITE").json()["opportunities"]
    ] == [a["id"]]


def test_a_partys_opportunities_are_those_it_is_the_main_party_of(account, customer, milestones):
    mine = create(account, customer, milestones["New"])
    other = account.post("/parties", {"party": {"type": "person", "lastName": "Other"}}).json()[
        "party"
    ]
    theirs = create(account, other, milestones["New"])
    account.post(f"/opportunities/{theirs['id']}/parties/{customer['id']}", None)
    listed = account.get(f"/parties/{customer['id']}/opportunities").json()["opportunities"]
    assert [o["id"] for o in listed] == [mine["id"]]
    assert account.get("/parties/987654/opportunities").status_code == 404


def test_additional_parties_are_added_listed_and_removed(account, customer, milestones):
    opportunity = create(account, customer, milestones["New"])
    person = account.post("/parties", {"party": {"type": "person", "lastName": "Extra"}}).json()[
        "party"
    ]
    path = f"/opportunities/{opportunity['id']}/parties"
    added = account.post(f"{path}/{person['id']}", None)
    assert (added.status_code, added.content) == (204, b"")
    assert [p["id"] for p in account.get(path).json()["parties"]] == [person["id"]]
    assert errors_of(account.post(f"{path}/{person['id']}", None))[0]["message"] == (
        "party is already a contact for this opportunity"
    )
    assert errors_of(account.post(f"{path}/{customer['id']}", None))[0]["message"] == (
        "party is already related to this opportunity"
    )
    assert account.post(f"{path}/987654", None).status_code == 404
    assert account.delete(f"{path}/{person['id']}").status_code == 204
    assert account.get(path).json() == {"parties": []}
    assert account.delete(f"{path}/{person['id']}").status_code == 404


def test_deleting_a_party_deletes_the_opportunities_it_is_the_main_party_of(
    account, customer, milestones
):
    gone = create(account, customer, milestones["New"])
    other = account.post("/parties", {"party": {"type": "person", "lastName": "Stays"}}).json()[
        "party"
    ]
    kept = create(account, other, milestones["New"])
    account.post(f"/opportunities/{kept['id']}/parties/{customer['id']}", None)
    assert account.delete(f"/parties/{customer['id']}").status_code == 204
    assert account.get(f"/opportunities/{gone['id']}").status_code == 404
    feed = account.get("/opportunities/deleted?since=2000-01-01T00:00:00Z").json()["opportunities"]
    assert [item["id"] for item in feed] == [gone["id"]]
    assert account.get(f"/opportunities/{kept['id']}/parties").json() == {"parties": []}
    assert account.get(f"/opportunities/{kept['id']}").status_code == 200


def test_a_milestone_in_use_cannot_be_deleted(account, customer, milestones):
    create(account, customer, milestones["Bid"])
    response = account.delete(f"/milestones/{milestones['Bid']['id']}")
    assert errors_of(response)[0]["message"] == "milestone is in use"
