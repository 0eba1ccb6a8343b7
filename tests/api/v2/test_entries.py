"""Entries (notes, emails, completed tasks) and attachments on API v2."""

import pytest

from pillbox.domain.entries import file_email
from tests.api.v2.checks import errors_of
from tests.conftest import Account


@pytest.fixture
def person(account) -> dict:
    org = account.post("/parties", {"party": {"type": "organisation", "name": "Zestia"}}).json()[
        "party"
    ]
    body = {"type": "person", "lastName": "Ted", "organisation": {"id": org["id"]}}
    return account.post("/parties", {"party": body}).json()["party"]


def note(account: Account, **entry: object) -> dict:
    response = account.post("/entries", {"entry": {"type": "note", **entry}})
    assert response.status_code == 201, response.text
    return response.json()["entry"]


def test_note_has_capsules_shape_key_for_key(account, person):
    entry = note(
        account, party={"id": person["id"]}, content="The quick brown fox", activityType=-1
    )
    assert list(entry) == [
        "id",
        "type",
        "attachments",
        "creator",
        "activityType",
        "createdAt",
        "updatedAt",
        "content",
        "entryAt",
        "party",
    ]
    assert entry["activityType"] == {"id": -1, "name": "Note"}
    assert entry["creator"]["id"] == account.user_id
    assert entry["party"]["lastName"] == "Ted"
    assert account.get(f"/entries/{entry['id']}").json() == {"entry": entry}


def test_a_note_is_filed_on_exactly_one_record(account, person):
    for links in ({}, {"party": person["id"], "opportunity": 1}):
        response = account.post("/entries", {"entry": {"type": "note", "content": "x", **links}})
        assert (
            errors_of(response)[0]["message"]
            == "entry must be linked to either a party, opportunity or kase"
        )
    missing = account.post("/entries", {"entry": {"type": "note", "content": "x", "kase": 987654}})
    assert errors_of(missing)[0] == {
        "message": "kase not found",
        "resource": "entry",
        "field": "kase",
    }


def test_only_notes_can_be_created_and_they_need_content(account, person):
    response = account.post(
        "/entries", {"entry": {"type": "email", "party": person["id"], "content": "x"}}
    )
    assert errors_of(response)[0]["field"] == "type"
    empty = account.post(
        "/entries", {"entry": {"type": "note", "party": person["id"], "content": " "}}
    )
    assert errors_of(empty)[0]["field"] == "content"


def test_a_custom_activity_type_and_a_back_dated_entry(account, person):
    visit = account.post(
        "/activitytypes", {"activityType": {"name": "Site visit", "updateLastContacted": True}}
    )
    type_id = visit.json()["activityType"]["id"]
    entry = note(
        account,
        party=person["id"],
        content="Visited",
        activityType={"id": type_id},
        entryAt="2024-05-01T09:30:00Z",
    )
    assert entry["activityType"] == {"id": type_id, "name": "Site visit"}
    assert entry["entryAt"] == "2024-05-01T09:30:00Z"
    assert (
        errors_of(
            account.post(
                "/entries",
                {
                    "entry": {
                        "type": "note",
                        "party": person["id"],
                        "content": "x",
                        "activityType": 987654,
                    }
                },
            )
        )[0]["field"]
        == "activityType"
    )
    account.delete(f"/activitytypes/{type_id}")
    assert account.get(f"/entries/{entry['id']}").json()["entry"]["activityType"] == {
        "id": -1,
        "name": "Note",
    }


def test_logging_a_note_moves_last_contacted_forward_for_the_person_and_organisation(
    account, person
):
    note(
        account, party=person["id"], content="Call", activityType=-3, entryAt="2025-03-01T10:00:00Z"
    )
    shown = account.get(f"/parties/{person['id']}").json()["party"]
    assert shown["lastContactedAt"] == "2025-03-01T10:00:00Z"
    org = account.get(f"/parties/{shown['organisation']['id']}").json()["party"]
    assert org["lastContactedAt"] == "2025-03-01T10:00:00Z"
    note(account, party=person["id"], content="Older", entryAt="2020-01-01T00:00:00Z")
    assert (
        account.get(f"/parties/{person['id']}").json()["party"]["lastContactedAt"]
        == "2025-03-01T10:00:00Z"
    )


def test_entries_list_newest_first_per_record_and_by_date(account, person):
    milestone = account.get("/milestones").json()["milestones"][0]
    deal = account.post(
        "/opportunities",
        {"opportunity": {"name": "D", "party": person["id"], "milestone": milestone["id"]}},
    ).json()["opportunity"]
    old = note(account, party=person["id"], content="old", entryAt="2024-01-01T00:00:00Z")
    new = note(account, party=person["id"], content="new", entryAt="2025-01-01T00:00:00Z")
    on_deal = note(account, opportunity=deal["id"], content="deal", entryAt="2024-06-01T00:00:00Z")
    assert [e["id"] for e in account.get(f"/parties/{person['id']}/entries").json()["entries"]] == [
        new["id"],
        old["id"],
    ]
    assert [
        e["id"] for e in account.get(f"/opportunities/{deal['id']}/entries").json()["entries"]
    ] == [on_deal["id"]]
    everything = account.get("/entries").json()["entries"]
    assert [e["id"] for e in everything] == [new["id"], on_deal["id"], old["id"]]
    assert on_deal["opportunity"] == {"id": deal["id"], "name": "D"}
    assert account.get("/kases/987654/entries").status_code == 404


def test_embeds_give_full_records(account, person):
    entry = note(account, party=person["id"], content="x")
    shown = account.get(f"/entries/{entry['id']}?embed=party,creator,activityType").json()["entry"]
    assert shown["party"] == account.get(f"/parties/{person['id']}").json()["party"]
    assert shown["creator"]["username"] == "ada"
    assert shown["activityType"]["icon"]["id"] == "NOTE"


def test_emails_show_subject_parties_and_participants_and_task_entries_cannot_change(
    account, person, engine
):
    with engine.begin() as conn:
        email_id = file_email(
            conn,
            account.id,
            creator_id=account.user_id,
            subject="Fwd: Development Notes",
            content="Lorem ipsum",
            entry_at="2025-02-02T10:00:00Z",
            party_ids=[person["id"]],
            participants=[
                {"address": "hello@zestia.com", "name": "Hello", "role": "FROM"},
                {"address": "support@capsulecrm.com", "name": "Support", "role": "TO"},
            ],
        )
    email = account.get(f"/entries/{email_id}").json()["entry"]
    assert list(email) == [
        "id",
        "type",
        "attachments",
        "parties",
        "creator",
        "activityType",
        "subject",
        "createdAt",
        "updatedAt",
        "content",
        "entryAt",
        "participants",
    ]
    assert email["activityType"] == {"id": -5, "name": "Email sent"}
    assert [p["role"] for p in email["participants"]] == ["FROM", "TO"]
    assert [p["id"] for p in email["parties"]] == [person["id"]]
    assert [e["id"] for e in account.get(f"/parties/{person['id']}/entries").json()["entries"]] == [
        email_id
    ]
    changed = account.put(f"/entries/{email_id}", {"entry": {"subject": "Re: notes"}}).json()[
        "entry"
    ]
    assert changed["subject"] == "Re: notes"
