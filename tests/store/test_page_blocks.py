"""Pages reached through page blocks are exactly the pages of a plain OFFSET, on both databases,
whatever inserts, deletes and moves between blocks came before (property tests)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pillbox.store import entries, page_blocks, parties, tasks
from pillbox.store.listing import Listing
from pillbox.store.tables.accounts import accounts
from pillbox.store.tables.entries import entries as entry_table
from pillbox.store.tables.page_blocks import page_blocks as block_table
from pillbox.store.tables.parties import parties as party_table
from pillbox.store.tables.tasks import tasks as task_table

BASE_ID = 50_000_000  # far above the ids other tests' rows take
STATUSES = ("OPEN", "COMPLETED", "PENDING")
NOW = "2026-06-01T00:00:00Z"
FIRST_DAY = date(2025, 11, 20)


def _day(number: int) -> str:
    """Days 0-9 are close together (many rows in a block); the others spread out."""
    return (FIRST_DAY + timedelta(days=number if number < 10 else number * 5)).isoformat()


add = st.tuples(
    st.just("add"),
    # ids over several blocks and runs of blocks; days over months and a new year
    st.integers(0, 3 * page_blocks.FANOUT * page_blocks.ID_BLOCK),
    st.integers(0, 90),
    st.integers(0, 2),  # hour: equal times, ordered by id
    st.sampled_from(STATUSES),
    st.booleans(),  # a task with a time or without
)
remove = st.tuples(st.just("remove"), st.integers(0, 10**6))
move = st.tuples(
    st.just("move"), st.integers(0, 10**6), st.integers(0, 90), st.sampled_from(STATUSES)
)
operations = st.lists(st.one_of(add, add, remove, move), max_size=40)


@dataclass
class Account:
    id: int
    ids: list[int] = field(default_factory=list)


def _add(
    conn: sa.Connection,
    account: Account,
    number: int,
    day: int,
    hour: int,
    status: str,
    timed: bool,
) -> None:
    record_id = BASE_ID + number
    if record_id in account.ids:
        return
    account.ids.append(record_id)
    common = {"id": record_id, "account_id": account.id, "created_at": NOW, "updated_at": NOW}
    conn.execute(party_table.insert().values(type="person", **common))
    at = f"{_day(day)}T{hour:02d}:00:00Z"
    conn.execute(
        entry_table.insert().values(type="note", activity_type_id=-1, entry_at=at, **common)
    )
    due = {"due_on": _day(day), "due_time": "09:00:00" if timed else None}
    conn.execute(
        task_table.insert().values(
            description="t", status=status, day_delay_rule="TRACK_DAYS", **due, **common
        )
    )


def _apply(conn: sa.Connection, account: Account, operation: tuple) -> None:
    kind, *values = operation
    if kind == "add":
        _add(conn, account, *values)
        return
    if not account.ids:
        return
    record_id = account.ids[values[0] % len(account.ids)]
    if kind == "remove":
        account.ids.remove(record_id)
        for table in (party_table, entry_table, task_table):
            conn.execute(table.delete().where(table.c.id == record_id))
        return
    day, status = values[1], values[2]
    conn.execute(
        entry_table.update()
        .where(entry_table.c.id == record_id)
        .values(entry_at=f"{_day(day)}T05:00:00Z")
    )
    conn.execute(
        task_table.update()
        .where(task_table.c.id == record_id)
        .values(due_on=_day(day), status=status)
    )


def _plain(conn: sa.Connection, statement: sa.Select, offset: int, limit: int) -> list[int]:
    return list(conn.scalars(statement.limit(limit).offset(offset)))


def _expected(conn: sa.Connection, account_id: int, statuses: tuple[str, ...]) -> dict:
    def mine(table: sa.Table) -> sa.Select:
        return sa.select(table.c.id).where(table.c.account_id == account_id)

    return {
        "parties": mine(party_table).order_by(party_table.c.id),
        "entries": mine(entry_table).order_by(*entries._NEWEST_FIRST),
        "tasks": mine(task_table)
        .where(task_table.c.status.in_(statuses))
        .order_by(*tasks.DUE_ORDER),
    }


def _paged(
    conn: sa.Connection, account_id: int, statuses: tuple[str, ...], offset: int, limit: int
) -> dict:
    listing = Listing(None, offset, limit)
    task_listing = Listing(None, offset, limit, params={"status": [s.lower() for s in statuses]})
    return {
        "parties": parties.page_ids(conn, account_id, listing),
        "entries": entries.page_ids(conn, account_id, listing),
        "tasks": tasks.page_ids(conn, account_id, task_listing),
    }


def _counts_match_rows(conn: sa.Connection, account_id: int) -> None:
    kept = conn.execute(
        sa.select(block_table.c.listing, sa.func.sum(block_table.c.row_count))
        .where(block_table.c.account_id == account_id)
        .group_by(block_table.c.listing)
    ).all()
    counted = {listing: int(total) for listing, total in kept if total}  # level 0 and 1
    actual = {}
    for name, table in (("parties", party_table), ("entries", entry_table)):
        actual[name] = conn.scalar(
            sa.select(sa.func.count()).where(table.c.account_id == account_id)
        )
    for status in STATUSES:
        actual[f"tasks:{status}"] = conn.scalar(
            sa.select(sa.func.count()).where(
                task_table.c.account_id == account_id, task_table.c.status == status
            )
        )
    assert counted == {name: 2 * n for name, n in actual.items() if n}


@pytest.mark.parametrize("anchor_from", [0, 5])
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=operations,
    statuses=st.sampled_from([("OPEN",), ("OPEN", "COMPLETED"), STATUSES]),
    limit=st.integers(1, 7),
)
def test_block_pages_equal_offset_pages(engine, monkeypatch, anchor_from, steps, statuses, limit):
    monkeypatch.setattr(page_blocks, "ANCHOR_FROM", anchor_from)
    with engine.connect() as conn, conn.begin() as transaction:
        account_id = conn.execute(
            accounts.insert().values(name="Paging", created_at=NOW).returning(accounts.c.id)
        ).scalar_one()
        account = Account(account_id)
        for step in steps:
            _apply(conn, account, step)
        _counts_match_rows(conn, account_id)
        expected = _expected(conn, account_id, statuses)
        for offset in range(len(account.ids) + 2):
            found = _paged(conn, account_id, statuses, offset, limit)
            for name, statement in expected.items():
                assert found[name] == _plain(conn, statement, offset, limit), (name, offset)
        transaction.rollback()


def test_counts_follow_an_accounts_rows_as_they_are_deleted(engine):
    with engine.connect() as conn, conn.begin() as transaction:
        account_id = conn.execute(
            accounts.insert().values(name="Gone", created_at=NOW).returning(accounts.c.id)
        ).scalar_one()
        account = Account(account_id)
        for number in range(0, 3000, 150):
            _add(conn, account, number, number % 9 + 1, 0, "OPEN", False)
        _counts_match_rows(conn, account_id)
        conn.execute(party_table.delete().where(party_table.c.account_id == account_id))
        conn.execute(task_table.delete().where(task_table.c.account_id == account_id))
        conn.execute(entry_table.delete().where(entry_table.c.account_id == account_id))
        _counts_match_rows(conn, account_id)
        transaction.rollback()


@pytest.mark.parametrize(
    ("params", "flags", "since", "blocks"),
    [
        ({"status": ("open",), "relatedTo": (), "owner": None}, {"repeating": None}, None, True),
        ({"status": ("open",), "category": 0}, {}, None, False),
        ({"status": ("open",), "owner": 3}, {}, None, False),
        ({"status": ("open",)}, {"repeating": False}, None, False),
        ({"status": ("open",)}, {}, "2026-01-01T00:00:00Z", False),
    ],
    ids=["statuses alone", "category 0", "owner", "not repeating", "since"],
)
def test_only_a_task_list_narrowed_by_status_alone_starts_at_a_block(params, flags, since, blocks):
    listing = Listing(since, 5000, 100, flags=flags, params=params)
    assert tasks._by_status_alone(listing) is blocks


def test_a_status_named_twice_pages_as_if_named_once(engine, monkeypatch):
    """API v1 takes `status=OPEN,OPEN`: its pages, from a page block's anchor too, are OPEN's."""
    monkeypatch.setattr(page_blocks, "ANCHOR_FROM", 0)
    with engine.connect() as conn, conn.begin() as transaction:
        account_id = conn.execute(
            accounts.insert().values(name="Twice", created_at=NOW).returning(accounts.c.id)
        ).scalar_one()
        account = Account(account_id)
        for number in range(12):
            _add(conn, account, number, number, 0, "OPEN", False)
        expected = _expected(conn, account_id, ("OPEN",))["tasks"]
        for offset in (0, 3, 7, 11):
            twice = Listing(None, offset, 2, params={"status": ["open", "OPEN"]})
            assert tasks.page_ids(conn, account_id, twice) == _plain(conn, expected, offset, 2)
        transaction.rollback()
