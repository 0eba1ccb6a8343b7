"""Party filters are answered from indexes on SQLite: the rows a condition selects are found by
an index lookup (a tag's records from the index alone), never by scanning a table."""

from datetime import date

import pytest
import sqlalchemy as sa

from pillbox.store import filter_kinds as kinds
from pillbox.store import filters
from pillbox.store.tables.parties import parties
from tests.store.test_entry_queries import plan

SCOPE = kinds.Scope(account_id=1, user_id=1, today=date(2026, 6, 1))


@pytest.fixture
def sqlite_engine(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("query plans are checked on SQLite")
    return engine


def filter_plan(engine, *conditions: tuple[str, str, object]) -> list[str]:
    tests = [
        filters.PARTY_FIELDS[name].build(SCOPE, kinds.Test(operator, value))
        for name, operator, value in conditions
    ]
    query = (
        sa.select(parties.c.id)
        .where(parties.c.account_id == 1, *tests)
        .order_by(parties.c.id)
        .limit(51)
    )
    return [
        step.strip()
        for step in plan(engine, query).split("'")
        if "SEARCH" in step or "SCAN" in step
    ]


def test_the_benchmarks_three_conditions_read_tags_and_cities_from_indexes(sqlite_engine):
    steps = filter_plan(
        sqlite_engine,
        ("type", "is", "person"),
        ("tag", "is", "Newsletter"),
        ("city", "is", "Leeds"),
    )
    assert (
        "SEARCH record_tags USING COVERING INDEX ix_record_tags_tag_id_record_id (tag_id=?)"
        in steps
    )
    city = "SEARCH party_addresses USING INDEX ix_party_addresses_lower_city_party_id (<expr>=?)"
    assert city in steps
    assert not [step for step in steps if step.startswith("SCAN")]


@pytest.mark.parametrize(
    ("field", "index"),
    [
        (
            "email",
            "party_email_addresses USING INDEX ix_party_email_addresses_lower_address_party_id",
        ),
        ("city", "party_addresses USING INDEX ix_party_addresses_lower_city_party_id"),
        ("zip", "party_addresses USING INDEX ix_party_addresses_lower_zip_party_id"),
        ("state", "party_addresses USING INDEX ix_party_addresses_lower_state_party_id"),
        ("country", "party_addresses USING INDEX ix_party_addresses_lower_country_party_id"),
        ("phone", "party_phone_numbers USING INDEX ix_party_phone_numbers_lower_number_party_id"),
        ("website", "party_websites USING INDEX ix_party_websites_lower_address_party_id"),
    ],
)
@pytest.mark.parametrize("operator", ["is", "starts with"])
def test_a_partys_texts_are_looked_up_in_their_lower_case_index(
    sqlite_engine, field, index, operator
):
    steps = filter_plan(sqlite_engine, (field, operator, "Leeds"))
    assert any(step.startswith(f"SEARCH {index}") for step in steps), steps
    assert not [step for step in steps if step.startswith("SCAN")], steps


@pytest.mark.parametrize(
    "conditions",
    [
        [("tag", "is", "Newsletter")],
        [("org.tag", "is", "Newsletter")],
        [("hasTags", "is", True)],
        [("type", "is", "organisation"), ("owner", "is", 1)],
        [("id", "is greater than", 5)],
        [("name", "is", "emma walker")],
        [("name", "starts with", "emm")],
        [("name", "is", None)],
        [("org.name", "starts with", "harbour")],
        [("addedOn", "is within last", 30)],
        [("lastContactedOn", "is", "2026-05-01")],
    ],
    ids=[
        "tag",
        "org.tag",
        "hasTags",
        "type and owner",
        "id",
        "name",
        "name starts",
        "no name",
        "org.name",
        "added",
        "contacted",
    ],
)
def test_other_party_filters_use_indexes_and_no_table_scan(sqlite_engine, conditions):
    steps = filter_plan(sqlite_engine, *conditions)
    assert steps and not [step for step in steps if step.startswith("SCAN")], steps


@pytest.mark.parametrize(
    ("conditions", "index"),
    [
        ([("name", "is", "emma walker")], "parties USING INDEX ix_parties_lower_name"),
        (
            [("org.name", "starts with", "harbour")],
            "parties USING INDEX ix_parties_lower_name",
        ),
        (
            [("addedOn", "is within last", 30)],
            "parties_created_at USING COVERING INDEX ix_parties_account_id_created_at",
        ),
        (
            [("lastContactedOn", "is before", "2026-01-01")],
            "parties_last_contacted_at USING COVERING INDEX "
            "ix_parties_account_id_last_contacted_at",
        ),
        # The full-text index, by MATCH (`M`): the one scan of a virtual table is its lookup.
        ([("name", "contains", "ford")], "party_search VIRTUAL TABLE INDEX 0:M"),
        ([("email", "ends with", "example.net")], "party_search VIRTUAL TABLE INDEX 0:M"),
    ],
    ids=["name", "org.name", "added", "contacted", "name contains", "email ends"],
)
def test_names_dates_and_texts_within_are_found_through_an_index(sqlite_engine, conditions, index):
    steps = filter_plan(sqlite_engine, *conditions)
    assert any(
        step.startswith(f"SEARCH {index}") or step.startswith(f"SCAN {index}") for step in steps
    ), steps


def _city(account) -> str:
    """A city of this account's alone: a child table's rows are counted across accounts."""
    return f"Leeds {account.id}"


def _people(account, count: int, *, tagged: bool, in_leeds: bool) -> list[int]:
    body: dict = {"type": "person", "lastName": "Filtered"}
    if tagged:
        body["tags"] = [{"name": "Newsletter"}]
    if in_leeds:
        body["addresses"] = [{"city": _city(account)}]
    return [account.post("/parties", {"party": body}).json()["party"]["id"] for _ in range(count)]


def _tag_and_city(account) -> list:
    scope = kinds.Scope(account_id=account.id, user_id=account.user_id, today=date(2026, 6, 1))
    return [
        filters.PARTY_FIELDS["tag"].build(scope, kinds.Test("is", "Newsletter")),
        filters.PARTY_FIELDS["city"].build(scope, kinds.Test("is", _city(account))),
    ]


def _page(conn, account, conditions) -> list[int]:
    query = (
        sa.select(parties.c.id)
        .where(parties.c.account_id == account.id, *conditions)
        .order_by(parties.c.id)
    )
    return list(conn.scalars(query))


@pytest.mark.parametrize("rarer", ["city", "tag"])
def test_of_two_sets_of_ids_the_smaller_is_read_and_the_other_checked_per_party(
    sqlite_engine, account, rarer
):
    both = _people(account, 2, tagged=True, in_leeds=True)
    _people(account, 9, tagged=rarer == "city", in_leeds=rarer == "tag")
    conditions = _tag_and_city(account)
    with sqlite_engine.connect() as conn:
        arranged = filters.one_id_set_first(conn, parties.c.id, conditions)
        kept = 1 if rarer == "city" else 0
        assert arranged[kept] is conditions[kept]
        assert arranged[1 - kept] is not conditions[1 - kept]
        assert _page(conn, account, arranged) == _page(conn, account, conditions) == both
    steps = [
        step.strip()
        for step in plan(
            sqlite_engine, sa.select(parties.c.id).where(parties.c.account_id == 1, *arranged)
        ).split("'")
        if "SEARCH" in step
    ]
    probe = (
        "SEARCH record_tags USING COVERING INDEX ix_record_tags_tag_id_record_id "
        "(tag_id=? AND record_id=?)"
        if rarer == "city"
        else "SEARCH party_addresses USING INDEX ix_party_addresses_lower_city_party_id "
        "(<expr>=? AND party_id=?)"
    )
    assert probe in steps, steps


def test_a_single_set_of_ids_is_left_as_it_is(sqlite_engine, account):
    conditions = _tag_and_city(account)[:1]
    with sqlite_engine.connect() as conn:
        assert filters.one_id_set_first(conn, parties.c.id, conditions) == conditions


def test_on_postgresql_the_check_per_party_is_kept_from_being_joined_back(engine, account):
    if engine.dialect.name != "postgresql":
        pytest.skip("the fence is PostgreSQL's")
    both = _people(account, 2, tagged=True, in_leeds=True)
    _people(account, 9, tagged=True, in_leeds=False)
    conditions = _tag_and_city(account)
    with engine.connect() as conn:
        arranged = filters.one_id_set_first(conn, parties.c.id, conditions)
        assert arranged[1] is conditions[1]  # Leeds, the smaller set, drives
        checked = str(arranged[0].compile(dialect=engine.dialect))
        assert checked.startswith("EXISTS (SELECT") and "OFFSET" in checked, checked
        assert _page(conn, account, arranged) == _page(conn, account, conditions) == both


def _scope(account) -> kinds.Scope:
    return kinds.Scope(account_id=account.id, user_id=account.user_id, today=date(2026, 6, 1))


def test_in_id_order_a_large_set_of_ids_is_checked_per_party(engine, account, monkeypatch):
    monkeypatch.setattr(filters, "_COUNT_CAPS", (3, 100_000))  # 3 ids make a set large
    both = _people(account, 4, tagged=True, in_leeds=True)
    _people(account, 2, tagged=False, in_leeds=True)
    city = _tag_and_city(account)[1:]
    with engine.connect() as conn:
        arranged = filters.one_id_set_first(conn, parties.c.id, city, in_id_order=True)
        checked = str(arranged[0].compile(dialect=engine.dialect))
        assert checked.startswith("EXISTS (SELECT"), checked
        # Ordered otherwise, a page must read every matching party anyway: the set is collected.
        assert filters.one_id_set_first(conn, parties.c.id, city) == city
        assert _page(conn, account, arranged) == _page(conn, account, city)
        assert set(both) <= set(_page(conn, account, arranged))


def _named(account, count: int, last_name: str) -> list[int]:
    body = {"party": {"type": "person", "firstName": "Zoë", "lastName": last_name}}
    return [account.post("/parties", body).json()["party"]["id"] for _ in range(count)]


def test_texts_within_are_read_from_the_search_index_while_few(engine, account, monkeypatch):
    rare = f"Qx{account.id}zz"
    wanted = _named(account, 2, f"{rare}son")
    _named(account, 2, "Other")
    test = filters.PARTY_FIELDS["name"].build(_scope(account), kinds.Test("contains", rare))
    with engine.connect() as conn:
        arranged = filters.one_id_set_first(conn, parties.c.id, [test], in_id_order=True)
        assert len(arranged) == 2  # the parties the index holds it for, and the name's test
        assert "party_search" in str(arranged[0].compile(dialect=engine.dialect))
        assert _page(conn, account, arranged) == _page(conn, account, [test]) == wanted

        # Held by many, the index's set is left out: the name's test alone walks the parties.
        monkeypatch.setattr(filters, "_COUNT_CAPS", (2, 100_000))
        arranged = filters.one_id_set_first(conn, parties.c.id, [test], in_id_order=True)
        assert "party_search" not in " ".join(
            str(condition.compile(dialect=engine.dialect)) for condition in arranged
        )
        assert _page(conn, account, arranged) == wanted


def test_the_sizes_of_a_filters_sets_are_counted_once_a_minute(engine, account, monkeypatch):
    _people(account, 2, tagged=True, in_leeds=True)
    conditions = _tag_and_city(account)
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    clock = [1000.0]
    monkeypatch.setattr(filters.time, "monotonic", lambda: clock[0])
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        with engine.connect() as conn:
            first = filters.one_id_set_first(conn, parties.c.id, conditions)
            assert len(statements) == 1  # the sets counted
            again = filters.one_id_set_first(conn, parties.c.id, conditions)
            assert len(statements) == 1  # the sizes remembered: the same arrangement
            assert [str(c) for c in again] == [str(c) for c in first]
            clock[0] += 61
            filters.one_id_set_first(conn, parties.c.id, conditions)
            assert len(statements) == 2  # a minute on, counted again
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
