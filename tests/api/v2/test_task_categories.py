"""Task categories (/categories): a name and a colour."""

from tests.api.v2.checks import add_user, errors_of


def test_category_has_a_name_and_a_colour(account):
    created = account.post("/categories", {"category": {"name": "Billing", "colour": "#D36C00"}})
    assert created.status_code == 201
    category = created.json()["category"]
    assert category == {"id": category["id"], "name": "Billing", "colour": "#d36c00"}
    assert created.headers["Location"].endswith(f"/api/v2/categories/{category['id']}")
    assert account.get("/categories").json() == {"categories": [category]}


def test_name_is_required_and_colour_is_a_hex_colour(account):
    assert errors_of(account.post("/categories", {"category": {"colour": "#000000"}}))[0] == {
        "message": "name is required",
        "resource": "category",
        "field": "name",
    }
    for colour in ("red", "#12345", "#1234567", "#GGGGGG"):
        response = account.post("/categories", {"category": {"name": "X", "colour": colour}})
        assert errors_of(response)[0]["field"] == "colour"
    plain = account.post("/categories", {"category": {"name": "Plain"}}).json()["category"]
    assert plain["colour"] is None


def test_only_administrators_manage_categories(account, engine):
    _, headers = add_user(engine, account, "Val Viewer", "val")
    response = account.post("/categories", {"category": {"name": "Mine"}}, headers=headers)
    assert (response.status_code, response.json()) == (
        403,
        {"message": "Requires additional scope"},
    )
    assert account.get("/categories", headers=headers).status_code == 200
