"""/settings/fields and /settings/tags: custom field definitions and tags of each record type."""


def test_add_list_field_with_options_shows_it_on_the_party_page(web):
    response = web.post(
        "/settings/items/fields-parties",
        {"name": "Size", "type": "list", "options": "Small\nLarge\n", "displayOrder": "3"},
    )
    assert response.status_code == 200  # followed the redirect back to the page
    definition = web.account.get("/parties/fields/definitions").json()["definitions"][-1]
    assert (definition["name"], definition["type"], definition["options"]) == (
        "Size",
        "list",
        ["Small", "Large"],
    )
    party = web.account.post("/parties", {"party": {"type": "person", "lastName": "Field"}})
    page = web.get(f"/parties/{party.json()['party']['id']}").text
    assert "Size" in page and "Large" in page


def test_every_field_type_can_be_added_on_each_record_type(web):
    for entity, api in (
        ("parties", "parties"),
        ("opportunities", "opportunities"),
        ("kases", "kases"),
    ):
        for kind in ("text", "date", "boolean", "number", "link", "multiselectlist"):
            body = {"name": f"F {kind}", "type": kind, "options": "One\nTwo"}
            assert web.post(f"/settings/items/fields-{entity}", body).status_code == 200
        found = web.account.get(f"/{api}/fields/definitions").json()["definitions"]
        assert sorted(d["type"] for d in found) == sorted(
            ("text", "date", "boolean", "number", "link", "multiselectlist")
        )


def test_list_field_without_options_is_refused_beside_the_field_and_nothing_changes(web):
    response = web.post("/settings/items/fields-parties", {"name": "Size", "type": "list"})
    assert response.status_code == 422
    assert 'id="fields-parties-new-options-error">options are required for a list field' in (
        response.text
    )
    assert 'value="Size"' in response.text  # what was typed is kept
    assert web.account.get("/parties/fields/definitions").json()["definitions"] == []


def test_edit_and_delete_a_field(web):
    web.post("/settings/items/fields-opportunities", {"name": "Budget", "type": "number"})
    field_id = web.account.get("/opportunities/fields/definitions").json()["definitions"][0]["id"]
    response = web.post(
        f"/settings/items/fields-opportunities/{field_id}",
        {"name": "Budget (GBP)", "important": "on", "displayOrder": "1"},
    )
    assert response.status_code == 200
    changed = web.account.get(f"/opportunities/fields/definitions/{field_id}").json()["definition"]
    assert (changed["name"], changed["important"]) == ("Budget (GBP)", True)
    confirm = web.get(f"/settings/items/fields-opportunities/{field_id}/delete")
    assert "Delete field “Budget (GBP)”?" in confirm.text
    assert web.post(f"/settings/items/fields-opportunities/{field_id}/delete").status_code == 200
    assert web.account.get("/opportunities/fields/definitions").json()["definitions"] == []


def test_field_with_a_taken_name_is_refused(web):
    web.post("/settings/items/fields-kases", {"name": "Code", "type": "text"})
    response = web.post("/settings/items/fields-kases", {"name": "Code", "type": "text"})
    assert response.status_code == 422
    assert "name already exists" in response.text


def test_another_accounts_field_is_the_404_page(web, other_web):
    other_web.post("/settings/items/fields-parties", {"name": "Theirs", "type": "text"})
    theirs = other_web.account.get("/parties/fields/definitions").json()["definitions"][0]["id"]
    assert web.post(f"/settings/items/fields-parties/{theirs}", {"name": "Mine"}).status_code == 404
    assert web.get(f"/settings/items/fields-parties/{theirs}/delete").status_code == 404
    assert web.post(f"/settings/items/fields-parties/{theirs}/delete").status_code == 404
    still = other_web.account.get(f"/parties/fields/definitions/{theirs}").json()["definition"]
    assert still["name"] == "Theirs"


def test_field_of_a_data_tag(web):
    web.post("/settings/items/tags-parties", {"name": "Supplier", "dataTag": "on"})
    tag = web.account.get("/parties/tags").json()["tags"][0]
    assert tag["dataTag"] is True
    web.post(
        "/settings/items/fields-parties", {"name": "Terms", "type": "text", "tag": str(tag["id"])}
    )
    definition = web.account.get("/parties/fields/definitions").json()["definitions"][0]
    assert definition["tag"]["id"] == tag["id"]
    assert "data tag Supplier" in web.get("/settings/fields").text


def test_add_rename_and_delete_a_tag(web):
    assert web.post("/settings/items/tags-opportunities", {"name": "Hot"}).status_code == 200
    tag_id = web.account.get("/opportunities/tags").json()["tags"][0]["id"]
    web.post(f"/settings/items/tags-opportunities/{tag_id}", {"name": "Very hot"})
    assert web.account.get("/opportunities/tags").json()["tags"][0]["name"] == "Very hot"
    assert web.post(f"/settings/items/tags-opportunities/{tag_id}/delete").status_code == 200
    assert web.account.get("/opportunities/tags").json()["tags"] == []


def test_tag_with_a_blank_name_is_refused(web):
    response = web.post("/settings/items/tags-kases", {"name": "  "})
    assert response.status_code == 422
    assert 'id="tags-kases-new-name-error">name is required' in response.text
