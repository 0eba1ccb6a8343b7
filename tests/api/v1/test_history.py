"""API v1 history (notes, emails, completed tasks) of parties, opportunities and cases, in XML and
in JSON, over v2's entries."""

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pillbox.domain.entries import file_email, file_task_completion
from pillbox.store import accounts as accounts_store
from tests.api.snapshot import account_snapshot
from tests.api.v1.fuzzing import PER_FORMAT, never_fail
from tests.api.v1.wire import (
    FORMATS,
    RECORD_SEGMENTS,
    V1,
    created_id,
    error_message,
    items,
    v2_record,
)

pytestmark = pytest.mark.parametrize("fmt", FORMATS)
per_segment = pytest.mark.parametrize("segment", RECORD_SEGMENTS)
LINKS = {"party": "partyId", "opportunity": "opportunityId", "kase": "caseId"}
LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Nulla mollis ullamcorper vehicula."
)


def add_note(v1: V1, segment: str, record_id: int, fmt: str, **item: str) -> int:
    return created_id(v1.post(f"/{segment}/{record_id}/history", {"historyItem": item}, fmt))


def history(v1: V1, segment: str, record_id: int, fmt: str, query: str = "") -> list[dict]:
    return items(
        v1.read(f"/{segment}/{record_id}/history{query}", fmt)["history"].get("historyItem")
    )


# -- creating and showing -------------------------------------------------------------------------


@per_segment
def test_a_record_without_history_lists_an_empty_history_document(account, v1, fmt, segment):
    record_id = v2_record(account, segment)
    response = v1.get(f"/{segment}/{record_id}/history", fmt)
    assert response.status_code == 200
    if fmt == "xml":
        assert response.content.endswith(b'<history size="0"/>')
    else:
        assert response.json() == {"history": {"@size": "0"}}


@per_segment
def test_a_note_is_created_with_201_and_its_history_location(account, v1, fmt, segment):
    record_id = v2_record(account, segment, "Filed")
    response = v1.post(f"/{segment}/{record_id}/history", {"historyItem": {"note": "Hi"}}, fmt)
    assert response.status_code == 201
    assert response.content == b""
    location = response.headers["Location"]
    assert location.startswith("http://pillbox.test/api/history/")
    item = v1.read(location.split("/api", 1)[1], fmt)["historyItem"]
    assert item.pop("entryDate").endswith("Z")
    name_element = LINKS[segment].replace("Id", "Name")
    expected = {
        "id": location.rsplit("/", 1)[1],
        "type": "Note",
        "creator": "ada",
        "creatorName": "Ada Admin",
        "subject": "Hi",
        "note": "Hi",
        LINKS[segment]: str(record_id),
        name_element: item[name_element],
    }
    if segment == "party":
        expected["partyPictureURL"] = item["partyPictureURL"]
        assert item["partyPictureURL"].endswith("org_avatar_70.png")
    assert item == expected
    assert item[name_element].startswith("Filed")


def test_xml_shows_an_item_in_v1s_element_order(account, v1, fmt):
    party_id = v2_record(account, "party")
    item_id = add_note(v1, "party", party_id, fmt, note="Called", entryDate="2012-01-01T10:00:00Z")
    assert v1.get(f"/history/{item_id}").text == (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<historyItem><id>{item_id}</id><type>Note</type>"
        "<entryDate>2012-01-01T10:00:00Z</entryDate><creator>ada</creator>"
        "<creatorName>Ada Admin</creatorName><subject>Called</subject><note>Called</note>"
        f"<partyId>{party_id}</partyId><partyName>"
        + v1.read(f"/party/{party_id}")["organisation"]["name"]
        + "</partyName><partyPictureURL>"
        "https://capsulecrm.com/theme/default/images/org_avatar_70.png</partyPictureURL>"
        "</historyItem>"
    )


def test_the_subject_of_a_long_note_is_its_start_cut_with_dots(account, v1, fmt):
    party_id = v2_record(account, "party")
    item_id = add_note(v1, "party", party_id, fmt, note=LOREM)
    item = v1.read(f"/history/{item_id}", fmt)["historyItem"]
    assert item["subject"] == (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Nulla mollis ullam..."
    )
    assert item["note"] == LOREM


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("2012-01-01T10:00:00Z", "2012-01-01T10:00:00Z"),
        ("2012-01-01T10:00:00.250Z", "2012-01-01T10:00:00Z"),
        ("2012-01-01T12:00:00+02:00", "2012-01-01T10:00:00Z"),
        ("2012-01-01", "2012-01-01T00:00:00Z"),
    ],
)
def test_the_entry_date_is_taken_in_any_iso_form(account, v1, fmt, sent, kept):
    party_id = v2_record(account, "party")
    item_id = add_note(v1, "party", party_id, fmt, note="Dated", entryDate=sent)
    assert v1.read(f"/history/{item_id}", fmt)["historyItem"]["entryDate"] == kept


def test_a_note_may_be_filed_as_another_user_of_the_account(account, engine, v1, fmt):
    with engine.begin() as conn:
        accounts_store.create_user(
            conn, account.id, email="bo@example.com", name="Bo Sales", username="bo", admin=False
        )
    party_id = v2_record(account, "party")
    item_id = add_note(v1, "party", party_id, fmt, note="By Bo", creator="BO")
    item = v1.read(f"/history/{item_id}", fmt)["historyItem"]
    assert (item["creator"], item["creatorName"]) == ("bo", "Bo Sales")
    assert account.get(f"/entries/{item_id}").json()["entry"]["creator"]["username"] == "bo"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"entryDate": "2012-01-01T10:00:00Z"}, "note is required"),
        ({"note": "   "}, "note is required"),
        ({"note": "x", "entryDate": "yesterday"}, "entryDate must be a date-time"),
        ({"note": "x", "creator": "nobody"}, "creator is not a user of this account"),
        ({"note": "x" * 100_001}, "content is too long"),
    ],
)
def test_a_bad_note_is_400_and_creates_nothing(account, engine, v1, fmt, item, message):
    party_id = v2_record(account, "party")
    before = account_snapshot(engine, account.id)
    response = v1.post(f"/party/{party_id}/history", {"historyItem": item}, fmt)
    assert response.status_code == 400
    assert message in error_message(response, fmt)
    assert account_snapshot(engine, account.id) == before


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/xml", b"<historyItem><note>x</note>"),
        ("application/json", b'{"historyItem": '),
        ("application/xml", b"<note>x</note>"),
        ("application/json", b'{"task": {"note": "x"}}'),
    ],
)
def test_a_malformed_or_wrong_document_is_400(account, engine, v1, fmt, content_type, body):
    party_id = v2_record(account, "party")
    before = account_snapshot(engine, account.id)
    headers = {"Content-Type": content_type}
    response = v1.request("POST", f"/party/{party_id}/history", fmt, content=body, headers=headers)
    assert response.status_code == 400
    assert account_snapshot(engine, account.id) == before


# -- lists ----------------------------------------------------------------------------------------


@per_segment
def test_history_lists_newest_first_and_pages_with_start_and_limit(account, v1, fmt, segment):
    record_id = v2_record(account, segment)
    other_id = v2_record(account, segment, "Other")
    for day in ("01", "03", "02"):
        add_note(v1, segment, record_id, fmt, note=f"Day {day}", entryDate=f"2012-01-{day}")
    add_note(v1, segment, other_id, fmt, note="Elsewhere")
    listed = history(v1, segment, record_id, fmt)
    assert [item["note"] for item in listed] == ["Day 03", "Day 02", "Day 01"]
    assert {item[LINKS[segment]] for item in listed} == {str(record_id)}
    page = history(v1, segment, record_id, fmt, "?start=1&limit=1")
    assert [item["note"] for item in page] == ["Day 02"]
    if fmt == "xml":
        assert '<history size="2">' in v1.get(f"/{segment}/{record_id}/history?start=1").text


def test_an_unreadable_paging_parameter_is_400(account, v1, fmt):
    party_id = v2_record(account, "party")
    assert v1.get(f"/party/{party_id}/history?limit=many", fmt).status_code == 400


def test_emails_and_completed_tasks_are_listed_with_their_type(account, engine, v1, fmt):
    first, second = v2_record(account, "party", "First"), v2_record(account, "party", "Second")
    with engine.begin() as conn:
        email_id = file_email(
            conn,
            account.id,
            creator_id=account.user_id,
            subject="Fwd: Development Notes",
            content="Lorem ipsum",
            entry_at="2025-02-02T10:00:00Z",
            party_ids=[first, second],
            participants=[
                {"address": "hello@zestia.com", "name": "Hello", "role": "FROM"},
                {"address": "support@capsulecrm.com", "name": None, "role": "CC"},
            ],
        )
        task_id = file_task_completion(
            conn,
            account.id,
            account.user_id,
            "Call back",
            "2025-01-01T09:00:00Z",
            "party_id",
            first,
        )
    email, task = history(v1, "party", second, fmt)[0], history(v1, "party", first, fmt)[1]
    assert (email["id"], email["type"], email["subject"]) == (
        str(email_id),
        "Email",
        "Fwd: Development Notes",
    )
    assert email["partyId"] == str(second)  # the party whose history is listed
    assert history(v1, "party", first, fmt)[0]["partyId"] == str(first)
    assert email["participants"]["participant"] == [
        {"name": "Hello", "emailAddress": "hello@zestia.com", "role": "FROM"},
        {"emailAddress": "support@capsulecrm.com", "role": "CC"},
    ]
    assert v1.read(f"/history/{email_id}", fmt)["historyItem"]["partyId"] == str(first)
    assert (task["id"], task["type"], task["note"], task["subject"]) == (
        str(task_id),
        "Task",
        "Call back",
        "Call back",
    )
    assert "attachments" not in task and "participants" not in task


def test_attachments_are_shown_and_kept_by_a_v1_update(account, v1, fmt):
    party_id = v2_record(account, "party")
    upload = account.request(
        "POST",
        "/attachments/upload",
        content=b"%PDF-1.4 hello",
        headers={"Content-Type": "application/pdf", "X-Attachment-Filename": quote("latin.pdf")},
    ).json()["upload"]["token"]
    body = {"type": "note", "party": party_id, "content": "See", "attachments": [{"token": upload}]}
    entry = account.post("/entries", {"entry": body}).json()["entry"]
    item = v1.read(f"/history/{entry['id']}", fmt)["historyItem"]
    assert item["attachments"] == {
        "attachment": {
            "id": str(entry["attachments"][0]["id"]),
            "filename": "latin.pdf",
            "contentType": "application/pdf",
        }
    }
    change = {"historyItem": {"note": "Seen", "attachments": ""}}
    assert v1.put(f"/history/{entry['id']}", change, fmt).status_code == 200
    assert len(account.get(f"/entries/{entry['id']}").json()["entry"]["attachments"]) == 1


# -- changing and deleting ------------------------------------------------------------------------


def test_an_update_answers_200_and_changes_only_what_is_sent(account, v1, fmt):
    party_id = v2_record(account, "party")
    item_id = add_note(v1, "party", party_id, fmt, note="Before", entryDate="2012-01-01")
    response = v1.put(f"/history/{item_id}", {"historyItem": {"note": "After"}}, fmt)
    assert response.status_code == 200
    assert response.content == b""
    item = v1.read(f"/history/{item_id}", fmt)["historyItem"]
    assert (item["note"], item["entryDate"]) == ("After", "2012-01-01T00:00:00Z")
    change = {"historyItem": {"entryDate": "2013-05-06T07:08:09Z", "creator": "someone", "id": "1"}}
    assert v1.put(f"/history/{item_id}", change, fmt).status_code == 200
    item = v1.read(f"/history/{item_id}", fmt)["historyItem"]
    assert (item["id"], item["note"], item["entryDate"], item["creator"]) == (
        str(item_id),
        "After",
        "2013-05-06T07:08:09Z",
        "ada",
    )


@per_segment
def test_the_older_nested_form_updates_and_deletes_an_item_of_that_record(
    account, v1, fmt, segment
):
    record_id = v2_record(account, segment)
    item_id = add_note(v1, segment, record_id, fmt, note="Before")
    path = f"/{segment}/{record_id}/history/{item_id}"
    assert v1.put(path, {"historyItem": {"note": "After"}}, fmt).status_code == 200
    assert v1.read(f"/history/{item_id}", fmt)["historyItem"]["note"] == "After"
    response = v1.delete(path, fmt)
    assert response.status_code == 200
    assert response.content == b""
    assert v1.get(f"/history/{item_id}", fmt).status_code == 404
    assert v1.delete(path, fmt).status_code == 404


@per_segment
def test_the_nested_form_for_an_item_of_another_record_is_404(account, engine, v1, fmt, segment):
    record_id = v2_record(account, segment)
    other_id = v2_record(account, segment, "Other")
    item_id = add_note(v1, segment, other_id, fmt, note="Elsewhere")
    before = account_snapshot(engine, account.id)
    path = f"/{segment}/{record_id}/history/{item_id}"
    assert v1.put(path, {"historyItem": {"note": "Moved?"}}, fmt).status_code == 404
    assert v1.delete(path, fmt).status_code == 404
    assert account_snapshot(engine, account.id) == before


def test_deleting_an_item_answers_200_and_it_is_gone(account, v1, fmt):
    party_id = v2_record(account, "party")
    item_id = add_note(v1, "party", party_id, fmt, note="Gone soon")
    response = v1.delete(f"/history/{item_id}", fmt)
    assert response.status_code == 200
    assert response.content == b""
    assert v1.get(f"/history/{item_id}", fmt).status_code == 404
    assert v1.delete(f"/history/{item_id}", fmt).status_code == 404
    assert account.get(f"/entries/{item_id}").status_code == 404


def test_emails_and_task_entries_cannot_be_changed_but_can_be_deleted(account, engine, v1, fmt):
    party_id = v2_record(account, "party")
    with engine.begin() as conn:
        task_id = file_task_completion(
            conn, account.id, account.user_id, "Call", "2025-01-01T09:00:00Z", "party_id", party_id
        )
        email_id = file_email(
            conn,
            account.id,
            creator_id=None,
            subject="Hello",
            content="Text",
            entry_at="2025-02-02T10:00:00Z",
            party_ids=[party_id],
            participants=[],
        )
    before = account_snapshot(engine, account.id)
    for item_id in (task_id, email_id):
        response = v1.put(f"/history/{item_id}", {"historyItem": {"note": "Changed"}}, fmt)
        assert response.status_code == 400
        assert "only notes can be changed" in error_message(response, fmt)
    assert account_snapshot(engine, account.id) == before
    assert "creator" not in v1.read(f"/history/{email_id}", fmt)["historyItem"]
    assert v1.delete(f"/party/{party_id}/history/{email_id}", fmt).status_code == 200
    assert v1.delete(f"/history/{task_id}", fmt).status_code == 200
    assert history(v1, "party", party_id, fmt) == []


def test_a_note_cannot_be_emptied(account, engine, v1, fmt):
    party_id = v2_record(account, "party")
    item_id = add_note(v1, "party", party_id, fmt, note="Keep")
    before = account_snapshot(engine, account.id)
    response = v1.put(f"/history/{item_id}", {"historyItem": {"note": ""}}, fmt)
    assert response.status_code == 400
    assert account_snapshot(engine, account.id) == before


# -- missing records, other accounts, tokens ------------------------------------------------------


@per_segment
def test_a_missing_record_or_item_is_404(v1, fmt, segment):
    note = {"historyItem": {"note": "x"}}
    assert v1.get(f"/{segment}/999999/history", fmt).status_code == 404
    assert v1.post(f"/{segment}/999999/history", note, fmt).status_code == 404
    assert v1.put(f"/{segment}/999999/history/999999", note, fmt).status_code == 404
    assert v1.get("/history/999999", fmt).status_code == 404
    assert v1.put("/history/999999", note, fmt).status_code == 404
    assert v1.delete("/history/999999", fmt).status_code == 404


@per_segment
def test_another_accounts_record_and_items_are_404(
    client, account, engine, other_account, v1, fmt, segment
):
    theirs = v2_record(other_account, segment)
    item_id = add_note(V1(client, other_account.token), segment, theirs, fmt, note="Theirs")
    note = {"historyItem": {"note": "Mine"}}
    before = account_snapshot(engine, other_account.id)
    assert v1.get(f"/{segment}/{theirs}/history", fmt).status_code == 404
    assert v1.post(f"/{segment}/{theirs}/history", note, fmt).status_code == 404
    assert v1.get(f"/history/{item_id}", fmt).status_code == 404
    assert v1.put(f"/history/{item_id}", note, fmt).status_code == 404
    assert v1.delete(f"/history/{item_id}", fmt).status_code == 404
    assert v1.put(f"/{segment}/{theirs}/history/{item_id}", note, fmt).status_code == 404
    assert v1.delete(f"/{segment}/{theirs}/history/{item_id}", fmt).status_code == 404
    assert account_snapshot(engine, other_account.id) == before


def test_a_read_token_reads_history_but_may_not_write_it(client, account, v1, fmt):
    party_id = v2_record(account, "party")
    item_id = add_note(v1, "party", party_id, fmt, note="Kept")
    reader = V1(client, account.read_token)
    assert reader.get(f"/party/{party_id}/history", fmt).status_code == 200
    assert (
        reader.post(f"/party/{party_id}/history", {"historyItem": {"note": "x"}}, fmt).status_code
        == 403
    )
    assert reader.delete(f"/history/{item_id}", fmt).status_code == 403
    assert v1.get(f"/history/{item_id}", fmt).status_code == 200


def test_without_a_token_history_is_401(client, account, fmt):
    party_id = v2_record(account, "party")
    assert V1(client, "").get(f"/party/{party_id}/history", fmt, auth=None).status_code == 401


# -- one history for both APIs --------------------------------------------------------------------


@per_segment
def test_a_note_round_trips_v1_to_v2_to_v1(account, v1, fmt, segment):
    record_id = v2_record(account, segment)
    item_id = add_note(
        v1, segment, record_id, fmt, note="From v1", entryDate="2012-03-04T05:06:07Z"
    )
    entry = account.get(f"/entries/{item_id}").json()["entry"]
    assert (entry["type"], entry["content"], entry["entryAt"]) == (
        "note",
        "From v1",
        "2012-03-04T05:06:07Z",
    )
    assert entry[segment]["id"] == record_id
    change = {"entry": {"content": "From v2", "entryAt": "2013-01-01T00:00:00Z"}}
    assert account.put(f"/entries/{item_id}", change).status_code == 200
    item = v1.read(f"/{segment}/{record_id}/history", fmt)["history"]["historyItem"]
    assert (item["id"], item["note"], item["entryDate"]) == (
        str(item_id),
        "From v2",
        "2013-01-01T00:00:00Z",
    )
    body = {"type": "note", segment: record_id, "content": "Second from v2"}
    assert account.post("/entries", {"entry": body}).status_code == 201
    assert [i["note"] for i in history(v1, segment, record_id, fmt)] == [
        "Second from v2",
        "From v2",
    ]


# -- no 5xx whatever the body ---------------------------------------------------------------------

NAMES = ["historyItem", "note", "entryDate", "creator", "subject", "type", "id", "attachments"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.sampled_from(["", "ada", "2012-01-01", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59Z"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(NAMES), inner),
    max_leaves=10,
)
documents = st.builds(lambda root, value: {root: value}, st.sampled_from(NAMES[:2]), values)


@pytest.fixture
def seeded_note(account, v1) -> tuple[int, int]:
    party_id = v2_record(account, "party")
    return party_id, add_note(v1, "party", party_id, "xml", note="Seed")


@PER_FORMAT
@given(document=documents, body_format=st.sampled_from(FORMATS), nested=st.booleans())
def test_history_writes_never_fail_on_any_document(
    account, engine, v1, seeded_note, fmt, document, body_format, nested
):
    party_id, item_id = seeded_note
    accept = {"Accept": "application/json"} if fmt == "json" else {}

    def send(method: str, path: str) -> Any:
        return v1.request(method, path, body_format, document, headers=dict(accept))

    writes = [
        ("POST", f"/party/{party_id}/history"),
        ("PUT", f"/party/{party_id}/history/{item_id}" if nested else f"/history/{item_id}"),
    ]
    never_fail(engine, account.id, send, writes)
