"""Boards and stages: the columns projects move through."""

from tests.api.v2.checks import add_user, errors_of

TEMPLATE = ["Project Brief", "Planning", "Delivery", "Monitor", "Review"]


def test_an_account_starts_with_a_board_of_capsules_template_stages(account):
    boards = account.get("/boards").json()["boards"]
    assert [b["name"] for b in boards] == ["Projects"]
    assert list(boards[0]) == ["id", "name", "description", "createdAt", "updatedAt"]
    stages = account.get(f"/boards/{boards[0]['id']}/stages").json()["stages"]
    assert [s["name"] for s in stages] == TEMPLATE
    assert list(stages[0]) == [
        "id",
        "name",
        "description",
        "board",
        "displayOrder",
        "createdAt",
        "updatedAt",
    ]
    assert stages[0]["board"] == {"id": boards[0]["id"], "name": "Projects"}
    assert [s["displayOrder"] for s in stages] == [1, 2, 3, 4, 5]


def test_stages_need_an_active_board_and_go_to_its_end(account):
    board = account.post("/boards", {"board": {"name": "Events"}}).json()["board"]
    first = account.post("/stages", {"stage": {"name": "Booked", "board": board["id"]}}).json()[
        "stage"
    ]
    second = account.post(
        "/stages", {"stage": {"name": "Held", "board": {"id": board["id"]}}}
    ).json()["stage"]
    assert (first["displayOrder"], second["displayOrder"]) == (1, 2)
    account.put(f"/stages/{second['id']}", {"stage": {"displayOrder": 0}})
    names = [s["name"] for s in account.get(f"/boards/{board['id']}/stages").json()["stages"]]
    assert names == ["Held", "Booked"]
    assert (
        errors_of(account.post("/stages", {"stage": {"name": "X"}}))[0]["message"]
        == "board is required"
    )
    account.delete(f"/boards/{board['id']}")
    body = {"stage": {"name": "X", "board": board["id"]}}
    assert errors_of(account.post("/stages", body))[0]["message"] == "board not found"


def test_board_status_filters_active_archived_nonempty_and_all(account):
    default = account.get("/boards").json()["boards"][0]
    spare = account.post("/boards", {"board": {"name": "Spare"}}).json()["board"]
    old = account.post("/boards", {"board": {"name": "Old"}}).json()["board"]
    account.delete(f"/boards/{old['id']}")

    def names(query: str) -> list[str]:
        return [b["name"] for b in account.get(f"/boards{query}").json()["boards"]]

    assert names("") == ["Projects", "Spare"]
    assert names("?status=archived") == ["Old"]
    assert names("?status=all") == ["Projects", "Spare", "Old"]
    assert names("?status=nonempty") == []
    stage = account.get(f"/boards/{default['id']}/stages").json()["stages"][0]
    party = account.post("/parties", {"party": {"type": "person", "lastName": "P"}}).json()["party"]
    account.post("/kases", {"kase": {"name": "K", "party": party["id"], "stage": stage["id"]}})
    assert names("?status=nonempty") == ["Projects"]
    assert names("?q=spa") == ["Spare"]
    restored = account.post(f"/boards/{old['id']}/restore", None).json()["board"]
    assert restored["name"] == "Old" and names("") == ["Projects", "Spare", "Old"]
    assert spare["id"] != old["id"]


def test_a_stage_with_open_projects_cannot_be_deleted_and_a_deleted_one_stays_on_closed_ones(
    account,
):
    stage = account.get("/stages").json()["stages"][1]
    party = account.post("/parties", {"party": {"type": "person", "lastName": "P"}}).json()["party"]
    kase = account.post(
        "/kases", {"kase": {"name": "K", "party": party["id"], "stage": stage["id"]}}
    ).json()["kase"]
    assert (
        errors_of(account.delete(f"/stages/{stage['id']}"))[0]["message"]
        == "stage has open projects"
    )
    account.put(f"/kases/{kase['id']}", {"kase": {"status": "CLOSED"}})
    assert account.delete(f"/stages/{stage['id']}").status_code == 204
    assert stage["id"] not in [s["id"] for s in account.get("/stages").json()["stages"]]
    archived = account.get("/stages?status=archived").json()["stages"]
    assert [s["id"] for s in archived] == [stage["id"]]
    assert account.get(f"/kases/{kase['id']}").json()["kase"]["stage"]["id"] == stage["id"]
    moved = account.put(f"/kases/{kase['id']}", {"kase": {"stage": stage["id"]}})
    assert errors_of(moved)[0]["message"] == "stage not found"


def test_stages_of_archived_boards_are_listed_only_when_asked(account):
    board = account.post("/boards", {"board": {"name": "Gone"}}).json()["board"]
    account.post("/stages", {"stage": {"name": "Lonely", "board": board["id"]}})
    account.delete(f"/boards/{board['id']}")
    assert "Lonely" not in [s["name"] for s in account.get("/stages").json()["stages"]]
    listed = account.get("/stages?includeOnDeletedBoard=true").json()["stages"]
    assert "Lonely" in [s["name"] for s in listed]


def test_an_account_has_at_most_thirty_active_boards(account):
    for n in range(29):
        assert account.post("/boards", {"board": {"name": f"B{n}"}}).status_code == 201
    response = account.post("/boards", {"board": {"name": "One too many"}})
    assert errors_of(response)[0]["message"] == "an account has at most 30 active boards"


def test_only_administrators_change_boards_and_stages(account, engine):
    _, headers = add_user(engine, account, "Pat Plain", "pat")
    for path, body in (
        ("/boards", {"board": {"name": "Mine"}}),
        ("/stages", {"stage": {"name": "Mine"}}),
    ):
        response = account.post(path, body, headers=headers)
        assert (response.status_code, response.json()) == (
            403,
            {"message": "Requires additional scope"},
        )
        assert account.get(path, headers=headers).status_code == 200
