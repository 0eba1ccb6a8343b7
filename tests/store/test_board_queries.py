"""A board's columns are counted and totalled from indexes alone on SQLite: no table rows read."""

import sqlalchemy as sa

from pillbox.store import board_views
from tests.store.test_entry_queries import plan, sqlite_engine  # noqa: F401 (a fixture)


def captured_plan(engine, monkeypatch, call) -> str:
    captured = []
    monkeypatch.setattr(sa.Connection, "execute", lambda self, q, *a: captured.append(q) or [])
    with engine.connect() as conn:
        call(conn)
    return plan(engine, captured[0])


def test_a_boards_open_projects_are_counted_per_stage_from_an_index(sqlite_engine, monkeypatch):  # noqa: F811
    found = captured_plan(
        sqlite_engine, monkeypatch, lambda conn: board_views.stage_counts(conn, 1, [1, 2, 3])
    )
    assert "COVERING INDEX ix_kases_account_id_status_stage_id" in found


def test_a_pipelines_values_are_totalled_per_milestone_from_an_index(sqlite_engine, monkeypatch):  # noqa: F811
    found = captured_plan(
        sqlite_engine, monkeypatch, lambda conn: board_views.milestone_totals(conn, 1, [1, 2])
    )
    assert "COVERING INDEX ix_opportunities_value_totals" in found


def test_open_opportunities_are_totalled_at_their_milestones_alone(sqlite_engine, monkeypatch):  # noqa: F811
    wanted = board_views.OpportunityFilter(status=board_views.OPEN)
    found = captured_plan(
        sqlite_engine, monkeypatch, lambda conn: board_views.value_totals(conn, 1, wanted)
    )
    # Looked up at each open milestone, not read across every opportunity of the account.
    assert "ix_opportunities_value_totals (account_id=? AND milestone_id=?" in found
