"""The store reaches an account's rows only through the account: another account's row is found,
paged, changed and deleted exactly as a missing one (not at all)."""

import pytest

from pillbox.store import task_categories, teams
from pillbox.store.listing import Listing
from pillbox.store.scoped import Scoped
from pillbox.store.tables.task_categories import task_categories as category_table

CATEGORIES = Scoped(category_table)


@pytest.fixture
def categories(engine, account, other_account):
    """One category of each account: (mine, theirs)."""
    with engine.begin() as conn:
        mine = task_categories.create(conn, account.id, "Call", "#ff0000")
        theirs = task_categories.create(conn, other_account.id, "Email", "#00ff00")
    return mine, theirs


def test_find_and_load_of_another_accounts_row_find_nothing(engine, account, categories):
    mine, theirs = categories
    with engine.connect() as conn:
        assert CATEGORIES.find(conn, account.id, mine).name == "Call"
        assert CATEGORIES.find(conn, account.id, theirs) is None
        assert not CATEGORIES.exists(conn, account.id, theirs)
        assert CATEGORIES.load(conn, account.id, [mine, theirs]).keys() == {mine}


def test_pages_hold_only_the_accounts_rows(engine, account, other_account, categories):
    mine, theirs = categories
    with engine.connect() as conn:
        assert CATEGORIES.page_ids(conn, account.id, Listing(None, 0, 10)) == [mine]
        assert CATEGORIES.page_ids(conn, other_account.id, Listing(None, 0, 10)) == [theirs]


def test_update_of_another_accounts_row_changes_nothing(engine, account, other_account, categories):
    _mine, theirs = categories
    with engine.begin() as conn:
        assert CATEGORIES.update(conn, account.id, theirs, {"name": "Taken"}) == 0
        task_categories.update(conn, account.id, theirs, {"name": "Taken"})
    with engine.connect() as conn:
        assert CATEGORIES.find(conn, other_account.id, theirs).name == "Email"


def test_delete_of_another_accounts_row_deletes_nothing(engine, account, other_account, categories):
    _mine, theirs = categories
    with engine.begin() as conn:
        assert CATEGORIES.delete(conn, account.id, theirs) == 0
        task_categories.delete(conn, account.id, theirs)
    with engine.connect() as conn:
        assert CATEGORIES.exists(conn, other_account.id, theirs)


def test_update_and_delete_of_the_accounts_own_row_take_effect(engine, account, categories):
    mine, _theirs = categories
    with engine.begin() as conn:
        assert CATEGORIES.update(conn, account.id, mine, {"name": "Visit"}) == 1
    with engine.connect() as conn:
        assert CATEGORIES.find(conn, account.id, mine).name == "Visit"
    with engine.begin() as conn:
        assert CATEGORIES.delete(conn, account.id, mine) == 1
    with engine.connect() as conn:
        assert not CATEGORIES.exists(conn, account.id, mine)


def test_team_deletion_by_another_account_leaves_the_team(engine, account, other_account):
    with engine.begin() as conn:
        team = teams.create_team(conn, other_account.id, "Sales", [])
        teams.delete_team(conn, account.id, team)
    with engine.connect() as conn:
        assert teams.SCOPED.exists(conn, other_account.id, team)
