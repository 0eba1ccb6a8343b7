"""/boards/{id}: the project board, a column per stage, and moves that are the API's stage
changes (same webhook, same history)."""

import re
from typing import Any

import sqlalchemy as sa

from pillbox.store.tables.hooks import hook_deliveries, rest_hooks


def board_id(web) -> int:
    return int(web.account.get("/boards").json()["boards"][0]["id"])


def stages(web) -> dict[str, int]:
    return {s["name"]: s["id"] for s in web.account.get("/stages").json()["stages"]}


def project(web, name: str, stage: str | None = "Planning", **extra: Any) -> dict[str, Any]:
    party = web.account.post(
        "/parties", {"party": {"type": "organisation", "name": f"{name} Ltd"}}
    ).json()["party"]
    body: dict[str, Any] = {"name": name, "party": {"id": party["id"]}, **extra}
    if stage:
        body["stage"] = {"id": stages(web)[stage]}
    response = web.account.post("/kases", {"kase": body})
    assert response.status_code == 201, response.text
    return response.json()["kase"]


def column(html: str, name: str) -> str:
    found = re.search(rf'<h2 id="column-\d+">{name}</h2>(.*?)</section>', html, re.S)
    assert found, f"no column {name}"
    return found.group(1)


def card_names(html: str) -> list[str]:
    return re.findall(r'<a class="card-name" href="/projects/\d+">([^<]+)</a>', html)


def move(web, kase_id: int, to: Any) -> Any:
    form = {"record": str(kase_id), "to": str(to)}
    return web.post(f"/boards/{board_id(web)}/move", form, follow_redirects=False)


def test_boards_leads_to_the_first_board(web):
    response = web.get("/boards", follow_redirects=False)
    assert response.headers["location"] == f"/boards/{board_id(web)}"


def test_a_column_per_stage_with_its_open_projects(web):
    project(web, "Kitchen", expectedCloseOn="2030-01-01")
    project(web, "Loft")
    project(web, "Done", status="CLOSED")
    project(web, "Nowhere", stage=None)
    page = web.get(f"/boards/{board_id(web)}").text
    names = re.findall(r'<h2 id="column-\d+">([^<]+)</h2>', page)
    assert names == ["Project Brief", "Planning", "Delivery", "Monitor", "Review"]
    planning = column(page, "Planning")
    assert card_names(planning) == ["Kitchen", "Loft"]
    assert "2 projects" in planning and "closes 2030-01-01" in planning
    assert card_names(column(page, "Delivery")) == []


def test_moving_a_card_is_the_apis_stage_change(web, engine):
    hook = web.account.post(
        "/resthooks", {"restHook": {"event": "kase/moved", "targetUrl": "https://hooks.example/in"}}
    )
    assert hook.status_code == 201, hook.text
    moved = project(web, "Kitchen")
    response = move(web, moved["id"], stages(web)["Delivery"])
    assert response.status_code == 303
    assert response.headers["location"] == f"/boards/{board_id(web)}"
    after = web.account.get(f"/kases/{moved['id']}").json()["kase"]
    assert after["stage"]["name"] == "Delivery"
    changes = web.account.get(f"/kases/{moved['id']}/changes").json()["changes"]
    assert any(c["field"] == "stage" and c["via"] == "web" for c in changes), changes
    with engine.connect() as conn:
        events = conn.execute(
            sa.select(hook_deliveries.c.event, hook_deliveries.c.record_id)
            .join(rest_hooks, rest_hooks.c.id == hook_deliveries.c.hook_id)
            .where(rest_hooks.c.account_id == web.account.id)
        ).all()
    assert [tuple(e) for e in events] == [("kase/moved", moved["id"])]
    page = web.get(response.headers["location"]).text
    assert card_names(column(page, "Delivery")) == ["Kitchen"]


def test_a_move_without_a_stage_is_refused_and_changes_nothing(web):
    moved = project(web, "Kitchen")
    for target in ("", "999999"):
        refused = move(web, moved["id"], target)
        assert refused.status_code == 422
        assert re.search(
            rf'id="move-{moved["id"]}-error">stage (is required|not found)', refused.text
        )
    assert web.account.get(f"/kases/{moved['id']}").json()["kase"]["stage"]["name"] == "Planning"


def test_another_accounts_board_and_project_are_the_404_page(web, other_web):
    theirs = board_id(other_web)
    assert web.get(f"/boards/{theirs}").status_code == 404
    their_project = project(other_web, "Theirs")
    target = stages(other_web)["Review"]
    mine = board_id(web)
    for board in (theirs, mine):
        response = web.post(f"/boards/{board}/move", {"record": their_project["id"], "to": target})
        assert response.status_code == 404
    after = other_web.account.get(f"/kases/{their_project['id']}").json()["kase"]
    assert after["stage"]["name"] == "Planning"


def test_a_move_without_the_csrf_token_is_refused(web):
    moved = project(web, "Kitchen")
    response = web.client.post(
        f"/boards/{board_id(web)}/move",
        data={"record": str(moved["id"]), "to": str(stages(web)["Review"])},
    )
    assert response.status_code == 403
    assert web.account.get(f"/kases/{moved['id']}").json()["kase"]["stage"]["name"] == "Planning"
