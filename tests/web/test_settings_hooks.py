"""/settings/hooks: REST hooks and their delivery log, where a failed delivery is sent again."""

import sqlalchemy as sa

from pillbox.store import hooks as hook_store
from pillbox.store.tables.hooks import hook_deliveries

TARGET = "https://receiver.invalid/hooks"  # never resolves: accepted, and nothing is sent


def _subscribe(web) -> dict:
    body = {"event": "party/created", "targetUrl": TARGET, "description": "CRM sync"}
    assert web.post("/settings/items/hooks", body).status_code == 200
    return web.account.get("/resthooks").json()["restHooks"][0]


def test_subscribe_and_unsubscribe(web):
    hook = _subscribe(web)
    assert (hook["event"], hook["targetUrl"], hook["description"]) == (
        "party/created",
        TARGET,
        "CRM sync",
    )
    assert f"party/created to {TARGET}" in web.get("/settings/hooks").text
    assert web.post(f"/settings/items/hooks/{hook['id']}/delete").status_code == 200
    assert web.account.get("/resthooks").json()["restHooks"] == []


def test_a_hook_to_a_private_address_is_refused(web):
    response = web.post(
        "/settings/items/hooks", {"event": "party/created", "targetUrl": "http://127.0.0.1/x"}
    )
    assert response.status_code == 422
    assert "must not point to a loopback" in response.text
    assert web.account.get("/resthooks").json()["restHooks"] == []


def test_a_failed_delivery_is_listed_and_sent_again(web, engine):
    hook = _subscribe(web)
    web.account.post("/parties", {"party": {"type": "person", "lastName": "Hooked"}})
    with engine.begin() as conn:
        of_hook = hook_deliveries.c.hook_id == hook["id"]
        delivery_id = conn.scalar(sa.select(hook_deliveries.c.id).where(of_hook))
        hook_store.record_attempt(
            conn, delivery_id, {"status": hook_store.FAILED, "attempts": 6, "error": "refused"}
        )
    page = web.get(f"/settings/hooks/{hook['id']}").text
    assert "failed" in page and "refused" in page
    action = f"/settings/hooks/{hook['id']}/deliveries/{delivery_id}/redeliver"
    assert f'action="{action}"' in page
    assert web.post(action).status_code == 200
    with engine.connect() as conn:
        row = conn.execute(sa.select(hook_deliveries).where(of_hook)).one()
    assert (row.status, row.attempts) == (hook_store.PENDING, 0)


def test_another_accounts_hook_and_delivery_are_the_404_page(web, other_web):
    theirs = _subscribe(other_web)
    assert web.get(f"/settings/hooks/{theirs['id']}").status_code == 404
    assert web.post(f"/settings/hooks/{theirs['id']}/deliveries/1/redeliver").status_code == 404
    assert web.post(f"/settings/items/hooks/{theirs['id']}/delete").status_code == 404
    assert len(other_web.account.get("/resthooks").json()["restHooks"]) == 1
