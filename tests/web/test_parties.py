"""/parties: the list of people and organisations, paged, searched and filtered."""

import re


def add(web, **party):
    response = web.account.post("/parties", {"party": party})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def names_on(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<td><a href=\"/parties/\d+\">([^<]+)</a>", html)


def test_list_parties_shows_name_organisation_email_and_tags(web):
    org = add(web, type="organisation", name="Acme Ltd")
    add(
        web,
        type="person",
        firstName="Ann",
        lastName="Lee",
        organisation={"id": org["id"]},
        emailAddresses=[{"address": "ann@acme.example"}],
        tags=[{"name": "VIP"}],
    )
    page = web.get("/parties")
    assert page.status_code == 200
    assert names_on(page.text) == ["Acme Ltd", "Ann Lee"]
    assert 'href="mailto:ann@acme.example"' in page.text
    assert '<span class="tag">VIP</span>' in page.text


def test_list_parties_has_a_search_box_labelled_search(web):
    page = web.get("/parties")
    assert '<label for="q">Search</label>' in page.text


def test_search_parties_ranks_as_the_api_does(web):
    add(web, type="person", firstName="Zed", lastName="Smithson")
    add(web, type="person", firstName="John", lastName="Smith")
    add(web, type="person", firstName="Other", lastName="Person")
    page = web.get("/parties", params={"q": "smith"})
    expected = web.account.get("/parties/search", params={"q": "smith"}).json()["parties"]
    assert names_on(page.text) == [f"{p['firstName']} {p['lastName']}" for p in expected]
    assert "Other Person" not in page.text


def test_filter_parties_by_type(web):
    add(web, type="organisation", name="Org One")
    add(web, type="person", lastName="Person One")
    assert names_on(web.get("/parties?type=organisation").text) == ["Org One"]
    assert names_on(web.get("/parties?type=person").text) == ["Person One"]


def test_filter_parties_by_tag_with_search(web):
    add(web, type="person", lastName="Tagged Smith", tags=[{"name": "Lead"}])
    add(web, type="person", lastName="Plain Smith")
    add(web, type="person", lastName="Tagged Jones", tags=[{"name": "Lead"}])
    assert names_on(web.get("/parties?tag=lead").text) == ["Tagged Smith", "Tagged Jones"]
    assert names_on(web.get("/parties?tag=Lead&q=smith").text) == ["Tagged Smith"]


def test_list_parties_pages_without_a_row_cap(web):
    for i in range(5):
        add(web, type="person", lastName=f"P{i}")
    first = web.get("/parties?perPage=2")
    assert names_on(first.text) == ["P0", "P1"]
    assert 'href="?page=2&amp;perPage=2"' in first.text
    last = web.get("/parties?perPage=2&page=3")
    assert names_on(last.text) == ["P4"]
    assert "Next page" not in last.text
    assert "Previous page" in last.text


def test_list_parties_shows_only_the_accounts_own(web, other_web):
    add(other_web, type="person", lastName="Theirs")
    add(web, type="person", lastName="Mine")
    assert names_on(web.get("/parties").text) == ["Mine"]
    assert names_on(web.get("/parties?q=theirs").text) == []


def test_list_parties_with_nonsense_paging_shows_first_page(web):
    add(web, type="person", lastName="Only")
    assert names_on(web.get("/parties?page=x&perPage=-4").text) == ["Only"]
