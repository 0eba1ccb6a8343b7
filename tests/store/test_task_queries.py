"""Task pages are read from indexes in due order on SQLite: no sort of the account's tasks."""

import pytest
import sqlalchemy as sa

from pillbox.store import tasks
from pillbox.store.listing import Listing
from tests.store.test_entry_queries import last_statements_plan, plan


@pytest.fixture
def sqlite_engine(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("query plans are checked on SQLite")
    return engine


def page_plan(engine, monkeypatch, **params) -> str:
    listing = Listing(None, 0, 51, params=params)
    return last_statements_plan(engine, monkeypatch, lambda conn: tasks.page_ids(conn, 1, listing))


@pytest.mark.parametrize(
    "params",
    [
        {"status": ("open",)},
        {"status": ("open", "completed")},
        {"status": ("open", "completed"), "dueFrom": "2026-06-01", "category": 2},
        {"status": ("open",), "owner": 1},
    ],
    ids=["open", "two statuses", "filtered", "owner"],
)
def test_task_pages_need_no_sort(sqlite_engine, monkeypatch, params):
    found = page_plan(sqlite_engine, monkeypatch, **params)
    assert "due_on_due_time_id" in found
    assert "TEMP B-TREE" not in found


def test_loading_a_page_looks_tasks_up_by_id(sqlite_engine):
    from pillbox.store.tables.tasks import tasks as table

    query = sa.select(table.c.id).where(table.c.account_id == 1, table.c.id.in_([1, 2, 3]))
    found = plan(sqlite_engine, query)
    assert "updated_at" not in found  # not every task of the account
    assert "ix_tasks_account_id_id" in found or "INTEGER PRIMARY KEY" in found


@pytest.mark.parametrize("link", ["party", "opportunity", "kase"])
def test_a_records_open_tasks_come_from_its_own_index(sqlite_engine, monkeypatch, link):
    listing = Listing(None, 0, 100, params={"status": ["OPEN"]})
    found = last_statements_plan(
        sqlite_engine,
        monkeypatch,
        lambda conn: tasks.record_page_ids(conn, 1, listing, link, 5),
    )
    assert f"ix_tasks_account_id_{link}_id_status_due_on_due_time_id" in found
    assert "TEMP B-TREE" not in found
