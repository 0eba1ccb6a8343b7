"""/settings/pipelines, /settings/lost-reasons and /settings/boards: what opportunities and
projects move through."""


def _milestones(web, pipeline_id: int) -> list[dict]:
    return web.account.get(f"/pipelines/{pipeline_id}/milestones").json()["milestones"]


def test_add_a_pipeline_with_milestones_in_order(web):
    assert web.post("/settings/items/pipelines", {"name": "Renewals"}).status_code == 200
    pipeline = next(
        p for p in web.account.get("/pipelines").json()["pipelines"] if p["name"] == "Renewals"
    )
    for name, probability, order in (("Won back", "100", "2"), ("Asked", "20", "1")):
        body = {"pipeline": str(pipeline["id"]), "name": name, "probability": probability}
        body["displayOrder"] = order
        if name == "Won back":
            body["complete"] = "on"
        assert web.post("/settings/items/milestones", body).status_code == 200
    found = _milestones(web, pipeline["id"])
    assert [(m["name"], m["probability"], m["complete"]) for m in found] == [
        ("Asked", 20, False),
        ("Won back", 100, True),
    ]
    page = web.get("/settings/pipelines").text
    assert page.index("Asked") < page.index("Won back")


def test_change_a_milestones_probability_and_order(web):
    milestone = web.account.get("/milestones").json()["milestones"][0]
    response = web.post(
        f"/settings/items/milestones/{milestone['id']}",
        {"name": milestone["name"], "probability": "35", "displayOrder": "7"},
    )
    assert response.status_code == 200
    changed = web.account.get(f"/milestones/{milestone['id']}").json()["milestone"]
    assert changed["probability"] == 35


def test_probability_over_100_is_refused_beside_the_field(web):
    milestone = web.account.get("/milestones").json()["milestones"][0]
    response = web.post(
        f"/settings/items/milestones/{milestone['id']}",
        {"name": milestone["name"], "probability": "140"},
    )
    assert response.status_code == 422
    assert f'id="milestones-{milestone["id"]}-probability-error"' in response.text
    again = web.account.get(f"/milestones/{milestone['id']}").json()["milestone"]
    assert again["probability"] == milestone["probability"]


def test_a_milestone_in_use_cannot_be_deleted(web):
    milestone = web.account.get("/milestones").json()["milestones"][0]
    party = web.account.post("/parties", {"party": {"type": "organisation", "name": "Co"}})
    web.account.post(
        "/opportunities",
        {
            "opportunity": {
                "name": "Deal",
                "party": party.json()["party"]["id"],
                "milestone": milestone["id"],
            }
        },
    )
    response = web.post(f"/settings/items/milestones/{milestone['id']}/delete")
    assert response.status_code == 422
    assert "milestone is in use" in response.text
    assert web.account.get(f"/milestones/{milestone['id']}").status_code == 200


def test_rename_and_archive_a_pipeline(web):
    web.post("/settings/items/pipelines", {"name": "Old"})
    pipeline = next(
        p for p in web.account.get("/pipelines").json()["pipelines"] if p["name"] == "Old"
    )
    web.post(f"/settings/items/pipelines/{pipeline['id']}", {"name": "Older"})
    assert web.account.get(f"/pipelines/{pipeline['id']}").json()["pipeline"]["name"] == "Older"
    assert (
        "Archive pipeline “Older”?"
        in web.get(f"/settings/items/pipelines/{pipeline['id']}/delete").text
    )
    assert web.post(f"/settings/items/pipelines/{pipeline['id']}/delete").status_code == 200
    names = [p["name"] for p in web.account.get("/pipelines").json()["pipelines"]]
    assert "Older" not in names
    assert "Older" not in web.get("/settings/pipelines").text


def test_another_accounts_milestone_is_the_404_page(web, other_web):
    theirs = other_web.account.get("/milestones").json()["milestones"][0]
    assert web.post(f"/settings/items/milestones/{theirs['id']}", {"name": "X"}).status_code == 404
    assert web.post(f"/settings/items/milestones/{theirs['id']}/delete").status_code == 404


def test_add_change_and_delete_a_lost_reason(web):
    web.post("/settings/items/lost-reasons", {"name": "Too dear", "includedForConversion": "on"})
    reason = web.account.get("/lostreasons").json()["lostReasons"][-1]
    assert (reason["name"], reason["includedForConversion"]) == ("Too dear", True)
    web.post(f"/settings/items/lost-reasons/{reason['id']}", {"name": "Price"})
    changed = web.account.get(f"/lostreasons/{reason['id']}").json()["lostReason"]
    assert (changed["name"], changed["includedForConversion"]) == ("Price", False)
    web.post(f"/settings/items/lost-reasons/{reason['id']}/delete")
    assert "Price" not in web.get("/settings/lost-reasons").text


def test_add_a_board_with_stages_and_archive_it(web):
    web.post("/settings/items/boards", {"name": "Onsite work"})
    board = next(
        b for b in web.account.get("/boards").json()["boards"] if b["name"] == "Onsite work"
    )
    for name, order in (("Done", "2"), ("Doing", "1")):
        body = {"board": str(board["id"]), "name": name, "displayOrder": order}
        assert web.post("/settings/items/stages", body).status_code == 200
    stages = web.account.get(f"/boards/{board['id']}/stages").json()["stages"]
    assert [s["name"] for s in stages] == ["Doing", "Done"]
    web.post(f"/settings/items/stages/{stages[1]['id']}", {"name": "Finished", "displayOrder": "0"})
    stages = web.account.get(f"/boards/{board['id']}/stages").json()["stages"]
    assert [s["name"] for s in stages] == ["Finished", "Doing"]
    web.post(f"/settings/items/stages/{stages[0]['id']}/delete")
    assert [
        s["name"] for s in web.account.get(f"/boards/{board['id']}/stages").json()["stages"]
    ] == ["Doing"]
    web.post(f"/settings/items/boards/{board['id']}/delete")
    assert "Onsite work" not in web.get("/settings/boards").text


def test_stage_without_a_board_is_refused(web):
    response = web.post("/settings/items/stages", {"name": "Loose"})
    assert response.status_code == 422
    assert "board is required" in response.text
