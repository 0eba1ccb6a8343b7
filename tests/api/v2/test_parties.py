"""Parties (people and organisations) on API v2: what is peculiar to them.

The behaviour every resource shares (envelopes, paging, since, deleted feed, scopes, isolation)
is tested once for all resources in tests/api/test_resource_contract.py.
"""

import pytest
import sqlalchemy as sa

from pillbox.store import field_definitions, search
from tests.api.v2.checks import errors_of
from tests.conftest import Account


def create(account: Account, **party: object) -> dict:
    response = account.post("/parties", {"party": party})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def person(account: Account, **extra: object) -> dict:
    return create(account, type="person", firstName="Scott", lastName="Spacey", **extra)


def organisation(account: Account, name: str = "Acme INC", **extra: object) -> dict:
    return create(account, type="organisation", name=name, **extra)


# -- shapes -----------------------------------------------------------------------------------


def test_create_organisation_returns_capsules_shape_key_for_key(account):
    party = organisation(account)
    assert list(party) == [
        "id",
        "owner",
        "team",
        "type",
        "about",
        "name",
        "createdAt",
        "updatedAt",
        "lastContactedAt",
        "pictureURL",
        "enrichment",
        "phoneNumbers",
        "addresses",
        "emailAddresses",
        "websites",
    ]
    assert party["owner"] == {
        "id": account.user_id,
        "deleted": False,
        "username": "ada",
        "pictureURL": party["owner"]["pictureURL"],
        "name": "Ada Admin",
    }
    assert party["createdAt"].endswith("Z") and len(party["createdAt"]) == 20


def test_create_person_returns_capsules_shape_key_for_key(account):
    party = person(account, jobTitle="Creative Director", title="Mr")
    assert list(party) == [
        "id",
        "owner",
        "team",
        "type",
        "about",
        "firstName",
        "lastName",
        "jobTitle",
        "createdAt",
        "updatedAt",
        "organisation",
        "lastContactedAt",
        "pictureURL",
        "title",
        "enrichment",
        "phoneNumbers",
        "addresses",
        "emailAddresses",
        "websites",
    ]
    assert (party["firstName"], party["lastName"], party["title"]) == ("Scott", "Spacey", "Mr")


def test_create_sets_location_to_the_new_party(account):
    response = account.post("/parties", {"party": {"type": "organisation", "name": "Loc"}})
    party_id = response.json()["party"]["id"]
    assert response.headers["Location"] == f"http://pillbox.test/api/v2/parties/{party_id}"
    assert account.get(f"/parties/{party_id}").json()["party"]["name"] == "Loc"


def test_create_with_sub_collections_stores_them_with_ids(account):
    party = person(
        account,
        addresses=[
            {
                "type": "Office",
                "street": "847 North Rush Street",
                "city": "Chicago",
                "state": "IL",
                "country": "United States",
                "zip": "65629",
            }
        ],
        phoneNumbers=[{"type": "Work", "number": "773-338-7786"}],
        emailAddresses=[{"type": "Work", "address": "scott@example.com"}],
        websites=[{"service": "URL", "address": "https://capsulecrm.com", "type": "Home"}],
    )
    address = party["addresses"][0]
    assert list(address) == ["id", "type", "city", "country", "street", "state", "zip"]
    assert address["city"] == "Chicago" and isinstance(address["id"], int)
    assert party["phoneNumbers"] == [
        {"id": party["phoneNumbers"][0]["id"], "type": "Work", "number": "773-338-7786"}
    ]
    assert party["emailAddresses"][0]["address"] == "scott@example.com"
    assert party["websites"][0]["url"] == "https://capsulecrm.com"


@pytest.mark.parametrize(
    ("service", "address", "url"),
    [
        ("TWITTER", "capsulecrm", "https://twitter.com/capsulecrm"),
        ("URL", "capsulecrm.com", "http://capsulecrm.com"),
        (
            "FACEBOOK",
            "https://www.facebook.com/capsulecrm/",
            "https://www.facebook.com/capsulecrm/",
        ),
        ("GITHUB", "zestia", "https://github.com/zestia"),
    ],
)
def test_website_url_is_derived_from_service_and_address(account, service, address, url):
    party = organisation(account, websites=[{"service": service, "address": address}])
    assert party["websites"][0]["url"] == url


def test_website_without_service_is_a_url(account):
    party = organisation(account, websites=[{"address": "example.org"}])
    assert party["websites"][0]["service"] == "URL"


# -- validation -------------------------------------------------------------------------------


def test_create_organisation_without_name_is_422_name_is_required(account):
    response = account.post("/parties", {"party": {"type": "organisation"}})
    assert errors_of(response) == [
        {"message": "name is required", "resource": "party", "field": "name"}
    ]


def test_create_person_without_any_name_is_422(account):
    response = account.post("/parties", {"party": {"type": "person", "jobTitle": "CEO"}})
    assert errors_of(response)[0]["field"] == "lastName"


def test_create_without_type_is_422(account):
    assert errors_of(account.post("/parties", {"party": {"name": "X"}}))[0]["field"] == "type"


def test_create_with_unknown_type_is_422(account):
    response = account.post("/parties", {"party": {"type": "robot", "name": "X"}})
    assert errors_of(response)[0]["field"] == "type"


def test_duplicate_organisation_name_is_422_name_must_be_unique(account):
    organisation(account, "Acme")
    response = account.post("/parties", {"party": {"type": "organisation", "name": "ACME"}})
    assert errors_of(response) == [
        {"message": "name must be unique", "resource": "party", "field": "name"}
    ]


def test_organisation_names_are_trimmed_before_the_uniqueness_check(account):
    assert organisation(account, " Acme ")["name"] == "Acme"
    response = account.post("/parties", {"party": {"type": "organisation", "name": "acme  "}})
    assert errors_of(response)[0]["message"] == "name must be unique"


def test_renaming_onto_an_existing_organisation_name_is_422(account):
    organisation(account, "Acme")
    other = organisation(account, "Other")
    response = account.put(f"/parties/{other['id']}", {"party": {"name": "acme"}})
    assert errors_of(response)[0]["message"] == "name must be unique"


def test_phone_number_without_number_is_422_naming_the_field(account):
    response = account.post(
        "/parties",
        {"party": {"type": "person", "lastName": "X", "phoneNumbers": [{"type": "Work"}]}},
    )
    assert errors_of(response) == [
        {"message": "number is required", "resource": "party", "field": "phoneNumber.number"}
    ]


def test_website_with_unknown_service_is_422(account):
    response = account.post(
        "/parties",
        {
            "party": {
                "type": "person",
                "lastName": "X",
                "websites": [{"service": "MYSPACE", "address": "x"}],
            }
        },
    )
    assert errors_of(response)[0]["field"] == "website.service"


def test_wrong_value_type_is_422_and_writes_nothing(account):
    response = account.post("/parties", {"party": {"type": "person", "firstName": 5}})
    assert errors_of(response)[0] == {
        "message": "firstName must be a string",
        "resource": "party",
        "field": "firstName",
    }
    assert account.get("/parties").json()["parties"] == []


def test_invalid_sub_collection_item_rolls_back_the_whole_create(account):
    response = account.post(
        "/parties",
        {
            "party": {
                "type": "organisation",
                "name": "Half",
                "emailAddresses": [{"address": "a@b.c"}],
                "tags": [{"id": 999999, "_delete": True}],
            }
        },
    )
    assert response.status_code == 422
    assert account.get("/parties").json()["parties"] == []
    assert account.get("/parties/search?q=Half").json()["parties"] == []


@pytest.mark.parametrize("field", ["organisation", "owner", "team"])
@pytest.mark.parametrize("ref_id", [0, -1, 2**31, 2**62])
def test_reference_ids_that_cannot_exist_are_422(account, field, ref_id):
    body = {"party": {"type": "person", "lastName": "X", field: {"id": ref_id}}}
    assert errors_of(account.post("/parties", body))[0]["field"] == f"{field}.id"


def test_read_only_and_unknown_properties_are_ignored(account):
    party = create(
        account,
        type="organisation",
        name="RO",
        id=5,
        createdAt="1999-01-01T00:00:00Z",
        pictureURL="x",
        shoeSize=42,
    )
    assert party["id"] != 5 or party["createdAt"] != "1999-01-01T00:00:00Z"
    assert party["createdAt"] != "1999-01-01T00:00:00Z"
    assert "shoeSize" not in party


def test_changing_the_type_is_422(account):
    party = organisation(account)
    response = account.put(f"/parties/{party['id']}", {"party": {"type": "person"}})
    assert errors_of(response)[0]["field"] == "type"


def test_update_resending_the_same_type_is_accepted(account):
    party = organisation(account)
    response = account.put(
        f"/parties/{party['id']}", {"party": {"type": "organisation", "name": "Acme"}}
    )
    assert response.status_code == 200
    assert response.json()["party"]["name"] == "Acme"


# -- updates ----------------------------------------------------------------------------------


def test_update_changes_only_the_properties_sent(account):
    party = person(account, jobTitle="CTO", about="About text")
    response = account.put(f"/parties/{party['id']}", {"party": {"jobTitle": "CEO"}})
    assert response.status_code == 200
    updated = response.json()["party"]
    assert updated["jobTitle"] == "CEO"
    assert (updated["firstName"], updated["about"]) == ("Scott", "About text")


def test_update_with_null_clears_a_property(account):
    party = person(account, about="Something")
    updated = account.put(f"/parties/{party['id']}", {"party": {"about": None}}).json()["party"]
    assert updated["about"] is None


def test_update_cannot_remove_the_last_name_of_a_person(account):
    party = create(account, type="person", lastName="Only")
    response = account.put(f"/parties/{party['id']}", {"party": {"lastName": None}})
    assert response.status_code == 422


def test_a_removed_sub_collection_items_id_is_never_given_again(account):
    party = person(account, phoneNumbers=[{"number": "111"}])
    removed = party["phoneNumbers"][0]["id"]
    body = {"phoneNumbers": [{"id": removed, "_delete": True}, {"number": "222"}]}
    updated = account.put(f"/parties/{party['id']}", {"party": body}).json()["party"]
    assert [phone["id"] > removed for phone in updated["phoneNumbers"]] == [True]


def test_sub_collection_items_are_added_changed_and_removed_by_id(account):
    party = person(
        account,
        phoneNumbers=[{"number": "111"}],
        emailAddresses=[{"type": "Work", "address": "old@example.com"}],
    )
    phone_id = party["phoneNumbers"][0]["id"]
    email_id = party["emailAddresses"][0]["id"]
    response = account.put(
        f"/parties/{party['id']}",
        {
            "party": {
                "phoneNumbers": [{"id": phone_id, "_delete": True}],
                "emailAddresses": [
                    {"id": email_id, "type": "Home"},
                    {"type": "Work", "address": "new@example.com"},
                ],
            }
        },
    )
    updated = response.json()["party"]
    assert updated["phoneNumbers"] == []
    assert updated["emailAddresses"][0] == {
        "id": email_id,
        "type": "Home",
        "address": "old@example.com",
    }
    assert updated["emailAddresses"][1]["address"] == "new@example.com"


def test_sub_collection_item_of_another_party_is_404(account):
    first = person(account, phoneNumbers=[{"number": "111"}])
    second = person(account)
    phone_id = first["phoneNumbers"][0]["id"]
    response = account.put(
        f"/parties/{second['id']}", {"party": {"phoneNumbers": [{"id": phone_id, "number": "2"}]}}
    )
    assert response.status_code == 404
    assert (
        account.get(f"/parties/{first['id']}").json()["party"]["phoneNumbers"][0]["number"] == "111"
    )


def test_empty_sub_collection_changes_nothing_and_keeps_updated_at(account, engine):
    party = person(account, phoneNumbers=[{"number": "111"}])
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE parties SET updated_at = '2020-01-01T00:00:00Z' WHERE id = :id"),
            {"id": party["id"]},
        )
    updated = account.put(f"/parties/{party['id']}", {"party": {"phoneNumbers": []}}).json()[
        "party"
    ]
    assert updated["phoneNumbers"] == party["phoneNumbers"]
    assert updated["updatedAt"] == "2020-01-01T00:00:00Z"


def test_update_advances_updated_at(account, engine):
    party = person(account)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE parties SET updated_at = '2020-01-01T00:00:00Z' WHERE id = :id"),
            {"id": party["id"]},
        )
    updated = account.put(
        f"/parties/{party['id']}", {"party": {"emailAddresses": [{"address": "x@y.z"}]}}
    ).json()["party"]
    assert updated["updatedAt"] > "2020-01-01T00:00:00Z"


def test_update_of_missing_party_is_404(account):
    assert account.put("/parties/987654", {"party": {"about": "x"}}).status_code == 404


# -- organisations and their people -----------------------------------------------------------


def test_person_links_an_organisation_by_id(account):
    org = organisation(account)
    party = person(account, organisation={"id": org["id"]})
    assert party["organisation"] == {
        "id": org["id"],
        "type": "organisation",
        "name": "Acme INC",
        "pictureURL": org["pictureURL"],
    }


def test_person_links_an_organisation_by_bare_id(account):
    org = organisation(account)
    assert person(account, organisation=org["id"])["organisation"]["id"] == org["id"]


def test_person_links_an_existing_organisation_by_name(account):
    org = organisation(account, "Google")
    party = person(account, organisation={"name": "google"})
    assert party["organisation"]["id"] == org["id"]


def test_person_with_a_new_organisation_name_creates_the_organisation(account):
    party = person(account, organisation={"name": "Brand New Ltd"})
    org_id = party["organisation"]["id"]
    org = account.get(f"/parties/{org_id}").json()["party"]
    assert (org["type"], org["name"]) == ("organisation", "Brand New Ltd")
    assert org["owner"]["id"] == account.user_id


def test_linking_a_person_as_organisation_is_404_organisation_not_found(account):
    other = person(account)
    response = account.post(
        "/parties",
        {"party": {"type": "person", "lastName": "X", "organisation": {"id": other["id"]}}},
    )
    assert response.status_code == 404
    assert response.json() == {"message": "organisation not found"}


def test_null_organisation_unlinks_the_person(account):
    org = organisation(account)
    party = person(account, organisation={"id": org["id"]})
    updated = account.put(f"/parties/{party['id']}", {"party": {"organisation": None}}).json()[
        "party"
    ]
    assert updated["organisation"] is None


def test_embed_organisation_gives_the_full_organisation(account):
    org = organisation(account, emailAddresses=[{"address": "hq@acme.com"}])
    party = person(account, organisation={"id": org["id"]})
    shown = account.get(f"/parties/{party['id']}?embed=organisation").json()["party"]
    assert shown["organisation"]["emailAddresses"][0]["address"] == "hq@acme.com"
    assert shown["organisation"]["createdAt"] == org["createdAt"]


def test_people_of_an_organisation_are_listed_and_paged(account):
    org = organisation(account)
    ids = [person(account, organisation={"id": org["id"]})["id"] for _ in range(3)]
    person(account)
    response = account.get(f"/parties/{org['id']}/people?perPage=2")
    assert [p["id"] for p in response.json()["parties"]] == ids[:2]
    assert response.headers["X-Pagination-Has-More"] == "true"
    second = account.get(f"/parties/{org['id']}/people?perPage=2&page=2").json()["parties"]
    assert [p["id"] for p in second] == ids[2:]


def test_people_of_a_person_is_an_empty_list(account):
    party = person(account)
    assert account.get(f"/parties/{party['id']}/people").json() == {"parties": []}


def test_people_of_a_missing_organisation_is_404(account):
    assert account.get("/parties/987654/people").status_code == 404


def test_deleting_an_organisation_keeps_its_people_unlinked(account):
    org = organisation(account)
    party = person(account, organisation={"id": org["id"]})
    assert account.delete(f"/parties/{org['id']}").status_code == 204
    assert account.get(f"/parties/{party['id']}").json()["party"]["organisation"] is None


# -- owner and team ---------------------------------------------------------------------------


def test_owner_defaults_to_the_token_user_and_can_be_unassigned(account):
    party = person(account)
    assert party["owner"]["id"] == account.user_id
    updated = account.put(f"/parties/{party['id']}", {"party": {"owner": None}}).json()["party"]
    assert updated["owner"] is None


def test_owner_of_another_account_is_422(account, other_account):
    response = account.post(
        "/parties",
        {"party": {"type": "person", "lastName": "X", "owner": {"id": other_account.user_id}}},
    )
    assert errors_of(response)[0]["field"] == "owner"


def test_team_must_exist_and_hold_the_owner(account, engine):
    from pillbox.store.teams import create_team

    with engine.begin() as conn:
        with_owner = create_team(conn, account.id, "Sales", [account.user_id])
        without_owner = create_team(conn, account.id, "Support", [])
    party = person(account, team={"id": with_owner})
    assert party["team"] == {"id": with_owner, "name": "Sales"}
    response = account.post(
        "/parties", {"party": {"type": "person", "lastName": "X", "team": without_owner}}
    )
    assert errors_of(response)[0]["message"] == "owner is not a member of the team"
    response = account.post(
        "/parties", {"party": {"type": "person", "lastName": "X", "team": 987654}}
    )
    assert errors_of(response)[0]["field"] == "team"


# -- tags and custom fields ------------------------------------------------------------------


def test_tags_are_attached_by_name_and_shown_with_embed_tags(account):
    party = person(account, tags=[{"name": "VIP"}, {"name": "Customer"}])
    assert "tags" not in party
    shown = account.get(f"/parties/{party['id']}?embed=tags").json()["party"]
    assert [t["name"] for t in shown["tags"]] == ["Customer", "VIP"]
    assert set(shown["tags"][0]) == {"id", "name", "description", "dataTag"}


def test_tag_names_match_case_insensitively_and_are_reused(account):
    first = person(account, tags=[{"name": "VIP"}])
    second = person(account, tags=[{"name": "vip"}])
    tags_of = lambda p: account.get(f"/parties/{p['id']}?embed=tags").json()["party"]["tags"]  # noqa: E731
    assert tags_of(first)[0]["id"] == tags_of(second)[0]["id"]


def test_a_tag_name_with_spaces_around_it_is_the_tag_of_that_name(account):
    first = person(account, tags=[{"name": "vip"}])
    second = person(account, tags=[{"name": "  VIP "}])
    tags_of = lambda p: account.get(f"/parties/{p['id']}?embed=tags").json()["party"]["tags"]  # noqa: E731
    assert tags_of(first) == tags_of(second)


def test_tag_is_detached_by_id_and_unknown_detach_is_422(account):
    party = person(account, tags=[{"name": "VIP"}])
    tag_id = account.get(f"/parties/{party['id']}?embed=tags").json()["party"]["tags"][0]["id"]
    response = account.put(
        f"/parties/{party['id']}?embed=tags", {"party": {"tags": [{"id": tag_id, "_delete": True}]}}
    )
    assert response.json()["party"]["tags"] == []
    again = account.put(
        f"/parties/{party['id']}", {"party": {"tags": [{"id": tag_id, "_delete": True}]}}
    )
    assert errors_of(again)[0]["message"] == "tag not found to delete"


@pytest.fixture
def definitions(account, engine):
    with engine.begin() as conn:
        return {
            "text": field_definitions.create_definition(
                conn, account.id, "parties", name="Website notes", type="text"
            ),
            "number": field_definitions.create_definition(
                conn, account.id, "parties", name="Score", type="number", important=True
            ),
            "boolean": field_definitions.create_definition(
                conn, account.id, "parties", name="Active", type="boolean"
            ),
            "list": field_definitions.create_definition(
                conn, account.id, "parties", name="Sector", type="list", options=["Tech", "Retail"]
            ),
            "date": field_definitions.create_definition(
                conn, account.id, "parties", name="Renewal", type="date"
            ),
        }


def test_fields_are_set_validated_and_shown_with_embed_fields(account, definitions):
    party = person(
        account,
        fields=[
            {"definition": {"id": definitions["number"]}, "value": 10},
            {"definition": definitions["boolean"], "value": True},
            {"definition": {"id": definitions["list"]}, "value": "Tech"},
            {"definition": {"id": definitions["date"]}, "value": "2025-01-31"},
        ],
    )
    shown = account.get(f"/parties/{party['id']}?embed=fields").json()["party"]["fields"]
    values = {f["definition"]["name"]: f["value"] for f in shown}
    assert values == {"Score": "10", "Active": True, "Sector": "Tech", "Renewal": "2025-01-31"}
    assert set(shown[0]) == {"id", "definition", "value"}


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("number", "ten"),
        ("number", "nan"),
        ("number", "-Infinity"),
        ("boolean", None),
        ("list", "Mining"),
        ("date", "31/01/2025"),
        ("text", 5),
    ],
)
def test_field_value_of_the_wrong_type_is_422(account, definitions, kind, value):
    response = account.post(
        "/parties",
        {
            "party": {
                "type": "person",
                "lastName": "X",
                "fields": [{"definition": definitions[kind], "value": value}],
            }
        },
    )
    assert errors_of(response) == [
        {"message": "invalid type for field", "resource": "party", "field": "field.value"}
    ]


def test_field_of_unknown_definition_is_422(account, definitions):
    response = account.post(
        "/parties",
        {
            "party": {
                "type": "person",
                "lastName": "X",
                "fields": [{"definition": 987654, "value": "x"}],
            }
        },
    )
    assert errors_of(response)[0]["field"] == "field.definition"


def test_field_value_is_changed_by_id_and_cleared_with_delete(account, definitions):
    party = person(account, fields=[{"definition": definitions["text"], "value": "a"}])
    value_id = account.get(f"/parties/{party['id']}?embed=fields").json()["party"]["fields"][0][
        "id"
    ]
    changed = account.put(
        f"/parties/{party['id']}?embed=fields",
        {"party": {"fields": [{"id": value_id, "value": "b"}]}},
    )
    assert changed.json()["party"]["fields"][0]["value"] == "b"
    cleared = account.put(
        f"/parties/{party['id']}?embed=fields",
        {"party": {"fields": [{"id": value_id, "_delete": True}]}},
    )
    assert cleared.json()["party"]["fields"] == []


def test_missing_important_fields_is_reported_with_its_embed(account, definitions):
    without = person(account)
    with_value = person(account, fields=[{"definition": definitions["number"], "value": 3}])
    shown = account.get(
        f"/parties/{without['id']},{with_value['id']}?embed=missingImportantFields"
    ).json()["parties"]
    assert [p["missingImportantFields"] for p in shown] == [True, False]


# -- search -----------------------------------------------------------------------------------


def test_search_matches_names_emails_and_phone_numbers(account):
    scott = person(
        account,
        emailAddresses=[{"address": "scott@spacey.example"}],
        phoneNumbers=[{"number": "+44 (0)20 7946 0018"}],
    )
    acme = organisation(account, "Acme Widgets")

    def found(q):
        return [p["id"] for p in account.get("/parties/search", params={"q": q}).json()["parties"]]

    assert found("spac") == [scott["id"]]
    assert found("SCOTT@SPACEY") == [scott["id"]]
    assert found("7946 0018") == [scott["id"]]
    assert found("2079460018") == [scott["id"]]
    assert found("widget") == [acme["id"]]
    assert found("acme scott") == []
    assert found("nobody") == []


def test_a_new_partys_search_entry_is_the_one_its_texts_give(account, engine):
    """A creation writes the entry from the values it wrote; a reindex reads them back."""
    created = [
        create(
            account,
            type="person",
            firstName="Zoë",
            emailAddresses=[{"address": "a@b.example"}, {"address": "C@D.example"}],
            phoneNumbers=[{"number": "+44 20 7946 0018"}, {"number": "0113 496"}],
            organisation={"name": "Made On The Way"},
        )["id"],
        organisation(account, "Acme  Widgets")["id"],
    ]
    table = search.PARTIES.table
    columns = [table.c[name] for name in search.PARTIES.columns]
    query = sa.select(*columns).where(table.c.party_id.in_(created)).order_by(table.c.party_id)
    with engine.begin() as conn:
        written = conn.execute(query).all()
        for party_id in created:
            search.reindex(conn, account.id, party_id)
        assert conn.execute(query).all() == written
    assert len(written) == 2


def test_search_follows_updates_and_deletes(account):
    party = organisation(account, "Before Name")
    account.put(f"/parties/{party['id']}", {"party": {"name": "After Name"}})
    assert account.get("/parties/search?q=Before").json()["parties"] == []
    assert len(account.get("/parties/search?q=After").json()["parties"]) == 1
    account.delete(f"/parties/{party['id']}")
    assert account.get("/parties/search?q=After").json()["parties"] == []


def test_search_follows_updates_of_each_text_it_finds_by(account):
    party = person(account)

    def found(q):
        return [p["id"] for p in account.get("/parties/search", params={"q": q}).json()["parties"]]

    def update(**changes):
        response = account.put(f"/parties/{party['id']}", {"party": changes})
        assert response.status_code == 200, response.text

    update(jobTitle="Juggler", emailAddresses=[{"address": "new@mail.example"}])
    assert found("new@mail") == [party["id"]] and found("spacey") == [party["id"]]
    update(phoneNumbers=[{"number": "0113 496 0777"}])
    assert found("4960777") == [party["id"]]
    update(lastName="Renamed", about="Not searched")
    assert found("spacey") == [] and found("renamed") == [party["id"]]
    assert found("new@mail") == [party["id"]]


def test_search_is_paged_with_link_headers(account):
    for i in range(3):
        organisation(account, f"Paged Org {i}")
    response = account.get("/parties/search?q=paged&perPage=2")
    assert len(response.json()["parties"]) == 2
    assert 'rel="next"' in response.headers["Link"] and "q=paged" in response.headers["Link"]


def test_search_treats_like_wildcards_as_text(account):
    organisation(account, "Hundred Percent")
    assert account.get("/parties/search", params={"q": "%"}).json()["parties"] == []
    assert account.get("/parties/search", params={"q": "_"}).json()["parties"] == []


def test_search_without_q_is_an_empty_list(account):
    organisation(account)
    assert account.get("/parties/search").json() == {"parties": []}
