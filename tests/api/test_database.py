"""How a request reaches the database (api/database.py): where it runs, and what it survives."""

import asyncio
import sqlite3
from contextlib import closing

import pytest
import sqlalchemy as sa

from pillbox.api.database import Database
from pillbox.store import accounts as accounts_store
from pillbox.store.engine import create_engine
from pillbox.store.tables.accounts import accounts
from pillbox.store.tables.opportunities import milestones
from tests.conftest import run_async


def add_account(conn: sa.Connection, name: str) -> None:
    conn.execute(accounts.insert().values(name=name, created_at="2027-01-01T00:00:00Z"))


def count_accounts(conn: sa.Connection, name: str) -> int:
    return int(conn.scalar(sa.select(sa.func.count()).where(accounts.c.name == name)) or 0)


def backend_pid(conn: sa.Connection) -> int:
    return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def only(backend: str, engine: sa.Engine) -> None:
    if engine.dialect.name != backend:
        pytest.skip(f"{backend} only")


def test_sqlite_write_waits_for_another_process_lock_off_the_event_loop(engine):
    only("sqlite", engine)
    db = Database(engine)

    async def contended() -> None:
        with closing(sqlite3.connect(engine.url.database, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # another worker process holds the write lock
            write = asyncio.create_task(db.write(add_account, "waiting"))
            await asyncio.sleep(0)  # the write starts, finds the lock taken, and waits aside
            # The event loop still serves: a read is answered while the write waits.
            assert await db.read(count_accounts, "waiting") == 0
            assert not write.done()
            other.execute("ROLLBACK")
        await write
        assert await db.read(count_accounts, "waiting") == 1

    run_async(contended())
    db.close()


def committed_elsewhere(engine: sa.Engine, name: str) -> int:
    """The count another connection sees: only what has been committed."""
    with closing(sqlite3.connect(engine.url.database)) as other:
        row = other.execute("SELECT count(*) FROM accounts WHERE name = ?", (name,)).fetchone()
        return int(row[0])


def test_sqlite_write_is_answered_once_its_group_has_committed(engine):
    only("sqlite", engine)
    db = Database(engine)

    async def written() -> None:
        write = asyncio.create_task(db.write(add_account, "grouped"))
        await asyncio.sleep(0)  # the write has run, in a transaction not yet committed
        assert not write.done()
        assert committed_elsewhere(engine, "grouped") == 0
        await write
        assert committed_elsewhere(engine, "grouped") == 1

    run_async(written())
    db.close()


def test_sqlite_writes_of_one_turn_commit_together_and_a_failing_one_alone_is_undone(engine):
    only("sqlite", engine)
    db = Database(engine)

    def add_then_fail(conn: sa.Connection, name: str) -> None:
        add_account(conn, name)
        raise ValueError("a 4xx after a write")

    async def group() -> list[object]:
        return await asyncio.gather(
            db.write(add_account, "first of the group"),
            db.write(add_then_fail, "undone"),
            db.write(add_account, "last of the group"),
            return_exceptions=True,
        )

    first, failed, last = run_async(group())
    assert first is None and last is None
    assert isinstance(failed, ValueError)
    assert committed_elsewhere(engine, "first of the group") == 1
    assert committed_elsewhere(engine, "last of the group") == 1
    assert committed_elsewhere(engine, "undone") == 0
    db.close()


def test_sqlite_read_sees_only_committed_writes_and_leaves_the_group_open(engine):
    only("sqlite", engine)
    db = Database(engine)

    async def read_during_a_group() -> tuple[int, int]:
        write = asyncio.create_task(db.write(add_account, "read during"))
        await asyncio.sleep(0)  # the write has run; its group is not committed yet
        during = await db.read(count_accounts, "read during")
        assert not write.done()
        await write
        return during, await db.read(count_accounts, "read during")

    assert run_async(read_during_a_group()) == (0, 1)
    db.close()


def test_sqlite_connections_leave_statistics_of_the_tables_they_queried_on_close(engine):
    only("sqlite", engine)
    with engine.begin() as conn:
        account_id = accounts_store.create_account(conn, "statistics")  # with its milestones
    db = Database(engine)

    def count_milestones(conn: sa.Connection) -> int:  # a query the planner picks an index for
        query = sa.select(sa.func.count()).where(milestones.c.account_id == account_id)
        return int(conn.scalar(query) or 0)

    assert run_async(db.read(count_milestones)) > 0
    db.close()
    with engine.connect() as conn:
        analysed = conn.exec_driver_sql("SELECT DISTINCT tbl FROM sqlite_stat1").scalars().all()
    assert "milestones" in analysed


def test_postgres_read_may_not_write(engine):
    only("postgresql", engine)
    db = Database(engine)
    with pytest.raises(sa.exc.InvalidRequestError, match="a read may not write"):
        run_async(db.read(add_account, "written in a read"))
    assert run_async(db.read(count_accounts, "written in a read")) == 0


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_postgres_connection_dead_in_the_pool_is_replaced_without_an_error(engine, write):
    only("postgresql", engine)
    url = engine.url.render_as_string(hide_password=False)
    single = create_engine(url, pool_size=1)  # the next call gets the same pooled connection
    db = Database(single)
    pid = run_async(db.read(backend_pid))
    with engine.connect() as admin:
        admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid}, 5000)")
    name = f"after a restart {write}"
    if write:
        run_async(db.write(add_account, name))
    assert run_async(db.read(count_accounts, name)) == (1 if write else 0)
    assert run_async(db.read(backend_pid)) != pid
    db.close()
    single.dispose()


def test_postgres_deadlock_victim_runs_again(engine):
    """A transaction PostgreSQL rolled back to break a deadlock (page counts of two lists taken
    in opposite orders, say) runs again rather than failing the request."""
    only("postgresql", engine)
    db = Database(engine)
    runs: list[int] = []

    def chosen_as_victim_once(conn: sa.Connection, name: str) -> None:
        runs.append(1)
        add_account(conn, name)
        if len(runs) == 1:
            conn.exec_driver_sql(
                "DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = 'deadlock_detected'; END $$"
            )

    run_async(db.write(chosen_as_victim_once, "deadlock victim"))
    assert len(runs) == 2
    assert run_async(db.read(count_accounts, "deadlock victim")) == 1


def test_postgres_other_errors_are_not_run_again(engine):
    only("postgresql", engine)
    db = Database(engine)
    runs: list[int] = []

    def fails(conn: sa.Connection) -> None:
        runs.append(1)
        conn.exec_driver_sql("SELECT 1/0")

    with pytest.raises(sa.exc.DBAPIError):
        run_async(db.write(fails))
    assert len(runs) == 1
