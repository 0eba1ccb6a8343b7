"""API v1 people and organisations, in XML and in JSON, over the same records as v2."""

import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from tests.api.v1.wire import FORMATS, V1, error_message, items

pytestmark = pytest.mark.parametrize("fmt", FORMATS)

SCHMIDT = {
    "contacts": {
        "address": {
            "type": "Office",
            "street": "1600 Amphitheatre Parkway",
            "city": "Mountain View",
            "state": "CA",
            "zip": "94043",
            "country": "United States",
        },
        "email": {"type": "Home", "emailAddress": "e.schmidt@google.com"},
        "phone": {"type": "Mobile", "phoneNumber": "+1 888 555555"},
        "website": {"type": "work", "webService": "URL", "webAddress": "www.google.com"},
    },
    "title": "Mr",
    "firstName": "Eric",
    "lastName": "Schmidt",
    "jobTitle": "Chairman",
    "organisationName": "Google Inc",
    "about": "A comment here",
}


def contact_ids(party: dict) -> dict[str, list[str]]:
    contacts = party["contacts"] or {}
    return {kind: [row["id"] for row in items(contacts.get(kind))] for kind in contacts}


# -- create and show ------------------------------------------------------------------------------


def test_creating_a_person_answers_201_with_an_empty_body_and_its_party_location(v1, fmt):
    response = v1.post("/person", {"person": {"firstName": "Homer", "lastName": "Simpson"}}, fmt)
    assert response.status_code == 201
    assert response.content == b""
    assert "Content-Type" not in response.headers  # an empty body is not text, XML or JSON
    location = response.headers["Location"]
    assert location.startswith("http://pillbox.test/api/party/")
    assert location.rsplit("/", 1)[1].isdigit()


def test_a_created_person_shows_every_field_as_a_string(v1, fmt):
    party_id = v1.create("person", SCHMIDT, fmt)
    person = v1.read(f"/party/{party_id}", fmt)["person"]
    organisation_id = person.pop("organisationId")
    assert organisation_id.isdigit()
    assert person.pop("createdOn").endswith("Z")
    assert person.pop("updatedOn").endswith("Z")
    contacts = person.pop("contacts")
    assert person == {
        "id": str(party_id),
        "pictureURL": person["pictureURL"],
        "title": "Mr",
        "firstName": "Eric",
        "lastName": "Schmidt",
        "jobTitle": "Chairman",
        "organisationName": "Google Inc",
        "about": "A comment here",
    }
    assert person["pictureURL"].endswith("person_avatar_70.png")
    for row in contacts.values():
        assert row.pop("id").isdigit()
    assert contacts == {
        "address": {k: v for k, v in SCHMIDT["contacts"]["address"].items()},
        "email": {"type": "Home", "emailAddress": "e.schmidt@google.com"},
        "phone": {"type": "Mobile", "phoneNumber": "+1 888 555555"},
        "website": {
            "type": "Work",
            "webAddress": "www.google.com",
            "webService": "URL",
            "url": "http://www.google.com",
        },
    }
    organisation = v1.read(f"/party/{organisation_id}", fmt)["organisation"]
    assert organisation["name"] == "Google Inc"
    assert organisation["contacts"] == ""


def test_a_created_organisation_shows_with_empty_contacts(v1, fmt):
    party_id = v1.create("organisation", {"name": "Acme", "about": "Anvils"}, fmt)
    organisation = v1.read(f"/party/{party_id}", fmt)["organisation"]
    assert organisation["id"] == str(party_id)
    assert organisation["name"] == "Acme"
    assert organisation["about"] == "Anvils"
    assert organisation["contacts"] == ""
    assert organisation["pictureURL"].endswith("org_avatar_70.png")
    assert "firstName" not in organisation


def test_xml_shows_a_party_in_v1s_element_order(v1, fmt):
    party_id = v1.create("person", {"firstName": "Homer", "lastName": "Simpson"}, fmt)
    body = v1.get(f"/party/{party_id}").text
    assert body.startswith(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<person><id>{party_id}</id><contacts/><pictureURL>"
    )
    assert "<firstName>Homer</firstName><lastName>Simpson</lastName><createdOn>" in body


def test_contacts_accept_any_case_and_country_codes(v1, fmt):
    contacts = {
        "address": [{"street": "1 Rue", "country": "FR"}, {"street": "2 St", "country": "gbr"}],
        "phone": {"type": "mobile", "phoneNumber": "123"},
        "website": {"webService": "twitter", "webAddress": "capsulecrm"},
    }
    party_id = v1.create("person", {"lastName": "Case", "contacts": contacts}, fmt)
    shown = v1.read(f"/party/{party_id}", fmt)["person"]["contacts"]
    assert [a["country"] for a in shown["address"]] == ["France", "United Kingdom"]
    assert shown["phone"]["type"] == "Mobile"
    assert shown["website"]["url"] == "https://twitter.com/capsulecrm"


def test_an_organisation_is_also_created_under_the_american_spelling(v1, fmt):
    response = v1.post("/organization", {"organization": {"name": "Acme"}}, fmt)
    assert response.status_code == 201
    assert "/api/party/" in response.headers["Location"]


@pytest.mark.parametrize(
    ("kind", "document", "message"),
    [
        ("person", {"jobTitle": "Boss"}, "firstName or lastName is required"),
        ("organisation", {"about": "No name"}, "name is required"),
        ("person", {"lastName": "X", "organisationId": "abc"}, "organisationId must be an id"),
        ("person", {"lastName": "X", "organisationId": "9" * 5000}, "organisationId must be an id"),
        (
            "person",
            {"lastName": "X", "contacts": {"email": {"type": "Work"}}},
            "address is required",
        ),
    ],
)
def test_a_document_breaking_a_rule_is_400_and_creates_nothing(v1, fmt, kind, document, message):
    response = v1.post(f"/{kind}", {kind: document}, fmt)
    assert response.status_code == 400
    assert message in error_message(response, fmt)
    assert v1.read("/party", fmt) == {"parties": {"@size": "0"}}


# -- update ---------------------------------------------------------------------------------------


def test_an_update_answers_200_and_changes_only_what_is_sent(v1, fmt):
    party_id = v1.create("person", SCHMIDT, fmt)
    before = v1.read(f"/party/{party_id}", fmt)["person"]
    response = v1.put(f"/person/{party_id}", {"person": {"firstName": "Nick"}}, fmt)
    assert response.status_code == 200
    assert response.content == b""
    assert "Content-Type" not in response.headers  # an empty body is not text, XML or JSON
    after = v1.read(f"/party/{party_id}", fmt)["person"]
    assert after["firstName"] == "Nick"
    assert {k: v for k, v in after.items() if k not in ("firstName", "updatedOn")} == {
        k: v for k, v in before.items() if k not in ("firstName", "updatedOn")
    }


def test_an_empty_element_clears_its_field(v1, fmt):
    party_id = v1.create("person", SCHMIDT, fmt)
    v1.put(f"/person/{party_id}", {"person": {"about": "", "organisationName": ""}}, fmt)
    person = v1.read(f"/party/{party_id}", fmt)["person"]
    assert "about" not in person
    assert "organisationId" not in person and "organisationName" not in person


def test_a_contact_with_an_id_changes_that_row_and_one_without_is_added(v1, fmt):
    party_id = v1.create("person", SCHMIDT, fmt)
    email_id = contact_ids(v1.read(f"/party/{party_id}", fmt)["person"])["email"][0]
    change = {
        "contacts": {
            "email": [
                {"id": email_id, "emailAddress": "eric@example.com"},
                {"type": "Work", "emailAddress": "second@example.com"},
            ]
        }
    }
    assert v1.put(f"/person/{party_id}", {"person": change}, fmt).status_code == 200
    emails = items(v1.read(f"/party/{party_id}", fmt)["person"]["contacts"]["email"])
    assert [(e["id"], e["type"], e["emailAddress"]) for e in emails] == [
        (email_id, "Home", "eric@example.com"),
        (emails[1]["id"], "Work", "second@example.com"),
    ]


def test_a_contact_id_of_another_kind_or_party_is_404(v1, fmt):
    first = v1.create("person", SCHMIDT, fmt)
    other = v1.create("person", {"lastName": "Other"}, fmt)
    ids = contact_ids(v1.read(f"/party/{first}", fmt)["person"])
    wrong_kind = {"contacts": {"email": {"id": ids["phone"][0], "emailAddress": "a@b.c"}}}
    assert v1.put(f"/person/{first}", {"person": wrong_kind}, fmt).status_code == 404
    other_party = {"contacts": {"email": {"id": ids["email"][0], "emailAddress": "a@b.c"}}}
    assert v1.put(f"/person/{other}", {"person": other_party}, fmt).status_code == 404


def test_an_organisation_is_updated_and_cannot_be_updated_as_a_person(v1, fmt):
    party_id = v1.create("organisation", {"name": "Acme"}, fmt)
    assert (
        v1.put(f"/organisation/{party_id}", {"organisation": {"name": "Acme Ltd"}}, fmt).status_code
        == 200
    )
    assert v1.read(f"/party/{party_id}", fmt)["organisation"]["name"] == "Acme Ltd"
    response = v1.put(f"/person/{party_id}", {"person": {"lastName": "X"}}, fmt)
    assert response.status_code == 400


def test_updating_a_missing_party_is_404(v1, fmt):
    assert v1.put("/person/999999", {"person": {"lastName": "X"}}, fmt).status_code == 404


# -- delete ---------------------------------------------------------------------------------------


def test_deleting_a_party_answers_200_and_it_is_gone(v1, fmt):
    party_id = v1.create("person", {"lastName": "Gone"}, fmt)
    response = v1.delete(f"/party/{party_id}", fmt)
    assert response.status_code == 200
    assert response.content == b""
    assert "Content-Type" not in response.headers  # an empty body is not text, XML or JSON
    assert v1.get(f"/party/{party_id}", fmt).status_code == 404
    assert v1.delete(f"/party/{party_id}", fmt).status_code == 404


def test_deleting_one_contact_leaves_the_others(v1, fmt):
    party_id = v1.create("person", SCHMIDT, fmt)
    ids = contact_ids(v1.read(f"/party/{party_id}", fmt)["person"])
    assert v1.delete(f"/party/{party_id}/contact/{ids['phone'][0]}", fmt).status_code == 200
    after = contact_ids(v1.read(f"/party/{party_id}", fmt)["person"])
    assert after == {k: v for k, v in ids.items() if k != "phone"}
    assert v1.delete(f"/party/{party_id}/contact/{ids['phone'][0]}", fmt).status_code == 404


def test_deleting_a_contact_of_another_party_is_404(v1, fmt):
    owner = v1.create("person", SCHMIDT, fmt)
    other = v1.create("person", {"lastName": "Other"}, fmt)
    email_id = contact_ids(v1.read(f"/party/{owner}", fmt)["person"])["email"][0]
    assert v1.delete(f"/party/{other}/contact/{email_id}", fmt).status_code == 404
    assert v1.delete(f"/party/{owner}/contact/10", fmt).status_code == 404
    assert contact_ids(v1.read(f"/party/{owner}", fmt)["person"])["email"] == [email_id]


# -- lists ----------------------------------------------------------------------------------------


def test_an_empty_list_carries_size_zero(v1, fmt):
    response = v1.get("/party", fmt)
    if fmt == "xml":
        assert response.content.endswith(b'<parties size="0"/>')
    else:
        assert response.json() == {"parties": {"@size": "0"}}


def test_a_list_of_one_holds_a_bare_object_and_mixed_lists_group_by_kind(v1, fmt):
    v1.create("person", {"lastName": "Solo"}, fmt)
    parties = v1.read("/party", fmt)["parties"]
    assert parties["person"]["lastName"] == "Solo"
    v1.create("organisation", {"name": "Acme"}, fmt)
    v1.create("person", {"lastName": "Duo"}, fmt)
    parties = v1.read("/party", fmt)["parties"]
    assert [p["lastName"] for p in parties["person"]] == ["Solo", "Duo"]
    assert parties["organisation"]["name"] == "Acme"
    if fmt == "xml":
        assert v1.get("/party").text.count('<parties size="3">') == 1


def test_start_and_limit_page_the_list_and_size_counts_the_answer(v1, fmt):
    ids = [v1.create("person", {"lastName": f"P{i}"}, fmt) for i in range(5)]
    page = v1.read("/party?start=1&limit=2", fmt)["parties"]
    assert [p["id"] for p in page["person"]] == [str(i) for i in ids[1:3]]
    assert xml_size(v1, "/party?start=3") == "2"
    assert xml_size(v1, "/party?limit=2") == "2"
    assert xml_size(v1, "/party?start=1&limit=100") == "4"
    assert xml_size(v1, "/party?start=10") == "0"


def xml_size(v1: V1, path: str) -> str:
    return ET.fromstring(v1.get(path).content).attrib["size"]


def test_q_searches_names_best_match_first(v1, fmt):
    v1.create("person", {"firstName": "Homer", "lastName": "Simpson"}, fmt)
    v1.create("organisation", {"name": "Simpson Holdings"}, fmt)
    v1.create("person", {"lastName": "Flanders"}, fmt)
    found = v1.read("/party?q=simpson", fmt)["parties"]
    assert found["organisation"]["name"] == "Simpson Holdings"
    assert found["person"]["firstName"] == "Homer"
    assert v1.read("/party?q=nobody", fmt) == {"parties": {"@size": "0"}}


def test_email_finds_parties_by_address_in_any_case(v1, fmt):
    v1.create("person", SCHMIDT, fmt)
    v1.create(
        "person", {"lastName": "Other", "contacts": {"email": {"emailAddress": "x@y.z"}}}, fmt
    )
    found = v1.read("/party?email=E.Schmidt@Google.com", fmt)["parties"]
    assert found["person"]["lastName"] == "Schmidt"


def test_tag_finds_parties_carrying_the_tag(account, v1, fmt):
    tagged = v1.create("person", {"lastName": "Tagged"}, fmt)
    v1.create("person", {"lastName": "Plain"}, fmt)
    account.put(f"/parties/{tagged}", {"party": {"tags": [{"name": "Customer"}]}})
    found = v1.read("/party?tag=customer", fmt)["parties"]
    assert found["person"]["id"] == str(tagged)
    assert v1.read("/party?tag=nope", fmt) == {"parties": {"@size": "0"}}


def test_lastmodified_finds_parties_changed_since_then(engine, v1, fmt):
    old = v1.create("person", {"lastName": "Old"}, fmt)
    new = v1.create("person", {"lastName": "New"}, fmt)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE parties SET updated_at = '2011-01-01T00:00:00Z' WHERE id = :id"),
            {"id": old},
        )
    found = v1.read("/party?lastmodified=20120101T000000", fmt)["parties"]
    assert found["person"]["id"] == str(new)
    both = v1.read("/party?lastmodified=20101231T235959", fmt)["parties"]
    assert len(both["person"]) == 2


def test_filters_combine(account, v1, fmt):
    wanted = v1.create("person", {"firstName": "Homer", "lastName": "Simpson"}, fmt)
    v1.create("person", {"firstName": "Bart", "lastName": "Simpson"}, fmt)
    account.put(f"/parties/{wanted}", {"party": {"tags": [{"name": "Dad"}]}})
    found = v1.read("/party?q=simpson&tag=dad", fmt)["parties"]
    assert found["person"]["id"] == str(wanted)
    assert v1.read("/party?q=simpson&tag=dad&start=1", fmt) == {"parties": {"@size": "0"}}


def test_people_lists_the_people_of_an_organisation(v1, fmt):
    organisation = v1.create("organisation", {"name": "Acme"}, fmt)
    v1.create("person", {"lastName": "One", "organisationId": str(organisation)}, fmt)
    v1.create("person", {"lastName": "Two", "organisationName": "acme"}, fmt)
    v1.create("person", {"lastName": "Elsewhere"}, fmt)
    people = v1.read(f"/party/{organisation}/people", fmt)["parties"]["person"]
    assert [p["lastName"] for p in people] == ["One", "Two"]
    assert {p["organisationId"] for p in people} == {str(organisation)}
    assert v1.get("/party/999999/people", fmt).status_code == 404


def test_person_and_organisation_paths_list_and_show_their_own_kind(v1, fmt):
    person = v1.create("person", {"lastName": "Person"}, fmt)
    organisation = v1.create("organisation", {"name": "Organisation"}, fmt)
    assert v1.read("/person", fmt)["parties"]["person"]["id"] == str(person)
    assert v1.read("/organisation", fmt)["parties"]["organisation"]["id"] == str(organisation)
    assert v1.read(f"/organisation/{organisation}", fmt)["organisation"]["name"] == "Organisation"
    assert v1.get(f"/organisation/{person}", fmt).status_code == 404


# -- isolation and v2 -----------------------------------------------------------------------------


def test_another_accounts_party_is_404_everywhere(client, other_account, v1, fmt):
    theirs = V1(client, other_account.token).create("organisation", {"name": "Theirs"}, fmt)
    assert v1.get(f"/party/{theirs}", fmt).status_code == 404
    assert v1.get(f"/party/{theirs}/people", fmt).status_code == 404
    assert (
        v1.put(f"/organisation/{theirs}", {"organisation": {"name": "Mine"}}, fmt).status_code
        == 404
    )
    assert v1.delete(f"/party/{theirs}/contact/11", fmt).status_code == 404
    assert v1.delete(f"/party/{theirs}", fmt).status_code == 404
    assert v1.read("/party", fmt) == {"parties": {"@size": "0"}}
    assert (
        V1(client, other_account.token).read(f"/party/{theirs}", fmt)["organisation"]["name"]
        == "Theirs"
    )


def test_a_person_round_trips_v1_to_v2_to_v1(account, v1, fmt):
    party_id = v1.create("person", SCHMIDT, fmt)
    v2 = account.get(f"/parties/{party_id}").json()["party"]
    assert v2["type"] == "person"
    assert (v2["title"], v2["firstName"], v2["lastName"], v2["jobTitle"]) == (
        "Mr",
        "Eric",
        "Schmidt",
        "Chairman",
    )
    assert v2["organisation"]["name"] == "Google Inc"
    assert v2["emailAddresses"][0]["address"] == "e.schmidt@google.com"
    assert v2["phoneNumbers"][0]["number"] == "+1 888 555555"
    assert v2["websites"][0]["service"] == "URL"
    assert v2["addresses"][0]["city"] == "Mountain View"
    change = {
        "jobTitle": "Adviser",
        "phoneNumbers": [{"id": v2["phoneNumbers"][0]["id"], "number": "+1 999"}],
    }
    assert account.put(f"/parties/{party_id}", {"party": change}).status_code == 200
    person = v1.read(f"/party/{party_id}", fmt)["person"]
    assert person["jobTitle"] == "Adviser"
    assert person["contacts"]["phone"]["phoneNumber"] == "+1 999"
    assert person["createdOn"] == v2["createdAt"]
    assert person["organisationId"] == str(v2["organisation"]["id"])


def test_an_organisation_round_trips_v1_to_v2_to_v1(account, v1, fmt):
    contacts = {"email": {"type": "Work", "emailAddress": "hello@acme.example"}}
    party_id = v1.create("organisation", {"name": "Acme", "contacts": contacts}, fmt)
    v2 = account.get(f"/parties/{party_id}").json()["party"]
    assert (v2["type"], v2["name"]) == ("organisation", "Acme")
    assert [(e["type"], e["address"]) for e in v2["emailAddresses"]] == [
        ("Work", "hello@acme.example")
    ]
    change = {"about": "Anvils", "phoneNumbers": [{"type": "Work", "number": "555"}]}
    assert account.put(f"/parties/{party_id}", {"party": change}).status_code == 200
    organisation = v1.read(f"/party/{party_id}", fmt)["organisation"]
    assert organisation["name"] == "Acme"
    assert organisation["about"] == "Anvils"
    assert organisation["contacts"]["phone"]["phoneNumber"] == "555"
    assert organisation["contacts"]["email"]["emailAddress"] == "hello@acme.example"
    assert (
        organisation["updatedOn"]
        == account.get(f"/parties/{party_id}").json()["party"]["updatedAt"]
    )


def test_v2_only_values_stay_out_of_v1_and_survive_a_v1_update(account, v1, fmt):
    created = account.post(
        "/parties",
        {
            "party": {
                "type": "organisation",
                "name": "Acme",
                "addresses": [{"type": "Billing", "street": "1 Road"}],
                "websites": [{"service": "TIKTOK", "address": "acme"}],
            }
        },
    ).json()["party"]
    organisation = v1.read(f"/party/{created['id']}", fmt)["organisation"]
    assert organisation["contacts"]["address"]["street"] == "1 Road"
    assert "type" not in organisation["contacts"]["address"]  # Billing is not a v1 type
    assert "website" not in organisation["contacts"]  # nor TIKTOK a v1 service
    update = {"organisation": {"about": "Anvils", "contacts": {"phone": {"phoneNumber": "555"}}}}
    assert v1.put(f"/organisation/{created['id']}", update, fmt).status_code == 200
    after = account.get(f"/parties/{created['id']}").json()["party"]
    assert after["about"] == "Anvils"
    assert [p["number"] for p in after["phoneNumbers"]] == ["555"]
    assert after["addresses"] == created["addresses"]
    assert after["websites"] == created["websites"]
