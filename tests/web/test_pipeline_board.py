"""/pipelines/{id}: the pipeline board, its cards, totals, switcher, and moves that are the API's
milestone changes (same webhook, same history), with a lost reason asked for."""

import re
from typing import Any

import sqlalchemy as sa

from pillbox.store.tables.hooks import hook_deliveries, rest_hooks
from pillbox.web import pipeline_board


def milestones(web) -> dict[str, int]:
    found = web.account.get("/milestones").json()["milestones"]
    return {m["name"]: m["id"] for m in found}


def pipeline_id(web) -> int:
    return int(web.account.get("/pipelines").json()["pipelines"][0]["id"])


def party(web, name: str = "Acme") -> int:
    body = {"party": {"type": "organisation", "name": name}}
    return int(web.account.post("/parties", body).json()["party"]["id"])


def deal(web, name: str, milestone: str = "New", **extra: Any) -> dict[str, Any]:
    body = {
        "name": name,
        "party": {"id": party(web, f"{name} Ltd")},
        "milestone": {"id": milestones(web)[milestone]},
        **extra,
    }
    response = web.account.post("/opportunities", {"opportunity": body})
    assert response.status_code == 201, response.text
    return response.json()["opportunity"]


def opportunity(web, deal_id: int) -> dict[str, Any]:
    return web.account.get(f"/opportunities/{deal_id}").json()["opportunity"]


def column(html: str, name: str) -> str:
    """The HTML of the board's column headed `name`."""
    found = re.search(rf'<h2 id="column-\d+">{name}</h2>(.*?)</section>', html, re.S)
    assert found, f"no column {name}"
    return found.group(1)


def card_names(html: str) -> list[str]:
    return re.findall(r'<a class="card-name" href="/opportunities/\d+">([^<]+)</a>', html)


def move(web, deal_id: int, to: int, **extra: str) -> Any:
    form = {"record": str(deal_id), "to": str(to), **extra}
    return web.post(f"/pipelines/{pipeline_id(web)}/move", form, follow_redirects=False)


def test_pipelines_leads_to_the_first_pipelines_board(web):
    response = web.get("/pipelines", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/pipelines/{pipeline_id(web)}"


def test_the_switcher_leads_to_the_chosen_pipeline(web):
    other = web.account.post("/pipelines", {"pipeline": {"name": "Renewals"}}).json()["pipeline"]
    page = web.get(f"/pipelines/{pipeline_id(web)}").text
    assert f'<option value="{other["id"]}">Renewals</option>' in page
    response = web.get(f"/pipelines?pipeline={other['id']}", follow_redirects=False)
    assert response.headers["location"] == f"/pipelines/{other['id']}"


def test_a_column_per_milestone_in_order_with_cards_and_totals(web):
    deal(web, "Boiler", value={"amount": 1200, "currency": "GBP"}, expectedCloseOn="2030-05-01")
    deal(web, "Roof", value={"amount": 300.5, "currency": "GBP"})
    deal(web, "Fence", value={"amount": 99, "currency": "EUR"})
    deal(web, "Tender", "Bid")
    deal(web, "Closed one", "Won")
    page = web.get(f"/pipelines/{pipeline_id(web)}").text
    assert re.findall(r'<h2 id="column-\d+">([^<]+)</h2>', page) == ["New", "Bid", "Won", "Lost"]
    new = column(page, "New")
    assert card_names(new) == ["Boiler", "Roof", "Fence"]  # soonest expected close, then made
    assert "3 opportunities · EUR 99 · GBP 1,500.50" in new
    assert "closes 2030-05-01" in new and "Boiler Ltd" in new and web.account_name not in new
    assert card_names(column(page, "Bid")) == ["Tender"]
    assert card_names(column(page, "Won")) == []  # closed ones are not cards


def test_a_full_column_links_to_the_list_of_all(web, monkeypatch):
    monkeypatch.setattr(pipeline_board, "CARDS_PER_COLUMN", 2)
    for name in ("A", "B", "C"):
        deal(web, name)
    new = column(web.get(f"/pipelines/{pipeline_id(web)}").text, "New")
    assert card_names(new) == ["A", "B"]
    assert "All 3 in New" in new
    assert f"milestone={milestones(web)['New']}" in new


def test_moving_a_card_is_the_apis_milestone_change(web, engine):
    hook = web.account.post(
        "/resthooks",
        {"restHook": {"event": "opportunity/moved", "targetUrl": "https://hooks.example/in"}},
    )
    assert hook.status_code == 201, hook.text
    moved = deal(web, "Boiler")
    response = move(web, moved["id"], milestones(web)["Bid"])
    assert response.status_code == 303
    assert response.headers["location"] == f"/pipelines/{pipeline_id(web)}"
    after = opportunity(web, moved["id"])
    assert after["milestone"]["name"] == "Bid" and after["probability"] == 50
    changes = web.account.get(f"/opportunities/{moved['id']}/changes").json()["changes"]
    assert any(c["field"] == "milestone" and c["via"] == "web" for c in changes), changes
    with engine.connect() as conn:
        events = conn.execute(
            sa.select(hook_deliveries.c.event, hook_deliveries.c.record_id)
            .join(rest_hooks, rest_hooks.c.id == hook_deliveries.c.hook_id)
            .where(rest_hooks.c.account_id == web.account.id)
        ).all()
    assert [tuple(e) for e in events] == [("opportunity/moved", moved["id"])]
    assert card_names(column(web.get(response.headers["location"]).text, "Bid")) == ["Boiler"]


def test_marking_lost_asks_for_a_lost_reason_when_the_account_has_any(web):
    reason = web.account.post("/lostreasons", {"lostReason": {"name": "Too dear"}})
    assert reason.status_code == 201, reason.text
    reason_id = reason.json()["lostReason"]["id"]
    lost = deal(web, "Boiler")
    refused = move(web, lost["id"], milestones(web)["Lost"])
    assert refused.status_code == 422
    assert f'id="reason-{lost["id"]}-error">lost reason is required</p>' in refused.text
    assert f'<option value="{reason_id}">Too dear</option>' in refused.text
    assert opportunity(web, lost["id"])["milestone"]["name"] == "New"  # nothing changed
    done = move(web, lost["id"], milestones(web)["Lost"], lostReason=str(reason_id))
    assert done.status_code == 303
    after = opportunity(web, lost["id"])
    assert (after["milestone"]["name"], after["lostReason"]["id"]) == ("Lost", reason_id)


def test_marking_lost_needs_no_reason_when_the_account_has_none(web):
    lost = deal(web, "Boiler")
    assert move(web, lost["id"], milestones(web)["Lost"]).status_code == 303
    after = opportunity(web, lost["id"])
    assert after["milestone"]["name"] == "Lost" and after.get("lostReason") is None


def test_an_unknown_milestone_is_refused_beside_the_cards_control(web):
    moved = deal(web, "Boiler")
    refused = move(web, moved["id"], 999999)
    assert refused.status_code == 422
    assert f'id="move-{moved["id"]}-error">milestone not found</p>' in refused.text


def test_another_accounts_pipeline_and_opportunity_are_the_404_page(web, other_web):
    theirs = pipeline_id(other_web)
    assert web.get(f"/pipelines/{theirs}").status_code == 404
    their_deal = deal(other_web, "Theirs")
    target = milestones(other_web)["Bid"]
    response = web.post(
        f"/pipelines/{theirs}/move", {"record": str(their_deal["id"]), "to": target}
    )
    assert response.status_code == 404
    mine = pipeline_id(web)
    response = web.post(f"/pipelines/{mine}/move", {"record": str(their_deal["id"]), "to": target})
    assert response.status_code == 404
    assert opportunity(other_web, their_deal["id"])["milestone"]["name"] == "New"
    assert web.get("/pipelines/abc").status_code == 404


def test_a_move_without_the_csrf_token_is_refused(web):
    moved = deal(web, "Boiler")
    response = web.client.post(
        f"/pipelines/{pipeline_id(web)}/move",
        data={"record": str(moved["id"]), "to": str(milestones(web)["Bid"])},
    )
    assert response.status_code == 403
    assert opportunity(web, moved["id"])["milestone"]["name"] == "New"


def test_signed_out_visitors_are_sent_to_sign_in(anonymous):
    response = anonymous.get("/pipelines/1", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/pipelines/1"
