"""Entry pages are answered from indexes on SQLite: a party's entries never walk the account's."""

import pytest
import sqlalchemy as sa

from pillbox.store import entries, sql


def plan(engine, statement) -> str:
    """The plan for the statement as it runs: with bound parameters, which SQLite plans blind."""
    with engine.connect() as conn:
        compiled = statement.compile(conn, compile_kwargs={"render_postcompile": True})
        args = tuple(compiled.params[name] for name in compiled.positiontup)
        return str(conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", args).fetchall())


def last_statements_plan(engine, monkeypatch, run) -> str:
    """The plan of the last statement `run(conn)` ran, with the parameters it ran with."""
    ran = []
    real = sql.run_sql

    def capture(conn, text, args):
        ran.append((text, args))
        return real(conn, text, args)

    monkeypatch.setattr(sql, "run_sql", capture)
    with engine.connect() as conn:
        run(conn)
        text, args = ran[-1]
        return str(conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {text}", tuple(args)).fetchall())


@pytest.fixture
def sqlite_engine(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("query plans are checked on SQLite")
    return engine


def test_a_records_entries_come_from_its_own_index(sqlite_engine, monkeypatch):
    found = last_statements_plan(
        sqlite_engine,
        monkeypatch,
        lambda conn: entries.record_entry_ids(conn, 1, "party_id", 5, 0, 50),
    )
    assert "ix_entries_party_id_entry_at" in found
    assert "ix_entries_account_id_entry_at_id" not in found


def test_loading_a_page_looks_entries_up_by_id(sqlite_engine):
    from pillbox.store.tables.entries import entries as table

    query = sa.select(table.c.id).where(table.c.account_id == 1, table.c.id.in_([1, 2, 3]))
    found = plan(sqlite_engine, query)
    assert "ix_entries_account_id_entry_at_id" not in found  # not every entry of the account
    assert "ix_entries_account_id_id" in found or "INTEGER PRIMARY KEY" in found
