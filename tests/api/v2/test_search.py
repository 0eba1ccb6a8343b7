"""Search on /parties, /opportunities and /kases: ranking, accents and case, custom fields, paging.

Ranking, best first, ties by id: a name equal to the query, a name starting with it, a word of
a name starting with it, any other name match, then matches needing an email address, a phone
number, and last a custom field value (or an opportunity's or project's description).
"""

import pytest

from pillbox.store import search
from tests.api.v2.checks import run_jobs
from tests.conftest import Account


@pytest.fixture(autouse=True, params=["ranked together", "one arm per rank"])
def sqlite_ranking(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite, few matches are ranked all together, many by one arm per rank: every test
    runs both ways, with the same results."""
    if request.param == "one arm per rank":
        monkeypatch.setattr(search, "FEW_MATCHES", 0)


def party(account: Account, **body: object) -> int:
    kind = "organisation" if "name" in body else "person"
    response = account.post("/parties", {"party": {"type": kind, **body}})
    assert response.status_code == 201, response.text
    return int(response.json()["party"]["id"])


def define(account: Account, entity: str, name: str, type_: str = "text", **extra: object) -> int:
    body = {"name": name, "type": type_, **extra}
    response = account.post(f"/{entity}/fields/definitions", {"definition": body})
    assert response.status_code == 201, response.text
    return int(response.json()["definition"]["id"])


def found(account: Account, q: str, plural: str = "parties", **params: object) -> list[int]:
    response = account.get(f"/{plural}/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return [record["id"] for record in response.json()[plural]]


# -- parties: ranking -------------------------------------------------------------------------


def test_parties_rank_by_where_the_query_is_found(account):
    reference = define(account, "parties", "Reference")
    # Created worst first, so that id order is the reverse of the ranking.
    in_field = party(
        account, lastName="Field", fields=[{"definition": reference, "value": "R1234"}]
    )
    in_phone = party(account, lastName="Phone", phoneNumbers=[{"number": "+44 1234 567"}])
    in_email = party(account, lastName="Email", emailAddresses=[{"address": "x1234@example.com"}])
    inside_name = party(account, name="Unit1234")
    word_start = party(account, name="Studio 1234 North")
    name_start = party(account, name="1234 Club")
    exact = party(account, name="1234")
    assert found(account, "1234") == [
        exact,
        name_start,
        word_start,
        inside_name,
        in_email,
        in_phone,
        in_field,
    ]


def test_a_person_is_named_by_first_last_and_full_name(account):
    in_email = party(account, lastName="Jones", emailAddresses=[{"address": "ash@example.com"}])
    inside = party(account, firstName="Ann", lastName="Nash")
    word_start = party(account, name="Big Ash Trees")
    first_name_start = party(account, firstName="Ashley", lastName="Cole")
    last_name = party(account, firstName="Tom", lastName="Ash")
    first_name = party(account, firstName="Ash", lastName="Ketchum")
    assert found(account, "ash") == [
        last_name,  # ties (both equal the query) in id order
        first_name,
        first_name_start,
        word_start,
        inside,
        in_email,
    ]
    assert found(account, "ash ketchum") == [first_name]
    assert found(account, "ketchum ash") == [first_name]  # every term in the names


def test_several_terms_rank_by_the_whole_query_then_where_each_term_is(account):
    split = party(account, lastName="Müller", emailAddresses=[{"address": "zoe@example.com"}])
    both_in_names = party(account, name="Zoe and Muller Partners")
    starts = party(account, firstName="Zoë", lastName="Müller-Lüdenscheidt")
    full_name = party(account, firstName="Zoë", lastName="Müller")
    assert found(account, "zoe muller") == [full_name, starts, both_in_names, split]


def test_ties_are_in_id_order(account):
    first = party(account, firstName="Kim", lastName="Lee")
    second = party(account, firstName="Kim", lastName="Park")
    third = party(account, name="Kim")
    assert found(account, "kim") == [first, second, third]


# -- parties: what matches --------------------------------------------------------------------


def test_search_ignores_accents_and_case(account):
    zoe = party(account, firstName="Zoë", lastName="Müller")
    cafe = party(account, name="CRÈME Brûlée Café")
    soren = party(account, firstName="Søren", lastName="Łukasz")
    for q in ("zoe muller", "MÜLLER", "Müll", "ZOË", "zoe"):
        assert found(account, q) == [zoe], q
    assert found(account, "creme brulee") == [cafe]
    assert found(account, "café") == [cafe]
    assert found(account, "soren lukasz") == [soren]


def test_a_query_with_accents_finds_text_without_them(account):
    zoe = party(account, firstName="Zoe", lastName="Muller")
    assert found(account, "Zoë Müller") == [zoe]


def test_short_terms_match_and_rank_too(account):
    longer = party(account, firstName="Zoë", lastName="Adams")
    exact = party(account, firstName="Zo", lastName="Brown")
    assert found(account, "zo") == [exact, longer]
    assert found(account, "zo br") == [exact]
    assert found(account, "z") == [longer, exact]  # both start with it: id order
    assert found(account, "b") == [exact]  # its last name starts with it


def test_a_query_of_many_words_is_answered(account):
    party(account, firstName="Zoë", lastName="Adams")
    many = " ".join(f"w{i}x" for i in range(300))
    assert found(account, many) == []
    assert found(account, " ".join(["zoe"] * 300)) != []


def test_email_addresses_match_in_any_case(account):
    scott = party(account, lastName="Scott", emailAddresses=[{"address": "Scott@Spacey.Example"}])
    assert found(account, "SCOTT@SPACEY") == [scott]
    assert found(account, "spacey.example") == [scott]


def test_phone_numbers_match_as_written_and_as_digits(account):
    reference = define(account, "parties", "Reference")
    in_field = party(
        account, lastName="Ref", fields=[{"definition": reference, "value": "2079460018"}]
    )
    in_phone = party(account, lastName="Call", phoneNumbers=[{"number": "+44 (0)20 7946 0018"}])
    assert found(account, "2079460018") == [in_phone, in_field]
    assert found(account, "7946 0018") == [in_phone, in_field]
    assert found(account, "(0)20") == [in_phone]


@pytest.mark.parametrize(
    ("type_", "value", "options"),
    [
        ("text", "Blue Whale", None),
        ("link", "https://blue-whale.example", None),
        ("list", "Blue Whale", ["Blue Whale", "Red"]),
    ],
)
def test_text_like_custom_fields_are_searched(account, type_, value, options):
    extra = {"options": options} if options else {}
    definition = define(account, "parties", "Nickname", type_, **extra)
    whale = party(account, lastName="Smith", fields=[{"definition": definition, "value": value}])
    assert found(account, "whale") == [whale]


def test_number_date_and_boolean_fields_are_not_searched(account):
    fields = [
        {"definition": define(account, "parties", "Score", "number"), "value": 424242},
        {"definition": define(account, "parties", "Since", "date"), "value": "2024-04-24"},
        {"definition": define(account, "parties", "Active", "boolean"), "value": True},
    ]
    party(account, lastName="Smith", fields=fields)
    assert found(account, "424242") == []
    assert found(account, "2024-04") == []
    assert found(account, "true") == []


def test_a_changed_custom_field_is_found_by_its_new_value_only(account):
    definition = define(account, "parties", "Nickname")
    smith = party(account, lastName="Smith", fields=[{"definition": definition, "value": "Bear"}])
    value_id = account.get(f"/parties/{smith}?embed=fields").json()["party"]["fields"][0]["id"]
    change = {"fields": [{"id": value_id, "value": "Tiger"}]}
    assert account.put(f"/parties/{smith}", {"party": change}).status_code == 200
    assert found(account, "bear") == []
    assert found(account, "tiger") == [smith]
    clear = {"fields": [{"id": value_id, "_delete": True}]}
    assert account.put(f"/parties/{smith}", {"party": clear}).status_code == 200
    assert found(account, "tiger") == []


def test_values_of_a_deleted_custom_field_are_no_longer_found(account, engine):
    definition = define(account, "parties", "Nickname")
    party(account, lastName="Smith", fields=[{"definition": definition, "value": "Bear"}])
    assert account.delete(f"/parties/fields/definitions/{definition}").status_code == 202
    run_jobs(engine)
    assert found(account, "bear") == []


def test_values_of_a_deleted_data_tag_are_no_longer_found(account, engine):
    tag = account.post("/parties/tags", {"tag": {"name": "Pets", "dataTag": True}}).json()["tag"]
    definition = define(account, "parties", "Pet", tag=tag["id"])
    fields = [{"definition": definition, "value": "Hamster"}]
    smith = party(account, lastName="Smith", tags=[{"name": "Pets"}], fields=fields)
    assert found(account, "hamster") == [smith]
    assert account.delete(f"/parties/tags/{tag['id']}").status_code == 202
    run_jobs(engine)
    assert found(account, "hamster") == []


# -- paging and accounts ----------------------------------------------------------------------


def test_pages_follow_the_ranked_order(account):
    in_email = party(account, lastName="Zed", emailAddresses=[{"address": "page@example.com"}])
    name_start = party(account, name="Pageant Ltd")
    exact = party(account, name="Page")
    word_start = party(account, name="Front Page Media")
    inside = party(account, name="Homepage")
    pages = [found(account, "page", perPage=2, page=n) for n in (1, 2, 3)]
    assert pages == [[exact, name_start], [word_start, inside], [in_email]]
    response = account.get("/parties/search", params={"q": "page", "perPage": 2})
    assert 'rel="next"' in response.headers["Link"]


def test_another_accounts_records_are_never_found(account, other_account):
    party(other_account, firstName="Zoë", lastName="Secret")
    customer = party(other_account, name="Secret Customer")
    deal = {
        "name": "Secret Deal",
        "party": {"id": customer},
        "milestone": _milestone(other_account),
    }
    assert other_account.post("/opportunities", {"opportunity": deal}).status_code == 201
    project = {"name": "Secret Project", "party": {"id": customer}}
    assert other_account.post("/kases", {"kase": project}).status_code == 201
    for plural in ("parties", "opportunities", "kases"):
        assert found(account, "secret", plural) == []
        assert len(found(other_account, "secret", plural)) >= 1


# -- opportunities and projects ---------------------------------------------------------------


def _milestone(account: Account) -> dict[str, int]:
    return {"id": account.get("/milestones").json()["milestones"][0]["id"]}


def opportunity(account: Account, customer: int, **body: object) -> int:
    body = {"party": {"id": customer}, "milestone": _milestone(account), **body}
    response = account.post("/opportunities", {"opportunity": body})
    assert response.status_code == 201, response.text
    return int(response.json()["opportunity"]["id"])


def project(account: Account, customer: int, **body: object) -> int:
    response = account.post("/kases", {"kase": {"party": {"id": customer}, **body}})
    assert response.status_code == 201, response.text
    return int(response.json()["kase"]["id"])


@pytest.mark.parametrize(("plural", "create"), [("opportunities", opportunity), ("kases", project)])
def test_records_rank_names_before_descriptions_and_fields(account, plural, create):
    customer = party(account, name="Customer")
    source = define(account, plural, "Source")
    in_description = create(account, customer, name="Review", description="Before the rollout")
    fields = [{"definition": source, "value": "Rollout"}]
    in_field = create(account, customer, name="Audit", fields=fields)  # ties: in id order
    word_start = create(account, customer, name="Phased Rollout Plan")
    exact = create(account, customer, name="Rollout")
    expected = [exact, word_start, in_description, in_field]
    assert found(account, "rollout", plural) == expected
    assert found(account, "ROLLÖUT", plural) == expected


@pytest.mark.parametrize(("plural", "create"), [("opportunities", opportunity), ("kases", project)])
def test_records_are_found_by_a_changed_custom_field(account, plural, create):
    customer = party(account, name="Customer")
    source = define(account, plural, "Source")
    record = create(account, customer, name="Audit")
    singular = {"opportunities": "opportunity", "kases": "kase"}[plural]
    body = {singular: {"fields": [{"definition": {"id": source}, "value": "Café Partner"}]}}
    assert account.put(f"/{plural}/{record}", body).status_code == 200
    assert found(account, "cafe partner", plural) == [record]
