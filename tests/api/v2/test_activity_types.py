"""Activity types (/activitytypes): Capsule's built-in ones and an account's own."""

from tests.api.v2.checks import add_user, errors_of


def test_every_account_lists_capsules_built_in_types_first(account):
    listed = account.get("/activitytypes").json()["activityTypes"]
    assert [(t["id"], t["name"]) for t in listed] == [
        (-1, "Note"),
        (-2, "Meeting"),
        (-3, "Call"),
        (-4, "Task completed"),
        (-5, "Email sent"),
    ]
    assert list(listed[0]) == ["id", "name", "icon", "updateLastContacted"]
    assert listed[2]["icon"] == {
        "order": 3,
        "id": "PHONE",
        "displayName": "Call",
        "iconName": "phone",
        "isSystem": True,
    }
    assert account.get("/activitytypes/-4").json()["activityType"]["name"] == "Task completed"


def test_an_accounts_own_types_follow_the_built_in_ones(account, other_account):
    created = account.post(
        "/activitytypes",
        {
            "activityType": {
                "name": "Site visit",
                "icon": {"id": "travel"},
                "updateLastContacted": True,
            }
        },
    )
    assert created.status_code == 201
    own = created.json()["activityType"]
    assert (own["icon"]["id"], own["updateLastContacted"]) == ("TRAVEL", True)
    assert created.headers["Location"].endswith(f"/api/v2/activitytypes/{own['id']}")
    listed = account.get("/activitytypes?perPage=3&page=2").json()["activityTypes"]
    assert [t["id"] for t in listed] == [-4, -5, own["id"]]
    assert own["id"] not in [
        t["id"] for t in other_account.get("/activitytypes").json()["activityTypes"]
    ]


def test_name_is_required_and_the_icon_must_be_known(account):
    assert (
        errors_of(account.post("/activitytypes", {"activityType": {"icon": {"id": "NOTE"}}}))[0][
            "field"
        ]
        == "name"
    )
    bad = account.post("/activitytypes", {"activityType": {"name": "X", "icon": {"id": "UNICORN"}}})
    assert errors_of(bad)[0] == {
        "message": "icon is invalid",
        "resource": "activityType",
        "field": "icon.id",
    }
    default = account.post("/activitytypes", {"activityType": {"name": "Plain"}}).json()[
        "activityType"
    ]
    assert (default["icon"]["id"], default["updateLastContacted"]) == ("NOTE", False)


def test_built_in_types_cannot_change_or_go(account):
    for response in (
        account.put("/activitytypes/-1", {"activityType": {"name": "Memo"}}),
        account.delete("/activitytypes/-2"),
    ):
        assert errors_of(response)[0]["message"] == "built-in activity types cannot change"
    assert account.get("/activitytypes/-6").status_code == 404
    assert account.get("/activitytypes/0").status_code == 404


def test_only_administrators_manage_activity_types(account, engine):
    _, headers = add_user(engine, account, "Ned Normal", "ned")
    response = account.post("/activitytypes", {"activityType": {"name": "Mine"}}, headers=headers)
    assert (response.status_code, response.json()) == (
        403,
        {"message": "Requires additional scope"},
    )
    assert account.delete("/activitytypes/-1", headers=headers).status_code == 403
    assert account.get("/activitytypes", headers=headers).status_code == 200


def test_negative_ids_stay_not_found_everywhere_else(account):
    assert account.get("/parties/-1").status_code == 404
    assert account.get("/parties/-1,2").status_code == 404
    assert account.delete("/tags/-1").status_code == 404
