"""/opportunities: filters by pipeline, milestone, owner, status and close month, paging, and
value totals per currency of the whole filtered set; the start page's opportunities closing this
month."""

import re
from typing import Any

from pillbox.domain.records import today
from pillbox.store.accounts import create_user
from tests.web.test_pipeline_board import deal, milestones


def names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/opportunities/\d+">([^<]+)</a></td>', html)


def totals(html: str) -> str:
    found = re.search(r'<p class="totals" id="totals">(.*?)</p>', html, re.S)
    assert found
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def gbp(amount: Any) -> dict[str, Any]:
    return {"amount": amount, "currency": "GBP"}


def test_lists_every_opportunity_with_its_details(web):
    deal(web, "Boiler", value=gbp(1200), expectedCloseOn="2030-05-01")
    page = web.get("/opportunities").text
    assert names(page) == ["Boiler"]
    assert "Boiler Ltd" in page and "GBP 1,200" in page and "2030-05-01" in page


def test_filters_by_status_milestone_and_pipeline(web):
    deal(web, "Open one")
    deal(web, "Bid one", "Bid")
    deal(web, "Won one", "Won")
    reason = web.account.post("/lostreasons", {"lostReason": {"name": "Price"}}).json()
    lost = deal(web, "Lost one", "Lost", lostReason={"id": reason["lostReason"]["id"]})
    assert lost["lostReason"]["name"] == "Price"
    assert names(web.get("/opportunities?status=open").text) == ["Open one", "Bid one"]
    assert names(web.get("/opportunities?status=won").text) == ["Won one"]
    lost_page = web.get("/opportunities?status=lost").text
    assert names(lost_page) == ["Lost one"] and "Price" in lost_page
    bid = milestones(web)["Bid"]
    assert names(web.get(f"/opportunities?milestone={bid}").text) == ["Bid one"]
    other = web.account.post("/pipelines", {"pipeline": {"name": "Other"}}).json()["pipeline"]
    assert names(web.get(f"/opportunities?pipeline={other['id']}").text) == []
    assert len(names(web.get("/opportunities?status=nonsense&pipeline=x").text)) == 4


def test_filters_by_owner_and_close_month(web, engine):
    with engine.begin() as conn:
        colleague = create_user(
            conn, web.account.id, email="c@example.com", name="Col", username="col", admin=False
        )
    deal(web, "Mine in May", expectedCloseOn="2030-05-31")
    deal(web, "Mine in June", expectedCloseOn="2030-06-01")
    deal(web, "Theirs in May", expectedCloseOn="2030-05-01", owner={"id": colleague})
    assert names(web.get(f"/opportunities?owner={colleague}").text) == ["Theirs in May"]
    may = web.get("/opportunities?month=2030-05").text
    assert names(may) == ["Mine in May", "Theirs in May"]
    mine = web.get(f"/opportunities?month=2030-05&owner={web.user_id}").text
    assert names(mine) == ["Mine in May"]
    assert len(names(web.get("/opportunities?month=2030-13").text)) == 3  # no such month


def test_totals_are_of_the_whole_filtered_set_not_the_page(web):
    deal(web, "A", value=gbp("1000.25"))
    deal(web, "B", value=gbp(2000))
    deal(web, "C", value={"amount": 5, "currency": "EUR"})
    deal(web, "D", "Bid", value=gbp(7))
    deal(web, "E")
    page = web.get("/opportunities?perPage=1").text
    assert names(page) == ["A"]
    assert totals(page) == "Total value: EUR 5 · GBP 3,007.25"
    assert "?page=2&amp;perPage=1" in page
    bid = milestones(web)["Bid"]
    assert totals(web.get(f"/opportunities?milestone={bid}").text) == "Total value: GBP 7"
    assert totals(web.get("/opportunities?status=won").text) == "Total value: none"


def test_pages_keep_the_filters(web):
    for name in ("A", "B", "C"):
        deal(web, name)
    page = web.get("/opportunities?status=open&perPage=2").text
    assert names(page) == ["A", "B"]
    assert "?status=open&amp;page=2&amp;perPage=2" in page
    assert names(web.get("/opportunities?status=open&perPage=2&page=2").text) == ["C"]


def test_other_accounts_opportunities_are_not_listed_or_totalled(web, other_web):
    deal(other_web, "Theirs", value=gbp(50))
    page = web.get("/opportunities").text
    assert names(page) == [] and totals(page) == "Total value: none"


def test_start_page_shows_my_open_opportunities_closing_this_month(web, engine):
    with engine.begin() as conn:
        colleague = create_user(
            conn, web.account.id, email="c@example.com", name="Col", username="col", admin=False
        )
    this_month = today()[:7] + "-01"
    deal(web, "Closing now", expectedCloseOn=this_month, value=gbp(10))
    deal(web, "Closing later", expectedCloseOn="2099-01-01")
    deal(web, "Already won", "Won", expectedCloseOn=this_month)
    deal(web, "Not mine", expectedCloseOn=this_month, owner={"id": colleague})
    page = web.get("/").text
    section = page.split('id="my-closing"')[1].split("</section>")[0]
    assert re.findall(r'href="/opportunities/\d+">([^<]+)</a>', section) == ["Closing now"]
    assert "GBP 10" in section
