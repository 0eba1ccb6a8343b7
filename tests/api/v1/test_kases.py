"""API v1 cases (`kase`), in XML and in JSON, over the same records as v2's projects."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from tests.api.snapshot import account_snapshot
from tests.api.v1.fuzzing import PER_FORMAT, never_fail
from tests.api.v1.wire import FORMATS, V1, created_id, error_message, xml_body
from tests.api.v2.checks import add_user

pytestmark = pytest.mark.parametrize("fmt", FORMATS)


@pytest.fixture
def party(v1) -> int:
    return v1.create("organisation", {"name": "Capsule"})


def create(v1: V1, party_id: int, fmt: str, query: str = "", **values: Any) -> int:
    document = {"name": "Consulting", **values}
    return created_id(v1.post(f"/party/{party_id}/kase{query}", {"kase": document}, fmt))


def show(v1: V1, kase_id: int, fmt: str) -> dict[str, Any]:
    return v1.read(f"/kase/{kase_id}", fmt)["kase"]


def change(v1: V1, kase_id: int, fmt: str, **values: Any) -> Any:
    return v1.put(f"/kase/{kase_id}", {"kase": values}, fmt)


def today() -> str:
    return datetime.now(UTC).date().isoformat()


# -- create and show ------------------------------------------------------------------------------


def test_creating_a_case_answers_201_with_an_empty_body_and_its_location(v1, party, fmt):
    response = v1.post(f"/party/{party}/kase", {"kase": {"name": "Consulting"}}, fmt)
    assert response.status_code == 201
    assert response.content == b""
    location = response.headers["Location"]
    assert location.startswith("http://pillbox.test/api/kase/")
    assert location.rsplit("/", 1)[1].isdigit()


def test_a_created_case_shows_every_field_as_a_string(v1, party, fmt):
    kase_id = create(v1, party, fmt, description="Scope and design web site shopping cart")
    kase = show(v1, kase_id, fmt)
    assert kase.pop("createdOn").endswith("Z")
    assert kase.pop("updatedOn").endswith("Z")
    assert kase == {
        "id": str(kase_id),
        "status": "OPEN",
        "name": "Consulting",
        "description": "Scope and design web site shopping cart",
        "partyId": str(party),
        "owner": "ada",
    }


def test_xml_shows_a_case_in_v1s_element_order(v1, party, fmt):
    kase_id = create(v1, party, fmt, status="closed", closeDate="2012-03-21")
    body = v1.get(f"/kase/{kase_id}").text
    assert body.startswith(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<kase><id>{kase_id}</id><status>CLOSED</status><name>Consulting</name>"
        f"<partyId>{party}</partyId><closeDate>2012-03-21T00:00:00Z</closeDate>"
        "<owner>ada</owner><createdOn>"
    )


def test_a_case_is_not_created_for_a_missing_or_foreign_party(client, other_account, v1, fmt):
    theirs = V1(client, other_account.token).create("organisation", {"name": "Theirs"})
    document = {"kase": {"name": "Consulting"}}
    assert v1.post("/party/999999/kase", document, fmt).status_code == 404
    assert v1.post(f"/party/{theirs}/kase", document, fmt).status_code == 404
    assert v1.read("/kase", fmt) == {"kases": {"@size": "0"}}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"description": "No name"}, "name is required"),
        ({"name": "  "}, "name is required"),
        ({"name": "X", "status": "PENDING"}, "status must be one of"),
        ({"name": "X", "owner": "nobody"}, "owner not found"),
        ({"name": "X", "owner": ""}, "owner or team is required"),
        ({"name": "X", "status": "CLOSED", "closeDate": "later"}, "closeDate must be a date"),
    ],
)
def test_a_document_breaking_a_rule_is_400_and_creates_nothing(
    engine, account, v1, party, fmt, document, message
):
    before = account_snapshot(engine, account.id)
    response = v1.post(f"/party/{party}/kase", {"kase": document}, fmt)
    assert response.status_code == 400
    assert message in error_message(response, fmt)
    assert account_snapshot(engine, account.id) == before


def test_a_malformed_body_or_a_document_of_another_root_is_400(v1, party, fmt):
    assert v1.post(f"/party/{party}/kase", {"opportunity": {"name": "X"}}, fmt).status_code == 400
    malformed = v1.request("POST", f"/party/{party}/kase", fmt, content=b'{"kase": ', headers={})
    assert malformed.status_code == 400
    assert v1.read("/kase", fmt) == {"kases": {"@size": "0"}}


def test_track_id_applies_a_case_track(account, v1, party, fmt):
    body = {
        "description": "Audit",
        "captureRule": "CASEFILE",
        "direction": "START_DATE",
        "taskDefinitions": [
            {
                "description": "Collect papers",
                "daysAfterRule": "TRACK_START",
                "daysAfter": 1,
                "dayDelayRule": "TRACK_DAYS",
                "trackTaskAssignee": {"assigneeType": "ENTITY_OWNER"},
            }
        ],
    }
    definition = account.post("/trackdefinitions", {"trackDefinition": body}).json()
    definition_id = definition["trackDefinition"]["id"]
    kase_id = create(v1, party, fmt, f"?trackId={definition_id}&endDate=2026-03-02")
    (track,) = account.get(f"/kases/{kase_id}/tracks").json()["tracks"]
    assert (track["description"], track["trackDateOn"]) == ("Audit", "2026-03-02")
    response = v1.post(f"/party/{party}/kase?trackId=987654", {"kase": {"name": "X"}}, fmt)
    assert response.status_code == 400


# -- update, close, move --------------------------------------------------------------------------


def test_an_update_answers_200_and_changes_only_what_is_sent(v1, party, fmt):
    kase_id = create(v1, party, fmt, description="Old")
    before = show(v1, kase_id, fmt)
    response = change(v1, kase_id, fmt, name="Renamed", description="")
    assert response.status_code == 200
    assert response.content == b""
    after = show(v1, kase_id, fmt)
    assert after["name"] == "Renamed"
    assert "description" not in after
    unchanged = ("name", "description", "updatedOn")
    assert {k: v for k, v in after.items() if k not in unchanged} == {
        k: v for k, v in before.items() if k not in unchanged
    }


def test_closing_dates_it_today_and_reopening_clears_the_date(v1, party, fmt):
    kase_id = create(v1, party, fmt)
    assert change(v1, kase_id, fmt, status="CLOSED").status_code == 200
    closed = show(v1, kase_id, fmt)
    assert (closed["status"], closed["closeDate"]) == ("CLOSED", f"{today()}T00:00:00Z")
    assert change(v1, kase_id, fmt, status="open").status_code == 200
    reopened = show(v1, kase_id, fmt)
    assert reopened["status"] == "OPEN"
    assert "closeDate" not in reopened


def test_a_close_date_is_honoured_only_on_a_closed_case(v1, party, fmt):
    kase_id = create(v1, party, fmt)
    assert change(v1, kase_id, fmt, closeDate="2012-02-24T00:00:00Z").status_code == 200
    assert "closeDate" not in show(v1, kase_id, fmt)
    assert change(v1, kase_id, fmt, status="CLOSED", closeDate="2012-02-24").status_code == 200
    assert show(v1, kase_id, fmt)["closeDate"] == "2012-02-24T00:00:00Z"
    assert change(v1, kase_id, fmt, closeDate="20120301").status_code == 200
    assert show(v1, kase_id, fmt)["closeDate"] == "2012-03-01T00:00:00Z"


def test_putting_it_under_another_party_moves_it_there(v1, party, fmt):
    other = v1.create("person", {"lastName": "Other"})
    kase_id = create(v1, party, fmt)
    response = v1.put(f"/party/{other}/kase/{kase_id}", {"kase": {"status": "CLOSED"}}, fmt)
    assert response.status_code == 200
    shown = show(v1, kase_id, fmt)
    assert (shown["partyId"], shown["status"]) == (str(other), "CLOSED")
    assert v1.read(f"/party/{party}/kase", fmt) == {"kases": {"@size": "0"}}
    assert v1.read(f"/party/{other}/kase", fmt)["kases"]["kase"]["id"] == str(kase_id)


def test_moving_needs_the_case_and_the_party(client, other_account, v1, party, fmt):
    theirs = V1(client, other_account.token).create("organisation", {"name": "Theirs"})
    kase_id = create(v1, party, fmt)
    document = {"kase": {"name": "Moved"}}
    assert v1.put(f"/party/999999/kase/{kase_id}", document, fmt).status_code == 404
    assert v1.put(f"/party/{theirs}/kase/{kase_id}", document, fmt).status_code == 404
    assert v1.put(f"/party/{party}/kase/999999", document, fmt).status_code == 404
    shown = show(v1, kase_id, fmt)
    assert (shown["partyId"], shown["name"]) == (str(party), "Consulting")


def test_the_owner_is_a_username_and_cannot_be_left_without_a_team(engine, account, v1, party, fmt):
    add_user(engine, account, "Ben Other", "ben")
    kase_id = create(v1, party, fmt, owner="ben")
    assert show(v1, kase_id, fmt)["owner"] == "ben"
    before = account_snapshot(engine, account.id)
    assert change(v1, kase_id, fmt, owner="").status_code == 400
    assert change(v1, kase_id, fmt, owner="nobody").status_code == 400
    assert change(v1, kase_id, fmt, status="shut").status_code == 400
    assert v1.put(f"/kase/{kase_id}", {"opportunity": {"name": "X"}}, fmt).status_code == 400
    assert account_snapshot(engine, account.id) == before


def test_updating_a_missing_case_is_404(v1, fmt):
    assert change(v1, 999999, fmt, name="X").status_code == 404


# -- delete ---------------------------------------------------------------------------------------


def test_deleting_a_case_answers_200_and_it_is_gone(account, v1, party, fmt):
    kase_id = create(v1, party, fmt)
    response = v1.delete(f"/kase/{kase_id}", fmt)
    assert response.status_code == 200
    assert response.content == b""
    assert v1.get(f"/kase/{kase_id}", fmt).status_code == 404
    assert v1.delete(f"/kase/{kase_id}", fmt).status_code == 404
    deleted = account.get("/kases/deleted").json()["kases"]
    assert [row["id"] for row in deleted] == [kase_id]


# -- lists ----------------------------------------------------------------------------------------


def test_an_empty_list_carries_size_zero(v1, fmt):
    response = v1.get("/kase", fmt)
    if fmt == "xml":
        assert response.content.endswith(b'<kases size="0"/>')
    else:
        assert response.json() == {"kases": {"@size": "0"}}


def test_start_and_limit_page_the_list(v1, party, fmt):
    ids = [create(v1, party, fmt, name=f"Case {i}") for i in range(4)]
    page = v1.read("/kase?start=1&limit=2", fmt)["kases"]["kase"]
    assert [k["id"] for k in page] == [str(i) for i in ids[1:3]]
    assert v1.read("/kase?start=3", fmt)["kases"]["kase"]["id"] == str(ids[3])
    assert v1.get("/kase?start=first", fmt).status_code == 400


def test_tag_lastmodified_and_q_filter_and_combine(engine, account, v1, party, fmt):
    tagged = create(v1, party, fmt, name="Warranty claim")
    old = create(v1, party, fmt, name="Warranty repair")
    account.put(f"/kases/{tagged}", {"kase": {"tags": [{"name": "Urgent"}]}})
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE kases SET updated_at = '2011-01-01T00:00:00Z' WHERE id = :id"),
            {"id": old},
        )
    assert v1.read("/kase?tag=urgent", fmt)["kases"]["kase"]["id"] == str(tagged)
    recent = v1.read("/kase?lastmodified=20120101T000000", fmt)["kases"]["kase"]
    assert recent["id"] == str(tagged)
    assert len(v1.read("/kase?q=warranty", fmt)["kases"]["kase"]) == 2
    assert v1.read("/kase?q=repair&tag=urgent", fmt) == {"kases": {"@size": "0"}}
    assert v1.read("/kase?q=claim&tag=urgent", fmt)["kases"]["kase"]["id"] == str(tagged)
    assert v1.get("/kase?lastmodified=today", fmt).status_code == 400


def test_a_partys_list_holds_the_cases_it_is_the_main_party_of(v1, party, fmt):
    other = v1.create("person", {"lastName": "Other"})
    mine = [create(v1, party, fmt), create(v1, party, fmt)]
    create(v1, other, fmt)
    listed = v1.read(f"/party/{party}/kase", fmt)["kases"]["kase"]
    assert [k["id"] for k in listed] == [str(i) for i in mine]
    assert v1.read(f"/party/{party}/kase?limit=1", fmt)["kases"]["kase"]["id"] == str(mine[0])
    assert v1.get("/party/999999/kase", fmt).status_code == 404


# -- isolation, scopes and v2 ---------------------------------------------------------------------


def test_another_accounts_case_is_404_everywhere(client, other_account, v1, fmt):
    them = V1(client, other_account.token)
    their_party = them.create("organisation", {"name": "Theirs"})
    theirs = create(them, their_party, fmt)
    assert v1.get(f"/kase/{theirs}", fmt).status_code == 404
    assert change(v1, theirs, fmt, name="Mine").status_code == 404
    assert v1.delete(f"/kase/{theirs}", fmt).status_code == 404
    assert v1.get(f"/party/{their_party}/kase", fmt).status_code == 404
    mine = v1.create("organisation", {"name": "Mine"})
    assert v1.put(f"/party/{mine}/kase/{theirs}", {"kase": {"name": "X"}}, fmt).status_code == 404
    assert v1.read("/kase", fmt) == {"kases": {"@size": "0"}}
    assert show(them, theirs, fmt)["name"] == "Consulting"


def test_a_read_token_reads_but_may_not_write(client, account, v1, party, fmt):
    kase_id = create(v1, party, fmt)
    reader = V1(client, account.read_token)
    assert reader.get(f"/kase/{kase_id}", fmt).status_code == 200
    assert reader.post(f"/party/{party}/kase", {"kase": {"name": "X"}}, fmt).status_code == 403
    assert reader.put(f"/kase/{kase_id}", {"kase": {"name": "X"}}, fmt).status_code == 403
    assert reader.delete(f"/kase/{kase_id}", fmt).status_code == 403


def test_without_a_token_it_is_401(client, fmt):
    assert V1(client, "").get("/kase", fmt, auth=None).status_code == 401


def test_a_case_round_trips_v1_to_v2_to_v1(account, v1, party, fmt):
    kase_id = create(v1, party, fmt, description="Audit the books")
    v2 = account.get(f"/kases/{kase_id}").json()["kase"]
    assert (v2["name"], v2["description"], v2["status"]) == (
        "Consulting",
        "Audit the books",
        "OPEN",
    )
    assert (v2["party"]["id"], v2["owner"]["username"]) == (party, "ada")
    changes = {"status": "CLOSED", "expectedCloseOn": "2030-01-31", "tags": [{"name": "Audit"}]}
    assert account.put(f"/kases/{kase_id}", {"kase": changes}).status_code == 200
    shown = show(v1, kase_id, fmt)
    assert (shown["status"], shown["closeDate"]) == ("CLOSED", f"{today()}T00:00:00Z")
    after = account.get(f"/kases/{kase_id}").json()["kase"]
    assert shown["updatedOn"] == after["updatedAt"]
    assert change(v1, kase_id, fmt, name="Audit 2030").status_code == 200
    kept = account.get(f"/kases/{kase_id}?embed=tags").json()["kase"]
    assert kept["name"] == "Audit 2030"
    assert kept["expectedCloseOn"] == "2030-01-31"
    assert [tag["name"] for tag in kept["tags"]] == ["Audit"]


# -- any body -------------------------------------------------------------------------------------


@pytest.fixture
def kase(v1, party) -> int:
    return create(v1, party, "xml")


NAMES = ["name", "description", "status", "closeDate", "owner", "partyId", "trackId", "id"]
texts = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["", "1", "OPEN", "closed", "ada", "2012-01-01", "9" * 40]),
)


@PER_FORMAT
@given(document=st.dictionaries(st.sampled_from(NAMES), texts, max_size=5), as_json=st.booleans())
def test_any_document_is_answered_without_a_server_error(
    engine, account, v1, party, kase, fmt, document, as_json
):
    wrapped = {"kase": document}
    body = json.dumps(wrapped).encode() if as_json else xml_body(wrapped)
    kind = "application/json" if as_json else "application/xml"

    def send(method: str, path: str) -> Any:
        return v1.request(method, path, fmt, content=body, headers={"Content-Type": kind})

    writes = [("POST", f"/party/{party}/kase"), ("PUT", f"/kase/{kase}")]
    never_fail(engine, account.id, send, writes)
