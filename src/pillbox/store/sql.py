"""Small SQL building blocks the store modules share."""

from typing import Any

import sqlalchemy as sa


def insert_id(conn: sa.Connection, statement: sa.Insert) -> int:
    """Runs an INSERT of one row and returns the new row's integer primary key."""
    key: Any = conn.execute(statement).inserted_primary_key
    return int(key[0])
