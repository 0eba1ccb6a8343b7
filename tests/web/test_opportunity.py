"""/opportunities/{id}: the record page, what is changed from it (tags, fields, tasks, notes,
won and lost) and its forms (new, edit, delete)."""

import pytest

from pillbox.store import field_definitions, pipelines


def party(web, name="Acme Ltd"):
    response = web.account.post("/parties", {"party": {"type": "organisation", "name": name}})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def milestones(web):
    return {m["name"]: m for m in web.account.get("/milestones").json()["milestones"]}


def deal(web, name="Big deal", **extra):
    body = {
        "name": name,
        "party": {"id": party(web)["id"]},
        "milestone": {"id": milestones(web)["New"]["id"]},
        **extra,
    }
    response = web.account.post("/opportunities", {"opportunity": body})
    assert response.status_code == 201, response.text
    return response.json()["opportunity"]


def api(web, deal_id, embed=""):
    return web.account.get(f"/opportunities/{deal_id}?embed={embed}").json()["opportunity"]


def lost_reason(engine, web, name="Too expensive"):
    with engine.begin() as conn:
        return pipelines.create_lost_reason(conn, web.account.id, name, False)


def test_show_opportunity_has_value_milestone_dates_and_party(web):
    made = deal(
        web,
        description="Forty seats",
        value={"amount": 1200, "currency": "GBP"},
        expectedCloseOn="2030-05-01",
    )
    page = web.get(f"/opportunities/{made['id']}")
    assert page.status_code == 200
    assert "<h1>Big deal</h1>" in page.text
    assert "1200 GBP" in page.text
    assert 'New · <a href="/pipelines/' in page.text
    assert "<dd>10%</dd>" in page.text
    assert "2030-05-01" in page.text
    assert f'<a href="/parties/{made["party"]["id"]}">Acme Ltd</a>' in page.text
    assert "Forty seats" in page.text


def test_show_opportunity_lists_additional_parties_and_projects(web):
    made = deal(web)
    other = party(web, "Partner Co")
    response = web.account.post(f"/opportunities/{made['id']}/parties/{other['id']}", None)
    assert response.status_code < 300, response.text
    kase = {"name": "Rollout", "party": {"id": made["party"]["id"]}, "opportunity": made["id"]}
    created = web.account.post("/kases", {"kase": kase}).json()["kase"]
    page = web.get(f"/opportunities/{made['id']}").text
    assert f'<a href="/parties/{other["id"]}">Partner Co</a>' in page
    assert f'<a href="/projects/{created["id"]}">Rollout</a>' in page


@pytest.mark.parametrize("path", ["/opportunities/999999", "/opportunities/abc"])
def test_show_missing_opportunity_is_404_page(web, path):
    response = web.get(path)
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text


def test_opportunity_of_other_account_is_the_same_404(web, other_web):
    theirs = deal(other_web, "Secret deal")
    missing = web.get("/opportunities/999999")
    for path in ("", "/edit", "/delete"):
        response = web.get(f"/opportunities/{theirs['id']}{path}")
        assert response.status_code == 404
        assert response.text == missing.text
    assert web.post(f"/opportunities/{theirs['id']}/won").status_code == 404
    assert web.post(f"/opportunities/{theirs['id']}/tags", {"name": "X"}).status_code == 404
    assert web.post(f"/opportunities/{theirs['id']}/delete").status_code == 404
    assert api(other_web, theirs["id"])["milestone"]["name"] == "New"


def test_add_and_remove_tag(web):
    made = deal(web)
    assert web.post(f"/opportunities/{made['id']}/tags", {"name": "Hot"}).status_code == 200
    tags = api(web, made["id"], "tags")["tags"]
    assert [t["name"] for t in tags] == ["Hot"]
    page = web.post(f"/opportunities/{made['id']}/tags/{tags[0]['id']}/remove")
    assert page.status_code == 200
    assert '<span class="tag">Hot</span>' not in page.text
    assert api(web, made["id"], "tags")["tags"] == []


def test_save_fields_and_a_bad_number_is_shown_beside_its_field(engine, web):
    with engine.begin() as conn:
        seats = field_definitions.create_definition(
            conn, web.account.id, "opportunities", name="Seats", type="number"
        )
        region = field_definitions.create_definition(
            conn, web.account.id, "opportunities", name="Region", type="list", options=["N", "S"]
        )
    made = deal(web)
    refused = web.post(f"/opportunities/{made['id']}/fields", {f"field-{seats}": "many"})
    assert refused.status_code == 422
    assert f'id="field-{seats}-error">invalid type for field' in refused.text
    assert api(web, made["id"], "fields")["fields"] == []
    form = {f"field-{seats}": "40", f"field-{region}": "S"}
    assert web.post(f"/opportunities/{made['id']}/fields", form).status_code == 200
    values = {f["definition"]["name"]: f["value"] for f in api(web, made["id"], "fields")["fields"]}
    assert values == {"Seats": "40", "Region": "S"}


def test_add_task_and_note_on_the_opportunity(web):
    made = deal(web)
    back = f"/opportunities/{made['id']}"
    task = {"description": "Send quote", "dueOn": "2030-01-02", "opportunity": str(made["id"])}
    page = web.post("/tasks", {**task, "back": back})
    assert page.status_code == 200
    assert "Send quote" in page.text
    tasks = web.account.get("/tasks").json()["tasks"]
    assert [(t["description"], t["opportunity"]["id"]) for t in tasks] == [
        ("Send quote", made["id"])
    ]
    note = web.post(
        "/entries",
        {"opportunity": str(made["id"]), "content": "They liked the demo"},
        files={"attachment": ("quote.txt", b"quote", "text/plain")},
    )
    assert note.status_code == 200
    assert "They liked the demo" in note.text
    assert ">quote.txt</a>" in note.text
    entries = web.account.get(f"/opportunities/{made['id']}/entries").json()["entries"]
    assert [e["content"] for e in entries] == ["They liked the demo"]


def test_mark_won_moves_it_to_the_won_milestone(web):
    made = deal(web)
    response = web.post(f"/opportunities/{made['id']}/won", follow_redirects=False)
    assert response.status_code == 303
    shown = api(web, made["id"])
    assert (shown["milestone"]["name"], shown["probability"]) == ("Won", 100)
    assert shown["closedOn"] is not None
    assert "Opportunity · Won" in web.get(f"/opportunities/{made['id']}").text


def test_mark_lost_asks_for_the_reason_when_the_account_has_any(engine, web):
    reason = lost_reason(engine, web)
    made = deal(web)
    page = web.get(f"/opportunities/{made['id']}").text
    assert '<label for="lost-reason">Lost reason</label>' in page
    refused = web.post(f"/opportunities/{made['id']}/lost", {"lostReason": ""})
    assert refused.status_code == 422
    assert 'id="lost-reason-error">lost reason is required' in refused.text
    assert api(web, made["id"])["milestone"]["name"] == "New"
    web.post(f"/opportunities/{made['id']}/lost", {"lostReason": str(reason)})
    shown = api(web, made["id"])
    assert (shown["milestone"]["name"], shown["lostReason"]["name"]) == ("Lost", "Too expensive")


def test_mark_lost_without_reasons_in_the_account(web):
    made = deal(web)
    assert "lost-reason" not in web.get(f"/opportunities/{made['id']}").text
    web.post(f"/opportunities/{made['id']}/lost")
    shown = api(web, made["id"])
    assert (shown["milestone"]["name"], shown["lostReason"]) == ("Lost", None)


def test_mark_lost_with_another_accounts_reason_is_refused(engine, web, other_web):
    lost_reason(engine, web)
    theirs = lost_reason(engine, other_web, "Theirs")
    made = deal(web)
    refused = web.post(f"/opportunities/{made['id']}/lost", {"lostReason": str(theirs)})
    assert refused.status_code == 422
    assert "lost reason not found" in refused.text
    assert api(web, made["id"])["milestone"]["name"] == "New"


def test_new_opportunity_for_a_party(web):
    owner = party(web, "Buyer Ltd")
    form = web.get(f"/opportunities/new?party={owner['id']}")
    assert form.status_code == 200
    assert "Buyer Ltd" in form.text
    won = milestones(web)["Bid"]
    response = web.post(
        "/opportunities",
        {
            "party": str(owner["id"]),
            "name": "Renewal",
            "milestone": str(won["id"]),
            "amount": "99.50",
            "currency": "eur",
            "expectedCloseOn": "2031-01-31",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    created = web.get(response.headers["location"])
    assert "<h1>Renewal</h1>" in created.text
    deal_id = int(response.headers["location"].rsplit("/", 1)[1])
    shown = api(web, deal_id)
    assert shown["value"] == {"amount": 99.5, "currency": "EUR"}
    assert (shown["party"]["id"], shown["probability"]) == (owner["id"], 50)


def test_new_opportunity_for_a_missing_party_is_404(web, other_web):
    theirs = party(other_web, "Theirs")
    assert web.get(f"/opportunities/new?party={theirs['id']}").status_code == 404
    assert web.get("/opportunities/new").status_code == 404


def test_create_without_a_name_shows_the_message_beside_it(web):
    owner = party(web)
    response = web.post(
        "/opportunities",
        {"party": str(owner["id"]), "name": "", "milestone": str(milestones(web)["New"]["id"])},
    )
    assert response.status_code == 422
    assert 'id="f-name-error">name is required' in response.text
    assert web.account.get("/opportunities").json()["opportunities"] == []


def test_edit_records_history_via_web_and_keeps_probability_following_milestone(web):
    made = deal(web)
    form = web.get(f"/opportunities/{made['id']}/edit")
    assert 'value="Big deal"' in form.text
    response = web.post(
        f"/opportunities/{made['id']}/edit",
        {
            "name": "Bigger deal",
            "milestone": str(milestones(web)["Bid"]["id"]),
            "probability": "10",  # as the form showed it: not changed by hand
            "amount": "",
            "currency": "",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    shown = api(web, made["id"])
    assert (shown["name"], shown["milestone"]["name"], shown["probability"]) == (
        "Bigger deal",
        "Bid",
        50,
    )
    changes = web.account.get(f"/opportunities/{made['id']}/changes").json()["changes"]
    newest = {change["field"]: change["via"] for change in reversed(changes)}
    assert (newest["name"], newest["milestone"]) == ("web", "web")


def test_edit_sets_a_probability_of_zero_typed_by_hand(web):
    made = deal(web)
    response = web.post(
        f"/opportunities/{made['id']}/edit",
        {
            "name": "Big deal",
            "milestone": str(milestones(web)["Bid"]["id"]),
            "probability": "0",
            "amount": "",
            "currency": "",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert api(web, made["id"])["probability"] == 0


def test_edit_fires_the_same_webhook_as_the_api(web):
    hook = web.account.post(
        "/resthooks",
        {"restHook": {"event": "opportunity/updated", "targetUrl": "https://hooks.example/in"}},
    )
    assert hook.status_code == 201, hook.text
    made = deal(web)
    web.post(
        f"/opportunities/{made['id']}/edit",
        {"name": "Renamed", "milestone": str(made["milestone"]["id"])},
    )
    deliveries = web.account.get(f"/resthooks/{hook.json()['restHook']['id']}/deliveries")
    assert [d["recordId"] for d in deliveries.json()["deliveries"]] == [made["id"]]


def test_edit_with_an_amount_but_no_currency_changes_nothing(web):
    made = deal(web, value={"amount": 5, "currency": "GBP"})
    response = web.post(
        f"/opportunities/{made['id']}/edit",
        {"name": "Changed", "milestone": str(made["milestone"]["id"]), "amount": "7"},
    )
    assert response.status_code == 422
    assert 'id="f-currency-error">currency is required' in response.text
    assert 'value="Changed"' in response.text  # what was typed is kept
    shown = api(web, made["id"])
    assert (shown["name"], shown["value"]["amount"]) == ("Big deal", 5)


def test_delete_asks_then_deletes(web):
    made = deal(web)
    ask = web.get(f"/opportunities/{made['id']}/delete")
    assert ask.status_code == 200
    assert "Delete Big deal?" in ask.text
    response = web.post(f"/opportunities/{made['id']}/delete", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/parties/{made['party']['id']}"
    assert web.account.get(f"/opportunities/{made['id']}").status_code == 404


@pytest.mark.parametrize("path", ["/won", "/lost", "/delete", "/edit", "/tags"])
def test_post_without_csrf_token_is_403_and_changes_nothing(web, path):
    made = deal(web)
    response = web.client.post(f"/opportunities/{made['id']}{path}", data={"name": "X"})
    assert response.status_code == 403
    shown = api(web, made["id"], "tags")
    assert (shown["name"], shown["milestone"]["name"], shown["tags"]) == ("Big deal", "New", [])


def test_mark_won_in_a_pipeline_without_a_won_milestone_is_refused(engine, web):
    with engine.begin() as conn:
        pipeline = pipelines.create_pipeline_with(
            conn, web.account.id, "Open-ended", (("Talking", None, 20, False, None),)
        )
        (talking,) = pipelines.milestones_of(conn, pipeline)
    made = deal(web, milestone={"id": talking.id})
    refused = web.post(f"/opportunities/{made['id']}/won")
    assert refused.status_code == 422
    assert "the pipeline has no won milestone" in refused.text
    assert api(web, made["id"])["milestone"]["name"] == "Talking"
