"""GET /parties/duplicates (a Pillbox extension): likely duplicate pairs, found through indexes."""

from typing import Any

import pytest

from pillbox.store.duplicates import PAIR_PAGE
from tests.conftest import Account


def create(account: Account, **party: Any) -> dict[str, Any]:
    response = account.post("/parties", {"party": party})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def person(account: Account, first: str = "Scott", last: str = "Spacey", **extra: Any) -> int:
    return int(create(account, type="person", firstName=first, lastName=last, **extra)["id"])


def pairs(account: Account, query: str = "") -> list[tuple[int, int, str]]:
    response = account.get(f"/parties/duplicates{query}")
    assert response.status_code == 200, response.text
    return [
        (item["parties"][0]["id"], item["parties"][1]["id"], item["reason"])
        for item in response.json()["duplicates"]
    ]


def test_parties_sharing_an_email_address_in_any_case_are_a_pair(account):
    a = person(account, "Ann", "A", emailAddresses=[{"address": "ann@example.com"}])
    b = person(account, "Bob", "B", emailAddresses=[{"address": "ANN@Example.com"}])
    person(account, "Cat", "C", emailAddresses=[{"address": "cat@example.com"}])
    assert pairs(account) == [(a, b, "email")]


def test_parties_sharing_a_phone_number_however_written_are_a_pair(account):
    a = person(account, "Ann", "A", phoneNumbers=[{"number": "+44 (20) 7946-0000"}])
    b = person(account, "Bob", "B", phoneNumbers=[{"number": "44 20 7946 0000"}])
    person(account, "Cat", "C", phoneNumbers=[{"number": "123"}])
    person(account, "Dan", "D", phoneNumbers=[{"number": "1-2-3"}])  # too short to tell
    assert pairs(account) == [(a, b, "phone")]


def test_people_with_the_same_name_in_any_case_are_a_pair(account):
    a = person(account, "Scott", "Spacey")
    b = person(account, "scott", "SPACEY")
    person(account, "Scott", "Other")
    assert pairs(account) == [(a, b, "name")]


def test_a_pair_is_listed_once_under_its_strongest_reason(account):
    a = person(
        account,
        emailAddresses=[{"address": "s@example.com"}],
        phoneNumbers=[{"number": "0113 496 0000"}],
    )
    b = person(
        account,
        emailAddresses=[{"address": "s@example.com"}],
        phoneNumbers=[{"number": "01134960000"}],
    )
    assert pairs(account) == [(a, b, "email")]


def test_a_person_and_an_organisation_are_never_a_pair(account):
    person(account, emailAddresses=[{"address": "info@acme.example"}])
    create(
        account, type="organisation", name="Acme", emailAddresses=[{"address": "info@acme.example"}]
    )
    assert pairs(account) == []


def test_organisations_sharing_an_email_address_are_a_pair(account):
    a = create(
        account, type="organisation", name="Acme", emailAddresses=[{"address": "info@acme.example"}]
    )
    b = create(
        account,
        type="organisation",
        name="Acme Ltd",
        emailAddresses=[{"address": "info@acme.example"}],
    )
    assert pairs(account) == [(a["id"], b["id"], "email")]


def test_another_accounts_parties_are_never_paired(account, other_account):
    person(account, emailAddresses=[{"address": "s@example.com"}])
    person(other_account, emailAddresses=[{"address": "s@example.com"}])
    assert pairs(account) == [] and pairs(other_account) == []


def test_duplicates_are_paged_with_a_link_to_the_next_page(account):
    ids = [person(account) for _ in range(4)]  # six pairs by name
    everything = pairs(account)
    assert everything == [(a, b, "name") for i, a in enumerate(ids) for b in ids[i + 1 :]]
    first = account.get("/parties/duplicates?perPage=4")
    assert first.headers["X-Pagination-Has-More"] == "true"
    assert 'rel="next"' in first.headers["Link"]
    assert pairs(account, "?perPage=4") + pairs(account, "?perPage=4&page=2") == everything
    last = account.get("/parties/duplicates?perPage=4&page=2")
    assert last.headers["X-Pagination-Has-More"] == "false"


def test_duplicates_are_readable_with_a_read_token(account):
    person(account), person(account)
    response = account.get("/parties/duplicates", headers=account.read_headers)
    assert response.status_code == 200 and len(response.json()["duplicates"]) == 1


def test_a_merged_pair_is_no_longer_listed(account):
    a, b = person(account), person(account)
    assert account.post(f"/parties/{a}/merge", {"parties": [{"id": b}]}).status_code == 200
    assert pairs(account) == []


def test_pairs_are_found_through_indexes_not_by_scanning(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("query plans are checked on SQLite")
    sql = str(PAIR_PAGE.statement.compile(dialect=engine.dialect))
    with engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", (1,) * 8)]
    steps = [step for step in plan if step.startswith(("SCAN", "SEARCH"))]
    assert [step for step in steps if step.startswith("SCAN")] == ["SCAN pairs"], plan
    for index in (
        "ix_party_email_addresses_lower_address_party_id",
        "ix_party_phone_numbers_phone_key",
        "ix_parties_person_name_key",
    ):
        assert any(index in step for step in steps), plan
    # No range over an account's parties per row: each match is looked up by its key.
    assert not any("(account_id=? AND id" in step for step in steps), plan
