"""/tasks and the task actions every screen uses: add, complete, reopen."""

import re

from pillbox.domain.records import today


def add_task(web, description, due="2030-01-01", **extra):
    body = {"description": description, "dueOn": due, **extra}
    response = web.account.post("/tasks", {"task": body})
    assert response.status_code == 201, response.text
    return response.json()["task"]


def descriptions(html: str) -> list[str]:
    return re.findall(r'<span class="description">([^<]+)</span>', html)


def test_list_my_tasks_by_due_date(web):
    add_task(web, "Later", "2030-02-01")
    add_task(web, "Sooner", "2030-01-01")
    assert descriptions(web.get("/tasks").text) == ["Sooner", "Later"]


def test_list_everyones_tasks_includes_other_users(engine, web):
    from pillbox.store.accounts import create_user

    with engine.begin() as conn:
        colleague = create_user(
            conn, web.account.id, email="col@example.com", name="Col", username="col", admin=False
        )
    add_task(web, "Mine")
    add_task(web, "Theirs", owner={"id": colleague})
    assert descriptions(web.get("/tasks").text) == ["Mine"]
    assert sorted(descriptions(web.get("/tasks?who=everyone").text)) == ["Mine", "Theirs"]


def test_filter_tasks_by_category_and_status(web):
    category = web.account.post("/categories", {"category": {"name": "Call"}})
    assert category.status_code == 201, category.text
    category_id = category.json()["category"]["id"]
    add_task(web, "Phone", category={"id": category_id})
    done = add_task(web, "Done one")
    web.account.put(f"/tasks/{done['id']}", {"task": {"status": "COMPLETED"}})
    assert descriptions(web.get(f"/tasks?category={category_id}").text) == ["Phone"]
    assert descriptions(web.get("/tasks?status=completed").text) == ["Done one"]
    assert sorted(descriptions(web.get("/tasks?status=all").text)) == ["Done one", "Phone"]


def test_add_task_from_the_tasks_page(web):
    response = web.post(
        "/tasks", {"description": "Write report", "dueOn": "2030-03-03", "back": "/tasks"}
    )
    assert response.status_code == 200
    assert descriptions(response.text) == ["Write report"]
    tasks = web.account.get("/tasks").json()["tasks"]
    assert [(t["description"], t["dueOn"]) for t in tasks] == [("Write report", "2030-03-03")]


def test_add_task_on_a_party_comes_back_to_it(web):
    party = web.account.post("/parties", {"party": {"type": "person", "lastName": "P"}}).json()[
        "party"
    ]
    response = web.post(
        "/tasks",
        {
            "description": "Follow up",
            "dueOn": "2030-01-01",
            "party": str(party["id"]),
            "back": f"/parties/{party['id']}",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == f"/parties/{party['id']}"
    page = web.get(f"/parties/{party['id']}").text
    assert descriptions(page) == ["Follow up"]


def test_add_task_without_due_date_shows_the_apis_message(web):
    response = web.post("/tasks", {"description": "No date", "dueOn": "", "back": "/tasks"})
    assert response.status_code == 422
    assert 'value="No date"' in response.text
    assert 'class="field-error"' in response.text
    assert web.account.get("/tasks").json()["tasks"] == []


def test_add_task_on_other_accounts_party_is_refused(web, other_web):
    theirs = other_web.account.post(
        "/parties", {"party": {"type": "person", "lastName": "T"}}
    ).json()["party"]
    response = web.post(
        "/tasks", {"description": "x", "dueOn": "2030-01-01", "party": str(theirs["id"])}
    )
    assert response.status_code == 422
    assert web.account.get("/tasks").json()["tasks"] == []


def test_complete_and_reopen_a_task(web):
    task = add_task(web, "Finish")
    response = web.post(f"/tasks/{task['id']}/complete", {"back": "/tasks?status=all"})
    assert response.status_code == 200
    assert ">Reopen</button>" in response.text
    assert web.account.get(f"/tasks/{task['id']}").json()["task"]["status"] == "COMPLETED"
    web.post(f"/tasks/{task['id']}/reopen", {"back": "/tasks"})
    assert web.account.get(f"/tasks/{task['id']}").json()["task"]["status"] == "OPEN"


def test_complete_task_of_other_account_is_404(web, other_web):
    theirs = add_task(other_web, "Theirs")
    assert web.post(f"/tasks/{theirs['id']}/complete").status_code == 404
    assert other_web.account.get(f"/tasks/{theirs['id']}").json()["task"]["status"] == "OPEN"


def test_complete_with_foreign_back_address_stays_on_site(web):
    task = add_task(web, "Finish")
    response = web.post(
        f"/tasks/{task['id']}/complete", {"back": "https://evil.example/"}, follow_redirects=False
    )
    assert response.headers["location"] == "/tasks"


def test_home_splits_my_open_tasks_into_overdue_today_and_upcoming(web):
    add_task(web, "Was due", "2000-01-01")
    add_task(web, "Due now", today())
    add_task(web, "Coming", "2999-01-01")
    page = web.get("/").text
    overdue, rest = page.split("<h3>Today</h3>")
    todays, upcoming = rest.split("<h3>Upcoming</h3>")
    assert descriptions(overdue) == ["Was due"]
    assert descriptions(todays) == ["Due now"]
    assert descriptions(upcoming.split("Recent activity")[0]) == ["Coming"]


def test_home_completes_a_task_in_place(web):
    task = add_task(web, "Tick me", "2000-01-01")
    response = web.post(
        f"/tasks/{task['id']}/complete", {"back": "/"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Tick me" not in response.text.split("Recent activity")[0]


def test_home_shows_recent_activity_of_the_account(web):
    party = web.account.post("/parties", {"party": {"type": "person", "lastName": "Pat"}}).json()[
        "party"
    ]
    web.account.post(
        "/entries", {"entry": {"type": "note", "party": {"id": party["id"]}, "content": "Lunch"}}
    )
    page = web.get("/").text
    assert "Lunch" in page
    assert f'on <a href="/parties/{party["id"]}">Pat</a>' in page
