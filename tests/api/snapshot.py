"""All that is stored for one account, comparable: proves a refused request changed nothing.

Which tables hold an account's rows is read from the schema (store/account_data, which the
sandbox's snapshots use too), so a table added by a later migration is compared without a change
here.
"""

from typing import Any

import sqlalchemy as sa

from pillbox.store import account_data

# Left out of the comparison: what a delivery attempt changes (the worker and the clock move it,
# not a request), and when a tombstone was written (it is compared by what it records).
NOT_COMPARED = {
    "hook_deliveries": frozenset(
        {
            "next_attempt_at",
            "locked_until",
            "response_status",
            "latency_ms",
            "error",
            "created_at",
            "delivered_at",
        }
    ),
    "tombstones": frozenset({"id", "deleted_at"}),
}


def account_snapshot(engine: sa.Engine, account_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Each of the account's tables as its rows, each row as (column, value) pairs, in order."""
    with engine.connect() as conn:
        tables = account_data.read(conn, account_id)
    return {
        name: sorted(
            (
                tuple(
                    (column, value)
                    for column, value in sorted(row.items())
                    if column not in NOT_COMPARED.get(name, ())
                )
                for row in rows
            ),
            key=repr,
        )
        for name, rows in tables.items()
    }
