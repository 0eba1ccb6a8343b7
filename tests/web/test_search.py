"""/search and /search/live: parties, opportunities and projects found together by the ranked
search, grouped by kind; the header's box on every page."""

import re


def setup_records(web, word="Zephyr"):
    account = web.account
    org = account.post("/parties", {"party": {"type": "organisation", "name": f"{word} Ltd"}})
    org_id = org.json()["party"]["id"]
    person = account.post(
        "/parties", {"party": {"type": "person", "firstName": word, "lastName": "Jones"}}
    ).json()["party"]
    milestone = account.get("/milestones").json()["milestones"][0]
    deal = account.post(
        "/opportunities",
        {"opportunity": {"name": f"{word} renewal", "party": org_id, "milestone": milestone}},
    ).json()["opportunity"]
    kase = account.post(
        "/kases", {"kase": {"name": "Install", "description": f"For {word}", "party": org_id}}
    ).json()["kase"]
    return org_id, person["id"], deal["id"], kase["id"]


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="(/(?:parties|opportunities|projects)/\d+)"', html)


def test_search_finds_every_kind_grouped_best_first(web):
    org_id, person_id, deal_id, kase_id = setup_records(web)
    page = web.get("/search?q=zephyr")
    assert page.status_code == 200
    headings = re.findall(r'<h2 id="found-\w+">([^<]+)</h2>', page.text)
    assert headings == ["People &amp; organisations", "Opportunities", "Projects"]
    found = hrefs(page.text.split('id="search-results"')[1])
    assert found == [
        f"/parties/{person_id}",  # a name starting with the query first
        f"/parties/{org_id}",
        f"/opportunities/{deal_id}",
        f"/projects/{kase_id}",
    ]


def test_search_never_shows_another_accounts_records(web, other_web):
    setup_records(other_web, "Quasar")
    page = web.get("/search?q=quasar")
    assert page.status_code == 200
    assert "Nothing matches" in page.text
    assert hrefs(page.text.split('id="search-results"')[1]) == []


def test_search_without_a_query_shows_no_results(web):
    setup_records(web)
    page = web.get("/search?q=")
    assert page.status_code == 200
    assert hrefs(page.text.split('id="search-results"')[1]) == []


def test_live_results_are_a_fragment_of_links_with_a_link_to_all(web):
    _, _, deal_id, _ = setup_records(web)
    response = web.get("/search/live?q=renewal", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert hrefs(response.text) == [f"/opportunities/{deal_id}"]
    assert 'href="/search?q=renewal"' in response.text


def test_live_results_show_at_most_five_of_a_kind(web):
    for i in range(7):
        web.account.post("/parties", {"party": {"type": "person", "lastName": f"Manyname{i}"}})
    live = web.get("/search/live?q=manyname")
    assert len(hrefs(live.text)) == 5
    assert len(hrefs(web.get("/search?q=manyname").text.split('id="search-results"')[1])) == 7


def test_every_page_has_the_search_box(web):
    page = web.get("/tasks").text
    assert '<form class="quick-search" method="get" action="/search" role="search">' in page
    assert 'hx-get="/search/live"' in page
    assert '<script src="/static/search.js" defer></script>' in page
    assert web.get("/static/search.js").status_code == 200


def test_search_signed_out_redirects_to_sign_in(anonymous):
    response = anonymous.get("/search?q=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/search")
