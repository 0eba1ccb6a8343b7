"""/projects/{id} (the API's kases): the record page, what is changed from it (tags, fields,
tasks, notes, closing and reopening) and its forms (new, edit, delete)."""

import pytest

from pillbox.store import field_definitions


def party(web, name="Acme Ltd"):
    response = web.account.post("/parties", {"party": {"type": "organisation", "name": name}})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def stages(web):
    return {s["name"]: s for s in web.account.get("/stages").json()["stages"]}


def project(web, name="Rollout", **extra):
    body = {"name": name, "party": {"id": party(web)["id"]}, **extra}
    response = web.account.post("/kases", {"kase": body})
    assert response.status_code == 201, response.text
    return response.json()["kase"]


def api(web, kase_id, embed=""):
    return web.account.get(f"/kases/{kase_id}?embed={embed}").json()["kase"]


def test_show_project_has_party_opportunity_and_stage(web):
    owner = party(web)
    milestone = web.account.get("/milestones").json()["milestones"][0]
    deal = web.account.post(
        "/opportunities",
        {"opportunity": {"name": "Big deal", "party": owner["id"], "milestone": milestone["id"]}},
    ).json()["opportunity"]
    stage = next(iter(stages(web).values()))
    made = web.account.post(
        "/kases",
        {
            "kase": {
                "name": "Rollout",
                "description": "Forty seats",
                "party": {"id": owner["id"]},
                "opportunity": {"id": deal["id"]},
                "stage": {"id": stage["id"]},
            }
        },
    ).json()["kase"]
    page = web.get(f"/projects/{made['id']}")
    assert page.status_code == 200
    assert "<h1>Rollout</h1>" in page.text
    assert "Project · Open" in page.text
    assert f'<a href="/parties/{owner["id"]}">Acme Ltd</a>' in page.text
    assert f'<a href="/opportunities/{deal["id"]}">Big deal</a>' in page.text
    assert f'{stage["name"]} · <a href="/boards/{stage["board"]["id"]}">' in page.text
    assert "Forty seats" in page.text


def test_old_kases_address_redirects_to_the_project(web):
    response = web.get("/kases/42", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == "/projects/42"


@pytest.mark.parametrize("path", ["/projects/999999", "/projects/abc", "/kases/abc"])
def test_show_missing_project_is_404_page(web, path):
    response = web.get(path)
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text


def test_project_of_other_account_is_the_same_404(web, other_web):
    theirs = project(other_web, "Secret project")
    missing = web.get("/projects/999999")
    for path in ("", "/edit", "/delete"):
        response = web.get(f"/projects/{theirs['id']}{path}")
        assert response.status_code == 404
        assert response.text == missing.text
    assert web.post(f"/projects/{theirs['id']}/close").status_code == 404
    assert web.post(f"/projects/{theirs['id']}/fields", {}).status_code == 404
    assert web.post(f"/projects/{theirs['id']}/delete").status_code == 404
    assert web.post("/entries", {"kase": str(theirs["id"]), "content": "x"}).status_code == 404
    assert api(other_web, theirs["id"])["status"] == "OPEN"


def test_close_and_reopen(web):
    made = project(web)
    response = web.post(f"/projects/{made['id']}/close", follow_redirects=False)
    assert response.status_code == 303
    shown = api(web, made["id"])
    assert (shown["status"], shown["closedOn"] is not None) == ("CLOSED", True)
    page = web.get(f"/projects/{made['id']}").text
    assert "Project · Closed" in page
    assert ">Reopen project</button>" in page
    web.post(f"/projects/{made['id']}/reopen")
    shown = api(web, made["id"])
    assert (shown["status"], shown["closedOn"]) == ("OPEN", None)


def test_tags_fields_tasks_and_notes(engine, web):
    with engine.begin() as conn:
        done = field_definitions.create_definition(
            conn, web.account.id, "kases", name="Signed off", type="boolean"
        )
    made = project(web)
    web.post(f"/projects/{made['id']}/tags", {"name": "Urgent"})
    assert [t["name"] for t in api(web, made["id"], "tags")["tags"]] == ["Urgent"]
    web.post(f"/projects/{made['id']}/fields", {f"field-{done}": "true"})
    assert [f["value"] for f in api(web, made["id"], "fields")["fields"]] == [True]
    back = f"/projects/{made['id']}"
    task = {"description": "Kick-off", "dueOn": "2030-01-02", "kase": str(made["id"])}
    assert "Kick-off" in web.post("/tasks", {**task, "back": back}).text
    note = web.post("/entries", {"kase": str(made["id"]), "content": "Started"})
    assert note.status_code == 200
    assert "Started" in note.text
    entries = web.account.get(f"/kases/{made['id']}/entries").json()["entries"]
    assert [e["content"] for e in entries] == ["Started"]


def test_new_project_for_a_party_and_its_opportunity(web):
    owner = party(web, "Buyer Ltd")
    milestone = web.account.get("/milestones").json()["milestones"][0]
    deal = web.account.post(
        "/opportunities",
        {"opportunity": {"name": "Deal", "party": owner["id"], "milestone": milestone["id"]}},
    ).json()["opportunity"]
    form = web.get(f"/projects/new?party={owner['id']}&opportunity={deal['id']}")
    assert form.status_code == 200
    assert f'<option value="{deal["id"]}" selected>Deal</option>' in form.text
    stage = next(iter(stages(web).values()))
    response = web.post(
        "/projects",
        {
            "party": str(owner["id"]),
            "name": "Install",
            "opportunity": str(deal["id"]),
            "stage": str(stage["id"]),
            "expectedCloseOn": "2031-01-31",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    kase_id = int(response.headers["location"].rsplit("/", 1)[1])
    shown = api(web, kase_id)
    assert (shown["name"], shown["opportunity"]["id"], shown["stage"]["id"]) == (
        "Install",
        deal["id"],
        stage["id"],
    )
    assert shown["expectedCloseOn"] == "2031-01-31"


def test_create_with_a_bad_date_shows_the_message_beside_it_and_changes_nothing(web):
    owner = party(web)
    response = web.post(
        "/projects", {"party": str(owner["id"]), "name": "Install", "startOn": "someday"}
    )
    assert response.status_code == 422
    assert 'id="f-startOn-error">startOn must be a date' in response.text
    assert 'value="Install"' in response.text
    assert web.account.get("/kases").json()["kases"] == []


def test_edit_records_history_via_web(web):
    made = project(web)
    assert 'value="Rollout"' in web.get(f"/projects/{made['id']}/edit").text
    response = web.post(
        f"/projects/{made['id']}/edit",
        {"name": "Roll-out", "description": "Phase one"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    shown = api(web, made["id"])
    assert (shown["name"], shown["description"]) == ("Roll-out", "Phase one")
    changes = web.account.get(f"/kases/{made['id']}/changes").json()["changes"]
    newest = {change["field"]: change["via"] for change in reversed(changes)}
    assert (newest["name"], newest["description"]) == ("web", "web")


def test_edit_without_a_name_changes_nothing(web):
    made = project(web)
    response = web.post(f"/projects/{made['id']}/edit", {"name": " ", "description": "x"})
    assert response.status_code == 422
    assert 'id="f-name-error">name is required' in response.text
    assert api(web, made["id"])["description"] is None


def test_delete_asks_then_deletes(web):
    made = project(web)
    assert "Delete Rollout?" in web.get(f"/projects/{made['id']}/delete").text
    response = web.post(f"/projects/{made['id']}/delete", follow_redirects=False)
    assert response.headers["location"] == f"/parties/{made['party']['id']}"
    assert web.account.get(f"/kases/{made['id']}").status_code == 404


@pytest.mark.parametrize("path", ["/close", "/delete", "/edit", "/fields"])
def test_post_without_csrf_token_is_403_and_changes_nothing(web, path):
    made = project(web)
    response = web.client.post(f"/projects/{made['id']}{path}", data={"name": "X"})
    assert response.status_code == 403
    shown = api(web, made["id"])
    assert (shown["name"], shown["status"]) == ("Rollout", "OPEN")
