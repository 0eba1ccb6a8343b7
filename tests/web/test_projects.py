"""/projects: filters by board or stage, status and owner, paged as the API pages."""

import re

from pillbox.store.accounts import create_user
from tests.web.test_project_board import project, stages


def names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/projects/\d+">([^<]+)</a></td>', html)


def test_lists_every_project_with_its_details(web):
    project(web, "Kitchen", expectedCloseOn="2030-02-01")
    page = web.get("/projects").text
    assert names(page) == ["Kitchen"]
    assert "Kitchen Ltd" in page and "Planning" in page and "2030-02-01" in page


def test_filters_by_stage_board_and_status(web):
    project(web, "Planned")
    project(web, "Delivering", "Delivery")
    project(web, "Closed", status="CLOSED")
    project(web, "Off the board", stage=None)
    delivery = stages(web)["Delivery"]
    assert names(web.get(f"/projects?stage={delivery}").text) == ["Delivering"]
    assert names(web.get("/projects?status=closed").text) == ["Closed"]
    open_ones = names(web.get("/projects?status=open").text)
    assert open_ones == ["Planned", "Delivering", "Off the board"]
    board = web.account.get("/boards").json()["boards"][0]["id"]
    assert names(web.get(f"/projects?board={board}&status=open").text) == ["Planned", "Delivering"]
    other = web.account.post("/boards", {"board": {"name": "Other"}})
    assert other.status_code == 201, other.text
    assert names(web.get(f"/projects?board={other.json()['board']['id']}").text) == []


def test_filters_by_owner(web, engine):
    with engine.begin() as conn:
        colleague = create_user(
            conn, web.account.id, email="c@example.com", name="Col", username="col", admin=False
        )
    project(web, "Mine")
    project(web, "Theirs", owner={"id": colleague})
    assert names(web.get(f"/projects?owner={colleague}").text) == ["Theirs"]
    assert names(web.get(f"/projects?owner={web.user_id}").text) == ["Mine"]


def test_pages_keep_the_filters(web):
    for name in ("A", "B", "C"):
        project(web, name)
    page = web.get("/projects?status=open&perPage=2").text
    assert names(page) == ["A", "B"]
    assert "?status=open&amp;page=2&amp;perPage=2" in page
    assert names(web.get("/projects?status=open&perPage=2&page=2").text) == ["C"]


def test_other_accounts_projects_are_not_listed(web, other_web):
    project(other_web, "Theirs")
    assert names(web.get("/projects").text) == []
