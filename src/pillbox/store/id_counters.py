"""Where SQLite's next id comes from when rows are written with their ids given.

Tables numbered by an integer `id` are AUTOINCREMENT on SQLite: the highest id a table ever held
is kept in `sqlite_sequence`, and new rows are numbered past it, so the id of a deleted row is
never handed out again. Code that picks ids itself (bulk seeding, forks) starts past the same
counter; inserting rows with higher ids moves the counter on by itself.
"""

import sqlalchemy as sa


def next_sqlite_id(conn: sa.Connection, table: sa.Table) -> int:
    """The first id past every id `table` holds or ever held."""
    highest = conn.exec_driver_sql(
        f"SELECT max(coalesce((SELECT max(id) FROM {table.name}), 0),"
        " coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))",
        (table.name,),
    ).scalar_one()
    return int(highest) + 1
