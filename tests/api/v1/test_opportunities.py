"""API v1 opportunities, in XML and in JSON, over the same records as v2."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from tests.api.snapshot import account_snapshot
from tests.api.v1.fuzzing import PER_FORMAT, never_fail
from tests.api.v1.wire import FORMATS, V1, created_id, error_message, items, xml_body
from tests.api.v2.checks import add_user

pytestmark = pytest.mark.parametrize("fmt", FORMATS)

CONSULTING = {
    "name": "Consulting",
    "description": "Scope and design web site shopping cart",
    "currency": "GBP",
    "value": "500.00",
    "durationBasis": "DAY",
    "duration": "10",
    "expectedCloseDate": "2012-09-30T00:00:00Z",
    "milestone": "Bid",
}


@pytest.fixture
def party(v1) -> int:
    return v1.create("organisation", {"name": "Capsule"})


@pytest.fixture
def milestones(account) -> dict[str, dict]:
    """The default pipeline's milestones by name: New, Bid, Won, Lost."""
    return {m["name"]: m for m in account.get("/milestones").json()["milestones"]}


def create(v1: V1, party_id: int, fmt: str, query: str = "", **values: Any) -> int:
    document = {"opportunity": {"name": "Consulting", "milestone": "New", **values}}
    return created_id(v1.post(f"/party/{party_id}/opportunity{query}", document, fmt))


def show(v1: V1, opportunity_id: int, fmt: str) -> dict[str, Any]:
    return v1.read(f"/opportunity/{opportunity_id}", fmt)["opportunity"]


def change(v1: V1, opportunity_id: int, fmt: str, **values: Any) -> Any:
    return v1.put(f"/opportunity/{opportunity_id}", {"opportunity": values}, fmt)


def today() -> str:
    return datetime.now(UTC).date().isoformat()


# -- create and show ------------------------------------------------------------------------------


def test_creating_an_opportunity_answers_201_with_an_empty_body_and_its_location(v1, party, fmt):
    document = {"opportunity": {"name": "Consulting", "milestone": "New"}}
    response = v1.post(f"/party/{party}/opportunity", document, fmt)
    assert response.status_code == 201
    assert response.content == b""
    location = response.headers["Location"]
    assert location.startswith("http://pillbox.test/api/opportunity/")
    assert location.rsplit("/", 1)[1].isdigit()


def test_a_created_opportunity_shows_every_field_as_a_string(v1, party, milestones, fmt):
    opportunity_id = create(v1, party, fmt, **CONSULTING)
    opportunity = show(v1, opportunity_id, fmt)
    assert opportunity.pop("createdOn").endswith("Z")
    assert opportunity.pop("updatedOn").endswith("Z")
    assert opportunity == {
        "id": str(opportunity_id),
        "name": "Consulting",
        "description": "Scope and design web site shopping cart",
        "partyId": str(party),
        "currency": "GBP",
        "value": "500.00",
        "durationBasis": "DAY",
        "duration": "10",
        "expectedCloseDate": "2012-09-30T00:00:00Z",
        "milestoneId": str(milestones["Bid"]["id"]),
        "milestone": "Bid",
        "probability": "50",
        "owner": "ada",
    }


def test_xml_shows_an_opportunity_in_v1s_element_order(v1, party, milestones, fmt):
    opportunity_id = create(v1, party, fmt, **CONSULTING)
    body = v1.get(f"/opportunity/{opportunity_id}").text
    assert body.startswith(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<opportunity><id>{opportunity_id}</id><name>Consulting</name><description>"
    )
    assert (
        f"<partyId>{party}</partyId><currency>GBP</currency><value>500.00</value>"
        "<durationBasis>DAY</durationBasis><duration>10</duration>"
        "<expectedCloseDate>2012-09-30T00:00:00Z</expectedCloseDate>"
        f"<milestoneId>{milestones['Bid']['id']}</milestoneId><milestone>Bid</milestone>"
        "<probability>50</probability><owner>ada</owner><createdOn>"
    ) in body


def test_a_milestone_id_alone_names_the_milestone_and_a_name_matches_in_any_case(
    v1, party, milestones, fmt
):
    by_id = create(v1, party, fmt, milestone="", milestoneId=str(milestones["Bid"]["id"]))
    assert show(v1, by_id, fmt)["milestone"] == "Bid"
    by_name = create(v1, party, fmt, milestone="bid")
    assert show(v1, by_name, fmt)["milestoneId"] == str(milestones["Bid"]["id"])


def test_a_value_keeps_its_decimals_and_shows_at_least_two(v1, party, fmt):
    whole = create(v1, party, fmt, value="1250", currency="usd")
    assert (show(v1, whole, fmt)["value"], show(v1, whole, fmt)["currency"]) == ("1250.00", "USD")
    fine = create(v1, party, fmt, value="0.125", currency="EUR")
    assert show(v1, fine, fmt)["value"] == "0.125"


def test_a_value_without_a_currency_takes_the_users_currency(v1, party, fmt):
    opportunity_id = create(v1, party, fmt, value="99.5")
    shown = show(v1, opportunity_id, fmt)
    assert (shown["value"], shown["currency"]) == ("99.50", "GBP")


@pytest.mark.parametrize(
    "sent",
    ["2012-03-21", "20120321", "2012-03-21T00:00:00Z", "2012-03-21T23:30:00-05:00"],
)
def test_a_date_is_taken_as_written_and_shown_at_midnight(v1, party, fmt, sent):
    opportunity_id = create(v1, party, fmt, expectedCloseDate=sent)
    assert show(v1, opportunity_id, fmt)["expectedCloseDate"] == "2012-03-21T00:00:00Z"


def test_an_opportunity_is_not_created_for_a_missing_or_foreign_party(
    client, other_account, v1, fmt
):
    theirs = V1(client, other_account.token).create("organisation", {"name": "Theirs"})
    document = {"opportunity": {"name": "Consulting", "milestone": "New"}}
    assert v1.post("/party/999999/opportunity", document, fmt).status_code == 404
    assert v1.post(f"/party/{theirs}/opportunity", document, fmt).status_code == 404
    assert v1.read("/opportunity", fmt) == {"opportunities": {"@size": "0"}}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"milestone": "New"}, "name is required"),
        ({"name": "X"}, "milestone is required"),
        ({"name": "X", "milestone": "Nope"}, "milestone not found"),
        ({"name": "X", "milestoneId": "abc"}, "milestoneId must be an id"),
        ({"name": "X", "milestoneId": "987654"}, "milestone not found"),
        ({"name": "X", "milestone": "New", "owner": "nobody"}, "owner not found"),
        ({"name": "X", "milestone": "New", "value": "lots"}, "amount must be a number"),
        ({"name": "X", "milestone": "New", "value": "5", "currency": "XXX"}, "currency"),
        ({"name": "X", "milestone": "New", "expectedCloseDate": "soon"}, "expectedCloseDate"),
        ({"name": "X", "milestone": "New", "durationBasis": "DAY"}, "duration is required"),
        ({"name": "X", "milestone": "New", "durationBasis": "AGES"}, "durationBasis"),
        ({"name": "X", "milestone": "New", "duration": "ten"}, "duration must be an integer"),
        ({"name": "X", "milestone": "New", "probability": "500"}, "probability"),
        ({"name": "X" * 201, "milestone": "New"}, "name is too long"),
    ],
)
def test_a_document_breaking_a_rule_is_400_and_creates_nothing(
    engine, account, v1, party, fmt, document, message
):
    before = account_snapshot(engine, account.id)
    response = v1.post(f"/party/{party}/opportunity", {"opportunity": document}, fmt)
    assert response.status_code == 400
    assert message in error_message(response, fmt)
    assert account_snapshot(engine, account.id) == before


def test_a_malformed_body_or_a_document_of_another_root_is_400(v1, party, fmt):
    wrong_root = v1.post(f"/party/{party}/opportunity", {"kase": {"name": "X"}}, fmt)
    assert wrong_root.status_code == 400
    malformed = v1.request(
        "POST", f"/party/{party}/opportunity", fmt, content=b"<opportunity><name>", headers={}
    )
    assert malformed.status_code == 400
    assert v1.read("/opportunity", fmt) == {"opportunities": {"@size": "0"}}


# -- tracks on create ----------------------------------------------------------------------------


def define_track(account, capture_rule: str = "OPPORTUNITY") -> dict[str, Any]:
    body = {
        "description": "Follow up",
        "captureRule": capture_rule,
        "direction": "END_DATE",
        "taskDefinitions": [
            {
                "description": "Call",
                "daysAfterRule": "TRACK_START",
                "daysAfter": 2,
                "dayDelayRule": "TRACK_DAYS",
                "trackTaskAssignee": {"assigneeType": "ENTITY_OWNER"},
            }
        ],
    }
    response = account.post("/trackdefinitions", {"trackDefinition": body})
    assert response.status_code == 201, response.text
    return dict(response.json()["trackDefinition"])


def test_track_id_applies_a_track_dated_by_end_date(account, v1, party, fmt):
    definition = define_track(account)
    query = f"?trackId={definition['id']}&endDate=20260331"
    opportunity_id = create(v1, party, fmt, query)
    (track,) = account.get(f"/opportunities/{opportunity_id}/tracks").json()["tracks"]
    assert (track["description"], track["trackDateOn"]) == ("Follow up", "2026-03-31")


def test_track_id_is_also_taken_as_an_element_and_dated_today_by_default(account, v1, party, fmt):
    definition = define_track(account)
    opportunity_id = create(v1, party, fmt, trackId=str(definition["id"]))
    (track,) = account.get(f"/opportunities/{opportunity_id}/tracks").json()["tracks"]
    assert track["trackDateOn"] == today()


@pytest.mark.parametrize("query", ["?trackId=987654", "?trackId=x", "?trackId={case}"])
def test_an_unusable_track_is_400_and_creates_nothing(engine, account, v1, party, fmt, query):
    case_definition = define_track(account, "CASEFILE")
    before = account_snapshot(engine, account.id)
    document = {"opportunity": {"name": "Consulting", "milestone": "New"}}
    path = f"/party/{party}/opportunity" + query.format(case=case_definition["id"])
    assert v1.post(path, document, fmt).status_code == 400
    bad_date = f"/party/{party}/opportunity?trackId={case_definition['id']}&endDate=never"
    assert v1.post(bad_date, document, fmt).status_code == 400
    assert account_snapshot(engine, account.id) == before


# -- update ---------------------------------------------------------------------------------------


def test_an_update_answers_200_and_changes_only_what_is_sent(v1, party, fmt):
    opportunity_id = create(v1, party, fmt, **CONSULTING)
    before = show(v1, opportunity_id, fmt)
    response = change(v1, opportunity_id, fmt, name="Consulting, phase 2", description="")
    assert response.status_code == 200
    assert response.content == b""
    after = show(v1, opportunity_id, fmt)
    assert after["name"] == "Consulting, phase 2"
    assert "description" not in after
    unchanged = ("name", "description", "updatedOn")
    assert {k: v for k, v in after.items() if k not in unchanged} == {
        k: v for k, v in before.items() if k not in unchanged
    }


def test_value_and_currency_change_apart_and_an_empty_value_clears_both(v1, party, fmt):
    opportunity_id = create(v1, party, fmt, value="500", currency="EUR")
    change(v1, opportunity_id, fmt, value="750")
    assert (show(v1, opportunity_id, fmt)["value"], show(v1, opportunity_id, fmt)["currency"]) == (
        "750.00",
        "EUR",
    )
    change(v1, opportunity_id, fmt, currency="USD")
    shown = show(v1, opportunity_id, fmt)
    assert (shown["value"], shown["currency"]) == ("750.00", "USD")
    assert change(v1, opportunity_id, fmt, value="").status_code == 200
    shown = show(v1, opportunity_id, fmt)
    assert "value" not in shown and "currency" not in shown
    assert change(v1, opportunity_id, fmt, currency="GBP").status_code == 200
    assert "currency" not in show(v1, opportunity_id, fmt)


def test_a_closing_milestone_closes_it_and_a_resent_probability_is_ignored(
    v1, party, milestones, fmt
):
    opportunity_id = create(v1, party, fmt, milestone="Bid")
    read_back = show(v1, opportunity_id, fmt)
    closing = {**read_back, "milestone": "Won"}
    assert (
        v1.put(f"/opportunity/{opportunity_id}", {"opportunity": closing}, fmt).status_code == 200
    )
    won = show(v1, opportunity_id, fmt)
    assert (won["milestone"], won["milestoneId"]) == ("Won", str(milestones["Won"]["id"]))
    assert won["probability"] == "100"
    assert won["actualCloseDate"] == f"{today()}T00:00:00Z"
    assert v1.put(f"/opportunity/{opportunity_id}", {"opportunity": won}, fmt).status_code == 200
    reopened = change(v1, opportunity_id, fmt, milestoneId=str(milestones["New"]["id"]))
    assert reopened.status_code == 200
    shown = show(v1, opportunity_id, fmt)
    assert (shown["milestone"], shown["probability"]) == ("New", "10")
    assert "actualCloseDate" not in shown


def test_a_changed_probability_is_kept_on_an_open_milestone(v1, party, fmt):
    opportunity_id = create(v1, party, fmt, milestone="Bid")
    assert change(v1, opportunity_id, fmt, probability="65").status_code == 200
    assert show(v1, opportunity_id, fmt)["probability"] == "65"


def test_of_milestone_id_and_name_the_one_naming_another_milestone_wins(v1, party, milestones, fmt):
    opportunity_id = create(v1, party, fmt, milestone="New")
    new_id = str(milestones["New"]["id"])
    change(v1, opportunity_id, fmt, milestoneId=new_id, milestone="Bid")
    assert show(v1, opportunity_id, fmt)["milestone"] == "Bid"
    change(v1, opportunity_id, fmt, milestoneId=new_id, milestone="Bid")
    assert show(v1, opportunity_id, fmt)["milestone"] == "New"


def test_a_milestone_name_is_found_in_the_opportunitys_own_pipeline_first(account, v1, party, fmt):
    pipeline = account.post("/pipelines", {"pipeline": {"name": "Renewals"}}).json()["pipeline"]
    for name in ("Start", "Bid"):
        body = {"name": name, "probability": 40, "pipeline": {"id": pipeline["id"]}}
        account.post("/milestones", {"milestone": body})
    renewal_bid = next(
        m
        for m in account.get(f"/pipelines/{pipeline['id']}/milestones").json()["milestones"]
        if m["name"] == "Bid"
    )
    opportunity_id = create(v1, party, fmt, milestone="Start")
    change(v1, opportunity_id, fmt, milestone="bid")
    assert show(v1, opportunity_id, fmt)["milestoneId"] == str(renewal_bid["id"])
    elsewhere = create(v1, party, fmt, milestone="Bid")
    assert show(v1, elsewhere, fmt)["milestoneId"] != str(renewal_bid["id"])


def test_a_fixed_duration_basis_clears_the_duration(v1, party, fmt):
    opportunity_id = create(v1, party, fmt, durationBasis="month", duration="3")
    assert show(v1, opportunity_id, fmt)["durationBasis"] == "MONTH"
    assert change(v1, opportunity_id, fmt, durationBasis="FIXED", duration="3").status_code == 200
    shown = show(v1, opportunity_id, fmt)
    assert shown["durationBasis"] == "FIXED"
    assert "duration" not in shown


def test_the_owner_is_a_username(engine, account, v1, party, fmt):
    add_user(engine, account, "Ben Other", "ben")
    opportunity_id = create(v1, party, fmt, owner="BEN")
    assert show(v1, opportunity_id, fmt)["owner"] == "ben"
    response = change(v1, opportunity_id, fmt, owner="nobody")
    assert response.status_code == 400
    assert show(v1, opportunity_id, fmt)["owner"] == "ben"


def test_read_only_elements_are_ignored(v1, party, fmt):
    other = v1.create("organisation", {"name": "Other"})
    opportunity_id = create(v1, party, fmt)
    response = change(
        v1, opportunity_id, fmt, id="1", partyId=str(other), createdOn="2001-01-01T00:00:00Z"
    )
    assert response.status_code == 200
    shown = show(v1, opportunity_id, fmt)
    assert (shown["id"], shown["partyId"]) == (str(opportunity_id), str(party))
    assert shown["createdOn"] != "2001-01-01T00:00:00Z"


def test_putting_it_under_another_party_moves_it_there(v1, party, fmt):
    other = v1.create("person", {"lastName": "Other"})
    opportunity_id = create(v1, party, fmt)
    document = {"opportunity": {"name": "Moved"}}
    assert v1.put(f"/party/{other}/opportunity/{opportunity_id}", document, fmt).status_code == 200
    shown = show(v1, opportunity_id, fmt)
    assert (shown["partyId"], shown["name"]) == (str(other), "Moved")
    named = {"opportunity": {"id": str(opportunity_id), "name": "Back"}}
    assert v1.put(f"/party/{party}/opportunity", named, fmt).status_code == 200
    shown = show(v1, opportunity_id, fmt)
    assert (shown["partyId"], shown["name"]) == (str(party), "Back")


def test_putting_under_a_party_needs_the_opportunity_and_the_party(v1, party, fmt):
    opportunity_id = create(v1, party, fmt)
    document = {"opportunity": {"name": "Moved"}}
    assert v1.put(f"/party/999999/opportunity/{opportunity_id}", document, fmt).status_code == 404
    assert v1.put(f"/party/{party}/opportunity/999999", document, fmt).status_code == 404
    assert v1.put(f"/party/{party}/opportunity", document, fmt).status_code == 400
    assert show(v1, opportunity_id, fmt)["name"] == "Consulting"


def test_updating_a_missing_opportunity_is_404(v1, fmt):
    assert change(v1, 999999, fmt, name="X").status_code == 404


def test_a_rule_broken_by_an_update_is_400_and_changes_nothing(engine, account, v1, party, fmt):
    opportunity_id = create(v1, party, fmt)
    before = account_snapshot(engine, account.id)
    assert change(v1, opportunity_id, fmt, name="").status_code == 400
    assert change(v1, opportunity_id, fmt, milestone="Nope").status_code == 400
    assert change(v1, opportunity_id, fmt, durationBasis="DAY").status_code == 400
    assert v1.put(f"/opportunity/{opportunity_id}", {"kase": {"name": "X"}}, fmt).status_code == 400
    assert account_snapshot(engine, account.id) == before


# -- delete and the deleted feed ------------------------------------------------------------------


def test_deleting_an_opportunity_answers_200_and_it_is_gone(v1, party, fmt):
    opportunity_id = create(v1, party, fmt)
    response = v1.delete(f"/opportunity/{opportunity_id}", fmt)
    assert response.status_code == 200
    assert response.content == b""
    assert v1.get(f"/opportunity/{opportunity_id}", fmt).status_code == 404
    assert v1.delete(f"/opportunity/{opportunity_id}", fmt).status_code == 404


def test_the_deleted_feed_lists_deletions_with_their_dates(account, v1, party, fmt):
    assert v1.read("/opportunity/deleted", fmt) == {"deletedOpportunities": {"@size": "0"}}
    first, second = create(v1, party, fmt), create(v1, party, fmt)
    v1.delete(f"/opportunity/{first}", fmt)
    account.delete(f"/opportunities/{second}")
    feed = v1.read("/opportunity/deleted", fmt)["deletedOpportunities"]["deletedOpportunity"]
    assert [row["id"] for row in feed] == [str(first), str(second)]
    assert all(row["deletedDate"].startswith(today()) for row in feed)
    if fmt == "xml":
        body = v1.get("/opportunity/deleted").text
        assert f'<deletedOpportunities size="2"><deletedOpportunity><id>{first}</id>' in body


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        ("20120101T000000", ["new"]),
        ("2012-01-01T00:00:00Z", ["new"]),
        ("2012-01-01", ["new"]),
        ("2011-01-01", ["old", "new"]),
        ("20110101T120000", ["new"]),
        ("", ["old", "new"]),
    ],
)
def test_since_takes_v1_and_iso_forms(engine, v1, party, fmt, since, expected):
    ids = {"old": create(v1, party, fmt), "new": create(v1, party, fmt)}
    for record_id in ids.values():
        v1.delete(f"/opportunity/{record_id}", fmt)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE tombstones SET deleted_at = :at WHERE record_id = :id"),
            {"at": "2011-01-01T08:00:00Z", "id": ids["old"]},
        )
    feed = v1.read(f"/opportunity/deleted?since={since}", fmt)["deletedOpportunities"]
    found = [row["id"] for row in items(feed.get("deletedOpportunity"))]
    assert found == [str(ids[name]) for name in expected]


def test_an_unreadable_since_is_400(v1, fmt):
    response = v1.get("/opportunity/deleted?since=yesterday", fmt)
    assert response.status_code == 400
    assert "since must be" in error_message(response, fmt)


# -- lists ----------------------------------------------------------------------------------------


def test_an_empty_list_carries_size_zero(v1, fmt):
    response = v1.get("/opportunity", fmt)
    if fmt == "xml":
        assert response.content.endswith(b'<opportunities size="0"/>')
    else:
        assert response.json() == {"opportunities": {"@size": "0"}}


def test_a_list_of_one_holds_a_bare_object_and_start_and_limit_page_it(v1, party, fmt):
    first = create(v1, party, fmt)
    assert v1.read("/opportunity", fmt)["opportunities"]["opportunity"]["id"] == str(first)
    ids = [first] + [create(v1, party, fmt) for _ in range(4)]
    page = v1.read("/opportunity?start=1&limit=2", fmt)["opportunities"]["opportunity"]
    assert [o["id"] for o in page] == [str(i) for i in ids[1:3]]
    assert v1.read("/opportunity?start=10", fmt) == {"opportunities": {"@size": "0"}}
    assert v1.get("/opportunity?limit=many", fmt).status_code == 400


def test_milestone_and_tag_filter_by_name_in_any_case(account, v1, party, fmt):
    bid = create(v1, party, fmt, milestone="Bid")
    tagged = create(v1, party, fmt, milestone="New")
    account.put(f"/opportunities/{tagged}", {"opportunity": {"tags": [{"name": "Hot"}]}})
    found = v1.read("/opportunity?milestone=bid", fmt)["opportunities"]["opportunity"]
    assert found["id"] == str(bid)
    found = v1.read("/opportunity?tag=HOT", fmt)["opportunities"]["opportunity"]
    assert found["id"] == str(tagged)
    assert v1.read("/opportunity?tag=hot&milestone=Bid", fmt) == {"opportunities": {"@size": "0"}}


def test_lastmodified_finds_opportunities_changed_since_then(engine, v1, party, fmt):
    old, new = create(v1, party, fmt), create(v1, party, fmt)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE opportunities SET updated_at = '2011-01-01T00:00:00Z' WHERE id = :id"),
            {"id": old},
        )
    found = v1.read("/opportunity?lastmodified=20120101T000000", fmt)["opportunities"]
    assert found["opportunity"]["id"] == str(new)
    assert v1.get("/opportunity?lastmodified=yesterday", fmt).status_code == 400


def test_q_searches_and_combines_with_the_filters(v1, party, fmt):
    wanted = create(v1, party, fmt, name="Website redesign", milestone="Bid")
    create(v1, party, fmt, name="Website hosting", milestone="New")
    create(v1, party, fmt, name="Training")
    found = v1.read("/opportunity?q=website", fmt)["opportunities"]["opportunity"]
    assert len(found) == 2
    both = v1.read("/opportunity?q=website&milestone=bid", fmt)["opportunities"]
    assert both["opportunity"]["id"] == str(wanted)
    assert v1.read("/opportunity?q=nothing", fmt) == {"opportunities": {"@size": "0"}}


def test_a_partys_list_holds_the_opportunities_it_is_the_main_party_of(v1, party, fmt):
    other = v1.create("person", {"lastName": "Other"})
    mine = [create(v1, party, fmt), create(v1, party, fmt)]
    create(v1, other, fmt)
    listed = v1.read(f"/party/{party}/opportunity", fmt)["opportunities"]["opportunity"]
    assert [o["id"] for o in listed] == [str(i) for i in mine]
    assert v1.read(f"/party/{party}/opportunity?start=1", fmt)["opportunities"]["opportunity"][
        "id"
    ] == str(mine[1])
    assert v1.get("/party/999999/opportunity", fmt).status_code == 404


# -- isolation, scopes and v2 ---------------------------------------------------------------------


def test_another_accounts_opportunity_is_404_everywhere(client, other_account, v1, fmt):
    them = V1(client, other_account.token)
    their_party = them.create("organisation", {"name": "Theirs"})
    theirs = create(them, their_party, fmt)
    assert v1.get(f"/opportunity/{theirs}", fmt).status_code == 404
    assert change(v1, theirs, fmt, name="Mine").status_code == 404
    assert v1.delete(f"/opportunity/{theirs}", fmt).status_code == 404
    assert v1.get(f"/party/{their_party}/opportunity", fmt).status_code == 404
    mine = v1.create("organisation", {"name": "Mine"})
    document = {"opportunity": {"name": "Mine"}}
    assert v1.put(f"/party/{mine}/opportunity/{theirs}", document, fmt).status_code == 404
    assert v1.read("/opportunity", fmt) == {"opportunities": {"@size": "0"}}
    assert show(them, theirs, fmt)["name"] == "Consulting"
    them.delete(f"/opportunity/{theirs}", fmt)
    assert v1.read("/opportunity/deleted", fmt) == {"deletedOpportunities": {"@size": "0"}}
    their_feed = them.read("/opportunity/deleted", fmt)["deletedOpportunities"]
    assert their_feed["deletedOpportunity"]["id"] == str(theirs)


def test_a_read_token_reads_but_may_not_write(client, account, v1, party, fmt):
    opportunity_id = create(v1, party, fmt)
    reader = V1(client, account.read_token)
    assert reader.get(f"/opportunity/{opportunity_id}", fmt).status_code == 200
    document = {"opportunity": {"name": "X", "milestone": "New"}}
    assert reader.post(f"/party/{party}/opportunity", document, fmt).status_code == 403
    assert reader.put(f"/opportunity/{opportunity_id}", document, fmt).status_code == 403
    assert reader.delete(f"/opportunity/{opportunity_id}", fmt).status_code == 403


def test_without_a_token_it_is_401(client, fmt):
    response = V1(client, "").get("/opportunity", fmt, auth=None)
    assert response.status_code == 401


def test_an_opportunity_round_trips_v1_to_v2_to_v1(account, v1, party, milestones, fmt):
    opportunity_id = create(v1, party, fmt, **CONSULTING)
    v2 = account.get(f"/opportunities/{opportunity_id}").json()["opportunity"]
    assert (v2["name"], v2["party"]["id"], v2["milestone"]["name"]) == ("Consulting", party, "Bid")
    assert v2["value"] == {"amount": 500, "currency": "GBP"}
    assert (v2["durationBasis"], v2["duration"], v2["expectedCloseOn"]) == ("DAY", 10, "2012-09-30")
    assert v2["owner"]["username"] == "ada"
    changes = {
        "milestone": {"id": milestones["Lost"]["id"]},
        "value": {"amount": 1250.5, "currency": "USD"},
        "tags": [{"name": "Renewal"}],
    }
    assert (
        account.put(f"/opportunities/{opportunity_id}", {"opportunity": changes}).status_code == 200
    )
    shown = show(v1, opportunity_id, fmt)
    assert (shown["milestone"], shown["probability"]) == ("Lost", "0")
    assert (shown["value"], shown["currency"]) == ("1250.50", "USD")
    assert shown["actualCloseDate"] == f"{today()}T00:00:00Z"
    after = account.get(f"/opportunities/{opportunity_id}?embed=tags").json()["opportunity"]
    assert shown["updatedOn"] == after["updatedAt"]
    assert change(v1, opportunity_id, fmt, description="Kept tags").status_code == 200
    kept = account.get(f"/opportunities/{opportunity_id}?embed=tags").json()["opportunity"]
    assert [tag["name"] for tag in kept["tags"]] == ["Renewal"]
    assert kept["description"] == "Kept tags"


# -- any body, any query --------------------------------------------------------------------------

NAMES = [
    "name",
    "description",
    "milestone",
    "milestoneId",
    "probability",
    "value",
    "currency",
    "durationBasis",
    "duration",
    "expectedCloseDate",
    "owner",
    "trackId",
    "id",
]
texts = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["", "1", "-3", "Bid", "won", "FIXED", "day", "GBP", "2012-01-01", "9" * 40]),
)
documents = st.dictionaries(st.sampled_from(NAMES), texts, max_size=6)


@pytest.fixture
def opportunity(v1, party) -> int:
    return create(v1, party, "xml", milestone="Bid", value="10", currency="EUR")


@PER_FORMAT
@given(document=documents, as_json=st.booleans())
def test_any_document_is_answered_without_a_server_error(
    engine, account, v1, party, opportunity, fmt, document, as_json
):
    wrapped = {"opportunity": document}
    body = json.dumps(wrapped).encode() if as_json else xml_body(wrapped)
    kind = "application/json" if as_json else "application/xml"

    def send(method: str, path: str) -> Any:
        return v1.request(method, path, fmt, content=body, headers={"Content-Type": kind})

    writes = [
        ("POST", f"/party/{party}/opportunity"),
        ("PUT", f"/opportunity/{opportunity}"),
        ("PUT", f"/party/{party}/opportunity"),
    ]
    never_fail(engine, account.id, send, writes)


queries = st.dictionaries(
    st.sampled_from(["q", "tag", "milestone", "lastmodified", "since", "start", "limit"]),
    st.one_of(texts, st.integers(-5, 10**20).map(str)),
    max_size=4,
)


@PER_FORMAT
@given(query=queries)
def test_any_list_query_is_answered_without_a_server_error(v1, party, opportunity, fmt, query):
    for path in ("/opportunity", "/opportunity/deleted", f"/party/{party}/opportunity"):
        response = v1.get(path, fmt, params=query)
        assert response.status_code in (200, 400), response.text
