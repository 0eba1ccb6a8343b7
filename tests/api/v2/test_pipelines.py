"""Pipelines, milestones and lost reasons: the settings opportunities move through."""

import secrets

from pillbox.domain.users import create_user
from pillbox.store import accounts as accounts_store
from tests.api.v2.checks import errors_of


def test_an_account_starts_with_capsules_default_pipeline(account):
    pipelines = account.get("/pipelines").json()["pipelines"]
    assert [p["name"] for p in pipelines] == ["Pipeline"]
    milestones = account.get("/milestones").json()["milestones"]
    assert [(m["name"], m["probability"], m["complete"]) for m in milestones] == [
        ("New", 10, False),
        ("Bid", 50, False),
        ("Won", 100, True),
        ("Lost", 0, True),
    ]
    assert list(milestones[0]) == [
        "id",
        "name",
        "description",
        "complete",
        "probability",
        "daysUntilStale",
        "createdAt",
        "updatedAt",
        "pipeline",
    ]
    assert milestones[0]["description"] == "You have a potential buyer for your offering"
    assert milestones[0]["daysUntilStale"] == 12
    assert milestones[0]["pipeline"] == {"id": pipelines[0]["id"], "name": "Pipeline"}


def test_milestones_lists_the_oldest_active_pipeline_and_all_lists_every_one(account):
    pipeline = account.post("/pipelines", {"pipeline": {"name": "Renewals"}}).json()["pipeline"]
    body = {"name": "Due", "probability": 60, "pipeline": {"id": pipeline["id"]}}
    due = account.post("/milestones", {"milestone": body}).json()["milestone"]
    assert due["pipeline"] == {"id": pipeline["id"], "name": "Renewals"}
    assert "Due" not in [m["name"] for m in account.get("/milestones").json()["milestones"]]
    every = account.get("/milestones/all").json()["milestones"]
    assert [m["name"] for m in every][-1] == "Due" and len(every) == 5
    own = account.get(f"/pipelines/{pipeline['id']}/milestones").json()["milestones"]
    assert own == [due]
    assert account.get("/pipelines/987654/milestones").status_code == 404


def test_new_milestones_go_to_the_oldest_active_pipeline_at_its_end(account):
    created = account.post("/milestones", {"milestone": {"name": "Negotiation", "probability": 75}})
    milestone = created.json()["milestone"]
    assert milestone["pipeline"]["name"] == "Pipeline"
    assert account.get("/milestones").json()["milestones"][-1]["name"] == "Negotiation"
    moved = account.put(f"/milestones/{milestone['id']}", {"milestone": {"displayOrder": 0}})
    assert moved.status_code == 200
    assert account.get("/milestones").json()["milestones"][0]["name"] == "Negotiation"


def test_milestone_name_is_required_and_its_pipeline_must_be_active(account):
    assert (
        errors_of(account.post("/milestones", {"milestone": {"probability": 5}}))[0]["field"]
        == "name"
    )
    pipeline = account.post("/pipelines", {"pipeline": {"name": "Old"}}).json()["pipeline"]
    account.delete(f"/pipelines/{pipeline['id']}")
    body = {"name": "X", "pipeline": pipeline["id"]}
    assert (
        errors_of(account.post("/milestones", {"milestone": body}))[0]["message"]
        == "pipeline not found"
    )


def test_deleting_a_pipeline_archives_it_and_restore_brings_it_back(account):
    pipeline = account.post("/pipelines", {"pipeline": {"name": "Seasonal"}}).json()["pipeline"]
    assert account.delete(f"/pipelines/{pipeline['id']}").status_code == 204
    assert [p["name"] for p in account.get("/pipelines").json()["pipelines"]] == ["Pipeline"]
    archived = account.get("/pipelines?includeDeleted=true").json()["pipelines"]
    assert [p["name"] for p in archived] == ["Pipeline", "Seasonal"]
    assert account.get(f"/pipelines/{pipeline['id']}").status_code == 200
    restored = account.post(f"/pipelines/{pipeline['id']}/restore", None)
    assert (restored.status_code, restored.json()["pipeline"]["name"]) == (200, "Seasonal")
    assert len(account.get("/pipelines").json()["pipelines"]) == 2


def test_duplicating_a_pipeline_copies_its_milestones(account):
    original = account.get("/pipelines").json()["pipelines"][0]
    response = account.post(f"/pipelines/{original['id']}/duplicate", None)
    assert response.status_code == 201
    copy = response.json()["pipeline"]
    assert response.headers["Location"].endswith(f"/api/v2/pipelines/{copy['id']}")
    assert copy["name"] == "Pipeline (copy)"
    names = [
        m["name"] for m in account.get(f"/pipelines/{copy['id']}/milestones").json()["milestones"]
    ]
    assert names == ["New", "Bid", "Won", "Lost"]


def test_pipelines_and_lost_reasons_filter_by_name(account):
    account.post("/pipelines", {"pipeline": {"name": "Enterprise sales"}})
    assert [p["name"] for p in account.get("/pipelines?q=ENTER").json()["pipelines"]] == [
        "Enterprise sales"
    ]
    for name in ("Price", "Timing", "Went with a competitor"):
        account.post("/lostreasons", {"lostReason": {"name": name}})
    found = account.get("/lostreasons?q=tim").json()["lostReasons"]
    assert [r["name"] for r in found] == ["Timing"]


def test_an_account_has_at_most_thirty_active_pipelines(account):
    for n in range(29):
        assert account.post("/pipelines", {"pipeline": {"name": f"P{n}"}}).status_code == 201
    response = account.post("/pipelines", {"pipeline": {"name": "One too many"}})
    assert errors_of(response)[0]["message"] == "an account has at most 30 active pipelines"


def test_closing_flag_of_a_milestone_in_use_cannot_change(account):
    bid = next(m for m in account.get("/milestones").json()["milestones"] if m["name"] == "Bid")
    party = account.post("/parties", {"party": {"type": "person", "lastName": "P"}}).json()["party"]
    body = {"name": "Deal", "party": party["id"], "milestone": bid["id"]}
    account.post("/opportunities", {"opportunity": body})
    response = account.put(f"/milestones/{bid['id']}", {"milestone": {"complete": True}})
    assert errors_of(response)[0]["field"] == "complete"
    renamed = account.put(
        f"/milestones/{bid['id']}", {"milestone": {"name": "Proposal", "probability": 60}}
    )
    assert renamed.json()["milestone"]["name"] == "Proposal"
    opportunity = account.get("/opportunities").json()["opportunities"][0]
    assert (opportunity["milestone"]["name"], opportunity["probability"]) == ("Proposal", 50)


def test_lost_reason_shape_and_soft_delete(account):
    reason = account.post(
        "/lostreasons", {"lostReason": {"name": "Budget", "includedForConversion": True}}
    )
    assert reason.status_code == 201
    created = reason.json()["lostReason"]
    assert list(created) == ["id", "name", "includedForConversion", "createdAt", "updatedAt"]
    assert created["includedForConversion"] is True
    assert reason.headers["Location"].endswith(f"/api/v2/lostreasons/{created['id']}")
    milestones = {m["name"]: m for m in account.get("/milestones").json()["milestones"]}
    party = account.post("/parties", {"party": {"type": "person", "lastName": "P"}}).json()["party"]
    body = {
        "name": "Deal",
        "party": party["id"],
        "milestone": milestones["Lost"]["id"],
        "lostReason": created["id"],
    }
    opportunity = account.post("/opportunities", {"opportunity": body}).json()["opportunity"]
    assert account.delete(f"/lostreasons/{created['id']}").status_code == 204
    assert account.get("/lostreasons").json() == {"lostReasons": []}
    shown = account.get(f"/opportunities/{opportunity['id']}").json()["opportunity"]
    assert shown["lostReason"] == {"id": created["id"], "name": "Budget"}


def test_only_administrators_change_pipelines_milestones_and_lost_reasons(account, engine):
    token = secrets.token_urlsafe(16)
    with engine.begin() as conn:
        user_id = create_user(
            conn, account.id, email="s@x.example", name="Sam Sales", username="sam", admin=False
        )
        accounts_store.create_token(conn, user_id, token, "write")
    headers = {"Authorization": f"Bearer {token}"}
    for path, body in (
        ("/pipelines", {"pipeline": {"name": "Mine"}}),
        ("/milestones", {"milestone": {"name": "Mine"}}),
        ("/lostreasons", {"lostReason": {"name": "Mine"}}),
    ):
        response = account.post(path, body, headers=headers)
        assert (response.status_code, response.json()) == (
            403,
            {"message": "Requires additional scope"},
        )
        assert account.get(path, headers=headers).status_code == 200
