"""/settings/task-categories and /settings/activity-types."""


def test_add_recolour_and_delete_a_task_category(web):
    web.post("/settings/items/task-categories", {"name": "Calls", "colour": "#D36C00"})
    category = next(
        c for c in web.account.get("/categories").json()["categories"] if c["name"] == "Calls"
    )
    assert category["colour"] == "#d36c00"
    web.post(
        f"/settings/items/task-categories/{category['id']}", {"name": "Calls", "colour": "#00aa00"}
    )
    changed = web.account.get(f"/categories/{category['id']}").json()["category"]
    assert changed["colour"] == "#00aa00"
    assert 'value="#00aa00"' in web.get("/settings/task-categories").text
    web.post(f"/settings/items/task-categories/{category['id']}/delete")
    assert web.account.get(f"/categories/{category['id']}").status_code == 404


def test_a_colour_that_is_not_one_is_refused(web):
    response = web.post("/settings/items/task-categories", {"name": "Odd", "colour": "red"})
    assert response.status_code == 422
    assert 'id="task-categories-new-colour-error">colour must be like #d36c00' in response.text
    names = [c["name"] for c in web.account.get("/categories").json()["categories"]]
    assert "Odd" not in names


def test_add_change_and_delete_an_activity_type(web):
    web.post(
        "/settings/items/activity-types",
        {"name": "Site visit", "icon": "TRAVEL", "updateLastContacted": "on"},
    )
    found = web.account.get("/activitytypes").json()["activityTypes"]
    visit = next(t for t in found if t["name"] == "Site visit")
    assert visit["updateLastContacted"] is True
    web.post(f"/settings/items/activity-types/{visit['id']}", {"name": "Visit", "icon": "COFFEE"})
    changed = web.account.get(f"/activitytypes/{visit['id']}").json()["activityType"]
    assert (changed["name"], changed["updateLastContacted"]) == ("Visit", False)
    web.post(f"/settings/items/activity-types/{visit['id']}/delete")
    assert web.account.get(f"/activitytypes/{visit['id']}").status_code == 404


def test_built_in_activity_types_are_shown_but_cannot_change(web):
    page = web.get("/settings/activity-types").text
    assert "Meeting" in page and "built in" in page
    assert 'action="/settings/items/activity-types/-2"' not in page
    assert web.get("/settings/items/activity-types/2/delete").status_code == 404


def test_activity_type_with_an_unknown_icon_is_refused(web):
    response = web.post("/settings/items/activity-types", {"name": "X", "icon": "ROCKET"})
    assert response.status_code == 422
    assert "icon is invalid" in response.text


def test_another_accounts_category_is_the_404_page(web, other_web):
    other_web.post("/settings/items/task-categories", {"name": "Theirs", "colour": "#111111"})
    theirs = next(
        c
        for c in other_web.account.get("/categories").json()["categories"]
        if c["name"] == "Theirs"
    )
    assert (
        web.post(f"/settings/items/task-categories/{theirs['id']}", {"name": "M"}).status_code
        == 404
    )
    assert web.post(f"/settings/items/task-categories/{theirs['id']}/delete").status_code == 404
