"""API v1 additional parties of opportunities and cases, in XML and JSON, over v2's links."""

from typing import Any

import pytest

from tests.api.snapshot import account_snapshot
from tests.api.v1.wire import FORMATS, V1, created_id, error_message

# Every test runs for both record types, in both formats.
pytestmark = [
    pytest.mark.parametrize("fmt", FORMATS),
    pytest.mark.parametrize("segment", ["opportunity", "kase"]),
]
V2_COLLECTIONS = {"opportunity": "opportunities", "kase": "kases"}


def new_record(v1: V1, segment: str, party_id: int) -> int:
    document = (
        {"name": "Consulting", "milestone": "New"}
        if segment == "opportunity"
        else {"name": "Consulting"}
    )
    return created_id(v1.post(f"/party/{party_id}/{segment}", {segment: document}))


@pytest.fixture
def main_party(v1) -> int:
    return v1.create("organisation", {"name": "Capsule"})


@pytest.fixture
def record(v1, segment, main_party) -> int:
    return new_record(v1, segment, main_party)


@pytest.fixture
def person(v1) -> int:
    return v1.create("person", {"firstName": "Homer", "lastName": "Simpson"})


def listed(v1: V1, path: str, fmt: str) -> Any:
    return v1.read(path, fmt)["parties"]


def test_a_record_starts_without_additional_parties(v1, segment, record, fmt):
    response = v1.get(f"/{segment}/{record}/party", fmt)
    if fmt == "xml":
        assert response.content.endswith(b'<parties size="0"/>')
    else:
        assert response.json() == {"parties": {"@size": "0"}}


def test_linking_a_party_answers_201_with_the_links_location_and_lists_it(
    v1, segment, record, person, fmt
):
    response = v1.post(f"/{segment}/{record}/party/{person}", None, fmt)
    assert response.status_code == 201
    assert response.content == b""
    assert response.headers["Location"] == (
        f"http://pillbox.test/api/{segment}/{record}/party/{person}"
    )
    shown = listed(v1, f"/{segment}/{record}/party", fmt)["person"]
    assert (shown["id"], shown["firstName"], shown["lastName"]) == (str(person), "Homer", "Simpson")
    assert shown["contacts"] == ""


def test_linking_a_party_again_answers_200_and_changes_nothing(
    engine, account, v1, segment, record, person, fmt
):
    assert v1.post(f"/{segment}/{record}/party/{person}", None, fmt).status_code == 201
    before = account_snapshot(engine, account.id)
    response = v1.post(f"/{segment}/{record}/party/{person}", None, fmt)
    assert response.status_code == 200
    assert "Location" not in response.headers
    assert account_snapshot(engine, account.id) == before


def test_the_list_holds_people_and_organisations_in_id_order_and_pages(
    v1, segment, record, person, fmt
):
    organisation = v1.create("organisation", {"name": "Acme"})
    other = v1.create("person", {"lastName": "Flanders"})
    for party_id in (other, organisation, person):
        assert v1.post(f"/{segment}/{record}/party/{party_id}", None, fmt).status_code == 201
    parties = listed(v1, f"/{segment}/{record}/party", fmt)
    assert [p["id"] for p in parties["person"]] == [str(person), str(other)]
    assert parties["organisation"]["name"] == "Acme"
    page = listed(v1, f"/{segment}/{record}/party?start=1&limit=1", fmt)
    assert page == {"organisation": page["organisation"]}
    assert page["organisation"]["id"] == str(organisation)
    if fmt == "xml":
        assert '<parties size="3">' in v1.get(f"/{segment}/{record}/party").text


def test_the_main_party_is_not_listed_and_cannot_be_linked(
    engine, account, v1, segment, record, main_party, fmt
):
    before = account_snapshot(engine, account.id)
    response = v1.post(f"/{segment}/{record}/party/{main_party}", None, fmt)
    assert response.status_code == 400
    assert "already related" in error_message(response, fmt)
    assert account_snapshot(engine, account.id) == before
    assert listed(v1, f"/{segment}/{record}/party", fmt) == {"@size": "0"}


def test_unlinking_answers_200_and_the_party_stays(v1, segment, record, person, fmt):
    v1.post(f"/{segment}/{record}/party/{person}", None, fmt)
    response = v1.delete(f"/{segment}/{record}/party/{person}", fmt)
    assert response.status_code == 200
    assert response.content == b""
    assert listed(v1, f"/{segment}/{record}/party", fmt) == {"@size": "0"}
    assert v1.get(f"/party/{person}", fmt).status_code == 200
    assert v1.delete(f"/{segment}/{record}/party/{person}", fmt).status_code == 404


def test_a_missing_record_or_party_is_404(v1, segment, record, person, fmt):
    assert v1.get(f"/{segment}/999999/party", fmt).status_code == 404
    assert v1.post(f"/{segment}/999999/party/{person}", None, fmt).status_code == 404
    assert v1.post(f"/{segment}/{record}/party/999999", None, fmt).status_code == 404
    assert v1.delete(f"/{segment}/999999/party/{person}", fmt).status_code == 404
    assert v1.delete(f"/{segment}/{record}/party/999999", fmt).status_code == 404


def test_another_accounts_record_and_party_are_404(
    client, other_account, v1, segment, record, person, fmt
):
    them = V1(client, other_account.token)
    their_party = them.create("person", {"lastName": "Theirs"})
    their_record = new_record(them, segment, their_party)
    their_person = them.create("person", {"lastName": "Also theirs"})
    assert them.post(f"/{segment}/{their_record}/party/{their_person}", None).status_code == 201
    assert v1.get(f"/{segment}/{their_record}/party", fmt).status_code == 404
    assert v1.post(f"/{segment}/{their_record}/party/{person}", None, fmt).status_code == 404
    assert v1.post(f"/{segment}/{their_record}/party/{their_person}", None, fmt).status_code == 404
    assert v1.delete(f"/{segment}/{their_record}/party/{their_person}", fmt).status_code == 404
    assert v1.post(f"/{segment}/{record}/party/{their_person}", None, fmt).status_code == 404
    assert listed(v1, f"/{segment}/{record}/party", fmt) == {"@size": "0"}
    theirs = them.read(f"/{segment}/{their_record}/party", fmt)["parties"]
    assert theirs["person"]["id"] == str(their_person)


def test_a_read_token_lists_but_may_not_link(client, account, v1, segment, record, person, fmt):
    reader = V1(client, account.read_token)
    assert reader.get(f"/{segment}/{record}/party", fmt).status_code == 200
    assert reader.post(f"/{segment}/{record}/party/{person}", None, fmt).status_code == 403
    assert reader.delete(f"/{segment}/{record}/party/{person}", fmt).status_code == 403


def test_without_a_token_it_is_401(client, segment, record, fmt):
    assert V1(client, "").get(f"/{segment}/{record}/party", fmt, auth=None).status_code == 401


def test_links_round_trip_v1_to_v2_to_v1(account, v1, segment, record, person, fmt):
    collection = V2_COLLECTIONS[segment]
    assert v1.post(f"/{segment}/{record}/party/{person}", None, fmt).status_code == 201
    in_v2 = account.get(f"/{collection}/{record}/parties").json()["parties"]
    assert [party["id"] for party in in_v2] == [person]
    organisation = v1.create("organisation", {"name": "Acme"})
    assert account.post(f"/{collection}/{record}/parties/{organisation}", None).status_code < 300
    assert account.delete(f"/{collection}/{record}/parties/{person}").status_code < 300
    shown = listed(v1, f"/{segment}/{record}/party", fmt)
    assert list(shown) == ["organisation"]
    assert shown["organisation"]["id"] == str(organisation)
