"""Named snapshots: save the account, change it, put it back as it was, ids and all."""

from tests.api.snapshot import account_snapshot


def save(admin, account, name):
    response = admin.request("POST", "/snapshots", token=account.token, json={"name": name})
    assert response.status_code == 201, response.text
    return response.json()["snapshot"]


def restore(admin, account, name):
    return admin.request("POST", f"/snapshots/{name}/restore", token=account.token)


def test_saving_answers_the_snapshot_and_lists_it(admin, account):
    saved = save(admin, account, "clean")
    assert saved["name"] == "clean"
    assert saved["rows"] > 0
    assert saved["createdAt"].endswith("Z")
    listed = admin.request("GET", "/snapshots", token=account.token).json()
    assert listed == {"snapshots": [saved]}


def test_restoring_puts_every_row_back_with_the_same_ids(admin, account, engine):
    org = account.post("/parties", {"party": {"type": "organisation", "name": "Acme"}}).json()
    org_id = org["party"]["id"]
    account.put(f"/parties/{org_id}", {"party": {"tags": [{"name": "vip"}]}})
    before = account_snapshot(engine, account.id)
    save(admin, account, "with-acme")
    account.put(f"/parties/{org_id}", {"party": {"name": "Renamed"}})
    account.post("/parties", {"party": {"type": "organisation", "name": "Newer"}})
    account.delete(f"/parties/{org_id}")
    assert restore(admin, account, "with-acme").status_code == 204
    after = account_snapshot(engine, account.id)
    assert after == before
    shown = account.get(f"/parties/{org_id}", params={"embed": "tags"}).json()["party"]
    assert (shown["name"], [t["name"] for t in shown["tags"]]) == ("Acme", ["vip"])


def test_a_restored_snapshot_can_be_restored_again(admin, account):
    save(admin, account, "start")
    for name in ("One", "Two"):
        account.post("/parties", {"party": {"type": "organisation", "name": name}})
        assert restore(admin, account, "start").status_code == 204
        assert account.get("/parties").json()["parties"] == []


def test_saving_under_a_name_in_use_replaces_it(admin, account):
    save(admin, account, "state")
    account.post("/parties", {"party": {"type": "organisation", "name": "Acme"}})
    save(admin, account, "state")
    account.post("/parties", {"party": {"type": "organisation", "name": "Later"}})
    restore(admin, account, "state")
    names = [p["name"] for p in account.get("/parties").json()["parties"]]
    assert names == ["Acme"]
    assert len(admin.request("GET", "/snapshots", token=account.token).json()["snapshots"]) == 1


def test_snapshots_belong_to_their_account(admin, account, other_account):
    save(admin, account, "mine")
    assert admin.request("GET", "/snapshots", token=other_account.token).json() == {"snapshots": []}
    assert restore(admin, other_account, "mine").status_code == 404
    response = admin.request("DELETE", "/snapshots/mine", token=other_account.token)
    assert response.status_code == 404


def test_deleting_a_snapshot_forgets_it(admin, account):
    save(admin, account, "gone")
    assert admin.request("DELETE", "/snapshots/gone", token=account.token).status_code == 204
    assert restore(admin, account, "gone").status_code == 404
    assert admin.request("DELETE", "/snapshots/gone", token=account.token).status_code == 404


def test_a_bad_snapshot_name_is_a_422_and_saves_nothing(admin, account):
    for body in ({}, {"name": ""}, {"name": "../x"}, {"name": "a" * 101}, {"name": 5}):
        response = admin.request("POST", "/snapshots", token=account.token, json=body)
        assert response.status_code == 422, body
    assert admin.request("GET", "/snapshots", token=account.token).json() == {"snapshots": []}


def test_restoring_brings_back_attachment_files(admin, account, client):
    upload = client.post(
        "/api/v2/attachments/upload",
        headers={**account.headers, "Content-Type": "text/plain", "X-Attachment-Filename": "a.txt"},
        content=b"hello",
    )
    assert upload.status_code in (200, 201), upload.text
    token = upload.json()["upload"]["token"]
    party = account.post("/parties", {"party": {"type": "organisation", "name": "Acme"}}).json()
    entry = account.post(
        "/entries",
        {
            "entry": {
                "type": "note",
                "content": "see file",
                "party": {"id": party["party"]["id"]},
                "attachments": [{"token": token}],
            }
        },
    ).json()["entry"]
    attachment = entry["attachments"][0]
    save(admin, account, "with-file")
    assert account.delete(f"/entries/{entry['id']}").status_code == 204
    restore(admin, account, "with-file")
    download = account.get(f"/attachments/{attachment['id']}")
    assert download.status_code == 200
    assert download.content == b"hello"
