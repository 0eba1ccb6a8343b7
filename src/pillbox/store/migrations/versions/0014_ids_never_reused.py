"""Ids are never reused: SQLite tables number new rows past every id they ever held.

Revision ID: 0014
Revises: 0013

SQLite gives a new row of an `INTEGER PRIMARY KEY` table the highest id in use plus one, so the
id of a deleted last row came back, while the `/deleted` feeds still listed it. `AUTOINCREMENT`
keeps the highest id ever used (in `sqlite_sequence`) instead. It can only be declared when a
table is created, so each table with an integer `id` is rebuilt, following SQLite's procedure
for schema changes (create the new table, copy, drop, rename, recreate indexes; foreign keys are
off meanwhile, see env.py). A table's counter starts past its highest id and past every id its
deletion tombstones remember. PostgreSQL's sequences never went back: nothing to do there.

Seeded sandbox ids (store/seeded_ids.py) remember the last id handed out in each block, in
`seeded_id_blocks`, for the same reason.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


_ID_COLUMN = re.compile(r"\(\s*id INTEGER NOT NULL,")  # a table's integer id, its first column


def upgrade() -> None:
    op.create_table(
        "seeded_id_blocks",
        sa.Column("block_start", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("block_start", name=op.f("pk_seeded_id_blocks")),
    )
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for name, sql in _tables_with_plain_integer_ids(conn):
        _rebuild_with_autoincrement(conn, name, sql)


def downgrade() -> None:
    # AUTOINCREMENT stays: going back must not make handed-out ids available again.
    op.drop_table("seeded_id_blocks")


def _tables_with_plain_integer_ids(conn: sa.Connection) -> list[tuple[str, str]]:
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'"
    ).all()
    return [
        (name, sql)
        for name, sql in rows
        if _primary_key(name).search(sql) and _ID_COLUMN.search(sql) and "AUTOINCREMENT" not in sql
    ]


def _primary_key(name: str) -> re.Pattern[str]:
    return re.compile(rf",\s*CONSTRAINT pk_{re.escape(name)} PRIMARY KEY \(id\)")


def _rebuild_with_autoincrement(conn: sa.Connection, name: str, sql: str) -> None:
    new_sql = _primary_key(name).sub("", sql, count=1)
    new_sql = _ID_COLUMN.sub(
        f"(\n\tid INTEGER NOT NULL CONSTRAINT pk_{name} PRIMARY KEY AUTOINCREMENT,",
        new_sql,
        count=1,
    )
    header = re.compile(rf'^CREATE TABLE "?{re.escape(name)}"? \(')
    if not header.match(new_sql):
        raise RuntimeError(f"unexpected definition of {name}: {new_sql[:40]}")
    new_sql = header.sub(f"CREATE TABLE _new_{name} (", new_sql, count=1)
    dependents = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')"
        " AND sql IS NOT NULL",
        (name,),
    ).scalars()
    dependents = list(dependents)
    conn.exec_driver_sql(new_sql)
    conn.exec_driver_sql(f"INSERT INTO _new_{name} SELECT * FROM {name}")
    conn.exec_driver_sql(f"DROP TABLE {name}")
    conn.exec_driver_sql(f"ALTER TABLE _new_{name} RENAME TO {name}")
    for statement in dependents:
        conn.exec_driver_sql(statement)
    _start_counter(conn, name)


def _start_counter(conn: sa.Connection, name: str) -> None:
    """The counter starts past the highest id present and every id deleted with a tombstone."""
    highest = conn.exec_driver_sql(
        f"SELECT max(coalesce((SELECT max(id) FROM {name}), 0),"
        " coalesce((SELECT max(record_id) FROM tombstones WHERE entity = ?), 0))",
        (name,),
    ).scalar_one()
    conn.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (name,))
    conn.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, highest))
