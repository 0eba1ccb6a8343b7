"""Notes added from a party's page, with an attachment, and attachment downloads."""


def add_party(web, name="Noted"):
    return web.account.post("/parties", {"party": {"type": "person", "lastName": name}}).json()[
        "party"
    ]


def test_add_note_with_attachment_shows_it_on_the_timeline(web):
    party = add_party(web)
    response = web.post(
        "/entries",
        {"party": str(party["id"]), "content": "Met at the fair"},
        files={"attachment": ("minutes.txt", b"the minutes", "text/plain")},
    )
    assert response.status_code == 200
    assert "Met at the fair" in response.text
    assert ">minutes.txt</a>" in response.text
    entries = web.account.get(f"/parties/{party['id']}/entries").json()["entries"]
    assert [e["content"] for e in entries] == ["Met at the fair"]
    attachment = entries[0]["attachments"][0]
    download = web.get(f"/attachments/{attachment['id']}")
    assert download.status_code == 200
    assert download.content == b"the minutes"
    assert "attachment" in download.headers["content-disposition"]


def test_add_note_fires_the_same_rules_as_the_api(web):
    party = add_party(web)
    response = web.post("/entries", {"party": str(party["id"]), "content": "  "})
    assert response.status_code == 422
    assert "an entry needs content or an attachment" in response.text
    assert web.account.get(f"/parties/{party['id']}/entries").json()["entries"] == []


def test_add_note_with_only_an_attachment(web):
    party = add_party(web)
    web.post(
        "/entries",
        {"party": str(party["id"]), "content": ""},
        files={"attachment": ("a.pdf", b"%PDF", "application/pdf")},
    )
    entries = web.account.get(f"/parties/{party['id']}/entries").json()["entries"]
    assert [a["filename"] for a in entries[0]["attachments"]] == ["a.pdf"]


def test_add_note_to_other_accounts_party_is_refused_and_writes_nothing(web, other_web):
    theirs = add_party(other_web, "Theirs")
    response = web.post("/entries", {"party": str(theirs["id"]), "content": "sneaky"})
    assert response.status_code == 404
    assert "Theirs" not in response.text
    assert other_web.account.get(f"/parties/{theirs['id']}/entries").json()["entries"] == []


def test_download_attachment_of_other_account_is_404(web, other_web):
    theirs = add_party(other_web, "Theirs")
    other_web.post(
        "/entries",
        {"party": str(theirs["id"]), "content": "x"},
        files={"attachment": ("secret.txt", b"secret", "text/plain")},
    )
    entry = other_web.account.get(f"/parties/{theirs['id']}/entries").json()["entries"][0]
    attachment_id = entry["attachments"][0]["id"]
    response = web.get(f"/attachments/{attachment_id}")
    assert response.status_code == 404
    assert b"secret" not in response.content


def test_timeline_shows_completed_tasks_and_pages(web):
    party = add_party(web)
    task = web.account.post(
        "/tasks",
        {"task": {"description": "Call back", "dueOn": "2026-01-02", "party": {"id": party["id"]}}},
    ).json()["task"]
    web.account.put(f"/tasks/{task['id']}", {"task": {"status": "COMPLETED"}})
    for i in range(3):
        web.account.post(
            "/entries",
            {
                "entry": {
                    "type": "note",
                    "party": {"id": party["id"]},
                    "content": f"n{i}",
                    "entryAt": f"2030-01-0{i + 3}T10:00:00Z",
                }
            },
        )
    page = web.get(f"/parties/{party['id']}?perPage=2").text
    assert page.index(">n2<") < page.index(">n1<")
    assert "Call back" not in page.split('id="timeline"')[1].split("Next page")[0]
    second = web.get(f"/parties/{party['id']}?perPage=2&page=2").text
    assert "n0" in second
    everything = web.get(f"/parties/{party['id']}").text.split('id="timeline"')[1]
    assert "Completed task" in everything
