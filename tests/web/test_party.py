"""/parties/{id}: the record page and what is changed from it (tags, custom fields)."""

import pytest

from pillbox.store import field_definitions


def add(web, **party):
    response = web.account.post("/parties", {"party": party})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def definition(engine, web, name, kind, **extra):
    with engine.begin() as conn:
        return field_definitions.create_definition(
            conn, web.account.id, "parties", name=name, type=kind, **extra
        )


def test_show_party_has_details_contacts_and_address(web):
    org = add(web, type="organisation", name="Acme Ltd")
    person = add(
        web,
        type="person",
        firstName="Ann",
        lastName="Lee",
        jobTitle="Buyer",
        organisation={"id": org["id"]},
        emailAddresses=[{"address": "ann@acme.example"}],
        phoneNumbers=[{"number": "+44 (0)113 496 0000"}],
        websites=[{"service": "GITHUB", "address": "annlee"}],
        addresses=[{"street": "1 Main St", "city": "Leeds", "country": "United Kingdom"}],
    )
    page = web.get(f"/parties/{person['id']}")
    assert page.status_code == 200
    assert "<h1>Ann Lee</h1>" in page.text
    assert "Buyer" in page.text
    assert f'<a href="/parties/{org["id"]}">Acme Ltd</a>' in page.text
    assert 'href="mailto:ann@acme.example"' in page.text
    assert 'href="tel:+4401134960000"' in page.text
    assert 'href="https://github.com/annlee"' in page.text
    assert "1 Main St<br>Leeds<br>United Kingdom<br>" in page.text


def test_show_organisation_lists_its_people_and_deals(web):
    org = add(web, type="organisation", name="Acme Ltd")
    person = add(web, type="person", lastName="Worker", organisation={"id": org["id"]})
    milestone = web.account.get("/milestones").json()["milestones"][0]
    opportunity = {"name": "Big deal", "party": {"id": org["id"]}, "milestone": milestone}
    deal = web.account.post("/opportunities", {"opportunity": opportunity})
    assert deal.status_code == 201, deal.text
    kase = web.account.post("/kases", {"kase": {"name": "Install", "party": {"id": org["id"]}}})
    assert kase.status_code == 201, kase.text
    page = web.get(f"/parties/{org['id']}").text
    assert f'<a href="/parties/{person["id"]}">Worker</a>' in page
    assert f'<a href="/opportunities/{deal.json()["opportunity"]["id"]}">Big deal</a>' in page
    assert f'<a href="/projects/{kase.json()["kase"]["id"]}">Install</a>' in page


@pytest.mark.parametrize("path", ["/parties/999999", "/parties/abc", "/parties/0"])
def test_show_missing_party_is_404_page(web, path):
    response = web.get(path)
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text


def test_show_party_of_other_account_is_the_same_404(web, other_web):
    theirs = add(other_web, type="person", lastName="Secret")
    response = web.get(f"/parties/{theirs['id']}")
    missing = web.get("/parties/999999")
    assert response.status_code == 404
    assert "Secret" not in response.text
    assert response.text == missing.text


def test_add_tag_attaches_it_and_remove_detaches(web):
    party = add(web, type="person", lastName="Tagged")
    assert web.post(f"/parties/{party['id']}/tags", {"name": "VIP"}).status_code == 200
    tags = web.account.get(f"/parties/{party['id']}?embed=tags").json()["party"]["tags"]
    assert [t["name"] for t in tags] == ["VIP"]
    page = web.post(f"/parties/{party['id']}/tags/{tags[0]['id']}/remove")
    assert page.status_code == 200
    assert '<span class="tag">VIP</span>' not in page.text
    assert web.account.get(f"/parties/{party['id']}?embed=tags").json()["party"]["tags"] == []


def test_add_blank_tag_shows_the_domains_message(web):
    party = add(web, type="person", lastName="Tagged")
    response = web.post(f"/parties/{party['id']}/tags", {"name": ""})
    assert response.status_code == 422
    assert 'class="field-error"' in response.text


def test_remove_tag_not_on_party_is_422(web):
    party = add(web, type="person", lastName="Tagged")
    response = web.post(f"/parties/{party['id']}/tags/12345/remove")
    assert response.status_code == 422
    assert "tag not found to delete" in response.text


def test_tag_party_of_other_account_is_404(web, other_web):
    theirs = add(other_web, type="person", lastName="Theirs")
    assert web.post(f"/parties/{theirs['id']}/tags", {"name": "X"}).status_code == 404


def test_save_fields_of_every_type(engine, web):
    ids = {
        "text": definition(engine, web, "Notes", "text"),
        "number": definition(engine, web, "Score", "number"),
        "date": definition(engine, web, "Renewal", "date"),
        "boolean": definition(engine, web, "Active", "boolean"),
        "list": definition(engine, web, "Size", "list", options=["S", "M", "L"]),
        "multi": definition(engine, web, "Topics", "multiselectlist", options=["a", "b", "c"]),
        "link": definition(engine, web, "Site", "link"),
    }
    party = add(web, type="person", lastName="Fielded")
    form = {
        f"field-{ids['text']}": "Hello",
        f"field-{ids['number']}": "12.5",
        f"field-{ids['date']}": "2026-03-01",
        f"field-{ids['boolean']}": "true",
        f"field-{ids['list']}": "M",
        f"field-{ids['multi']}": ["a", "c"],
        f"field-{ids['link']}": "https://example.com",
    }
    assert web.post(f"/parties/{party['id']}/fields", form).status_code == 200
    fields = web.account.get(f"/parties/{party['id']}?embed=fields").json()["party"]["fields"]
    values = {f["definition"]["name"]: f["value"] for f in fields}
    assert values == {
        "Notes": "Hello",
        "Score": "12.5",
        "Renewal": "2026-03-01",
        "Active": True,
        "Size": "M",
        "Topics": "a;c",
        "Site": "https://example.com",
    }
    page = web.get(f"/parties/{party['id']}").text
    assert "<option selected>M</option>" in page
    assert f'name="field-{ids["multi"]}" value="c" checked' in page


def test_save_fields_clears_an_emptied_field(engine, web):
    notes = definition(engine, web, "Notes", "text")
    party = add(
        web, type="person", lastName="F", fields=[{"definition": {"id": notes}, "value": "x"}]
    )
    web.post(f"/parties/{party['id']}/fields", {f"field-{notes}": ""})
    assert web.account.get(f"/parties/{party['id']}?embed=fields").json()["party"]["fields"] == []


def test_save_bad_number_names_the_field_keeps_input_and_changes_nothing(engine, web):
    score = definition(engine, web, "Score", "number")
    notes = definition(engine, web, "Notes", "text")
    party = add(web, type="person", lastName="F")
    response = web.post(
        f"/parties/{party['id']}/fields", {f"field-{score}": "lots", f"field-{notes}": "kept"}
    )
    assert response.status_code == 422
    assert f'id="field-{score}-error">invalid type for field' in response.text
    assert 'value="lots"' in response.text
    assert web.account.get(f"/parties/{party['id']}?embed=fields").json()["party"]["fields"] == []


def test_save_fields_of_other_accounts_party_is_404(engine, web, other_web):
    theirs = add(other_web, type="person", lastName="Theirs")
    assert web.post(f"/parties/{theirs['id']}/fields", {}).status_code == 404
