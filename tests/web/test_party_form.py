"""/parties/new, /parties/{id}/edit and /parties/{id}/delete: the forms and their refusals."""

PERSON = {
    "type": "person",
    "title": "",
    "firstName": "Grace",
    "lastName": "Hopper",
    "jobTitle": "Admiral",
    "organisation": "Navy",
    "about": "",
}


def rows(kind: str, *items: dict[str, str]) -> dict[str, str]:
    form = {f"{kind}-count": str(len(items))}
    for i, item in enumerate(items):
        form.update({f"{kind}-{i}-{key}": value for key, value in item.items()})
    return form


def party_of(web, location: str) -> dict:
    party_id = location.rsplit("/", 1)[-1]
    return web.account.get(f"/parties/{party_id}").json()["party"]


def test_new_party_form_has_labelled_fields_and_a_blank_row_of_each_contact(web):
    page = web.get("/parties/new")
    assert page.status_code == 200
    for label in ("First name", "Last name", "Job title", "Organisation"):
        assert f">{label}</label>" in page.text
    for kind in ("emailAddresses", "phoneNumbers", "websites", "addresses"):
        assert f'name="{kind}-count" value="1"' in page.text


def test_create_person_with_contacts_goes_to_the_new_record(web):
    form = {
        **PERSON,
        **rows("emailAddresses", {"id": "", "type": "Work", "address": "grace@navy.example"}),
        **rows("phoneNumbers", {"id": "", "type": "", "number": "555 0100"}),
        **rows("websites", {"id": "", "service": "URL", "address": "navy.example"}),
        **rows(
            "addresses",
            {
                "id": "",
                "type": "",
                "street": "",
                "city": "Arlington",
                "state": "",
                "zip": "",
                "country": "",
            },
        ),
    }
    response = web.post("/parties", form, follow_redirects=False)
    assert response.status_code == 303
    party = party_of(web, response.headers["location"])
    assert (party["firstName"], party["lastName"], party["jobTitle"]) == (
        "Grace",
        "Hopper",
        "Admiral",
    )
    assert party["organisation"]["name"] == "Navy"
    assert [e["address"] for e in party["emailAddresses"]] == ["grace@navy.example"]
    assert [p["number"] for p in party["phoneNumbers"]] == ["555 0100"]
    assert [w["address"] for w in party["websites"]] == ["navy.example"]
    assert [a["city"] for a in party["addresses"]] == ["Arlington"]


def test_create_organisation(web):
    response = web.post(
        "/parties",
        {"type": "organisation", "name": "Initech", "about": "Software"},
        follow_redirects=False,
    )
    party = party_of(web, response.headers["location"])
    assert (party["type"], party["name"], party["about"]) == ("organisation", "Initech", "Software")


def test_create_person_without_a_name_shows_the_apis_message_and_keeps_input(web):
    form = {**PERSON, "firstName": "", "lastName": "", "jobTitle": "Kept title"}
    response = web.post("/parties", form)
    assert response.status_code == 422
    assert 'id="f-lastName-error">firstName or lastName is required' in response.text
    assert 'aria-invalid="true" aria-describedby="f-lastName-error"' in response.text
    assert 'value="Kept title"' in response.text
    assert web.account.get("/parties").json()["parties"] == []


def test_create_with_a_bad_contact_row_names_its_group(web):
    form = {**PERSON, **rows("phoneNumbers", {"id": "", "type": "Work", "number": "123"})}
    form["phoneNumbers-0-type"] = "Pager"
    response = web.post("/parties", form)
    assert response.status_code == 422
    assert 'id="phoneNumbers-error">' in response.text


def test_add_another_row_redraws_the_form_without_saving(web):
    form = {**PERSON, **rows("emailAddresses", {"id": "", "type": "", "address": "a@x.example"})}
    response = web.post("/parties", {**form, "more": "emailAddresses"})
    assert response.status_code == 200
    assert 'name="emailAddresses-count" value="3"' in response.text
    assert 'value="a@x.example"' in response.text
    assert web.account.get("/parties").json()["parties"] == []


def test_edit_person_changes_fields_and_removes_a_contact_row(web):
    created = web.account.post(
        "/parties",
        {
            "party": {
                "type": "person",
                "lastName": "Old",
                "emailAddresses": [{"address": "keep@x.example"}, {"address": "drop@x.example"}],
            }
        },
    ).json()["party"]
    keep, drop = created["emailAddresses"]
    page = web.get(f"/parties/{created['id']}/edit")
    assert 'value="drop@x.example"' in page.text
    form = {
        **PERSON,
        "lastName": "New",
        **rows(
            "emailAddresses",
            {"id": str(keep["id"]), "type": "", "address": "keep@x.example"},
            {"id": str(drop["id"]), "type": "", "address": "drop@x.example", "remove": "1"},
        ),
    }
    response = web.post(f"/parties/{created['id']}/edit", form, follow_redirects=False)
    assert response.status_code == 303
    party = party_of(web, response.headers["location"])
    assert party["lastName"] == "New"
    assert [e["address"] for e in party["emailAddresses"]] == ["keep@x.example"]
    changes = web.account.get(f"/parties/{created['id']}/changes").json()["changes"]
    newest = {change["field"]: change["via"] for change in reversed(changes)}  # newest first
    assert (newest["lastName"], newest["emailAddresses"]) == ("web", "web")


def test_edit_with_validation_error_changes_nothing(web):
    created = web.account.post(
        "/parties", {"party": {"type": "organisation", "name": "Taken"}}
    ).json()["party"]
    other = web.account.post(
        "/parties", {"party": {"type": "organisation", "name": "Mine"}}
    ).json()["party"]
    response = web.post(f"/parties/{other['id']}/edit", {"name": "taken", "about": "x"})
    assert response.status_code == 422
    assert "name must be unique" in response.text
    assert web.account.get(f"/parties/{other['id']}").json()["party"]["about"] is None
    assert created["name"] == "Taken"


def test_edit_party_of_other_account_is_404(web, other_web):
    theirs = other_web.account.post(
        "/parties", {"party": {"type": "person", "lastName": "Theirs"}}
    ).json()["party"]
    assert web.get(f"/parties/{theirs['id']}/edit").status_code == 404
    assert web.post(f"/parties/{theirs['id']}/edit", PERSON).status_code == 404
    assert web.get(f"/parties/{theirs['id']}/delete").status_code == 404
    assert web.post(f"/parties/{theirs['id']}/delete").status_code == 404
    assert other_web.account.get(f"/parties/{theirs['id']}").status_code == 200


def test_delete_party_asks_first_then_deletes(web):
    party = web.account.post("/parties", {"party": {"type": "person", "lastName": "Gone"}}).json()[
        "party"
    ]
    confirm = web.get(f"/parties/{party['id']}/delete")
    assert "<h1>Delete Gone?</h1>" in confirm.text
    response = web.post(f"/parties/{party['id']}/delete", follow_redirects=False)
    assert response.headers["location"] == "/parties"
    assert web.account.get(f"/parties/{party['id']}").status_code == 404
    deleted = web.account.get("/parties/deleted?since=2000-01-01T00:00:00Z").json()["parties"]
    assert party["id"] in [p["id"] for p in deleted]


def test_blank_rows_with_only_a_type_chosen_are_ignored(web):
    form = {
        **PERSON,
        **rows("websites", {"id": "", "service": "URL", "address": ""}),
        **rows("phoneNumbers", {"id": "", "type": "Work", "number": ""}),
    }
    response = web.post("/parties", form, follow_redirects=False)
    assert response.status_code == 303
    party = party_of(web, response.headers["location"])
    assert (party["websites"], party["phoneNumbers"]) == ([], [])
