"""An account's rows of one table, reachable only through the account: scoped by construction.

Every statement `Scoped` builds carries `account_id = :account_id`, and every method takes the
account first, so finding, loading, paging, updating or deleting a row of another account takes
the same path as a missing row. The statements are compiled once per dialect and run on the
DBAPI cursor (store/sql.py), as the hand-written hot paths were.
"""

from typing import Any

import sqlalchemy as sa

from pillbox.store.listing import Listing
from pillbox.store.sql import Query, delete_rows, update_rows
from pillbox.store.sql_terms import account_rows_by_id


class Scoped:
    """`table`'s rows of one account. `conditions` narrow what is found and paged (a user who
    is deleted is not found); `order` is the order of pages (ids ascending by default). Writes
    take the DBAPI fast path unless a column needs SQLAlchemy's type processing (`plain=False`,
    e.g. JSON)."""

    def __init__(
        self,
        table: sa.Table,
        *conditions: sa.ColumnElement[bool],
        order: tuple[sa.ColumnElement[Any], ...] = (),
        plain: bool = True,
    ) -> None:
        self.table = table
        self.plain = plain
        self.conditions = conditions
        mine = table.c.account_id == sa.bindparam("account_id")
        self._find = Query(
            sa.select(table).where(mine, table.c.id == sa.bindparam("id"), *conditions)
        )
        self._load = Query(sa.select(table).where(account_rows_by_id(table), *conditions))
        self._page = Query(
            sa.select(table.c.id)
            .where(mine, *conditions)
            .order_by(*(order or (table.c.id,)))
            .limit(sa.bindparam("limit"))
            .offset(sa.bindparam("offset"))
        )

    def find(self, conn: sa.Connection, account_id: int, row_id: int) -> Any:
        """The account's row with this id, or None (also when another account has it)."""
        return self._find.first(conn, account_id=account_id, id=row_id)

    def exists(self, conn: sa.Connection, account_id: int, row_id: int) -> bool:
        return self.find(conn, account_id, row_id) is not None

    def load(self, conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
        """The account's rows of `ids`, by id (those it has not are left out)."""
        return {row.id: row for row in self._load.rows(conn, account_id=account_id, ids=ids)}

    def page_ids(self, conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
        """One page of the account's ids, in the table's page order."""
        return self._page.scalars(
            conn, account_id=account_id, offset=listing.offset, limit=listing.limit
        )

    def update(
        self, conn: sa.Connection, account_id: int, row_id: int, values: dict[str, Any]
    ) -> int:
        """Changes the account's row with this id; returns how many rows changed (0 or 1)."""
        if self.plain:
            return update_rows(conn, self.table, {"account_id": account_id, "id": row_id}, values)
        statement = self.table.update().where(*self._mine(account_id, row_id)).values(**values)
        return int(conn.execute(statement).rowcount)

    def _mine(self, account_id: int, row_id: int) -> tuple[sa.ColumnElement[bool], ...]:
        return (self.table.c.account_id == account_id, self.table.c.id == row_id)

    def delete(self, conn: sa.Connection, account_id: int, row_id: int) -> int:
        """Deletes the account's row with this id; returns how many rows went (0 or 1)."""
        return delete_rows(conn, self.table, {"account_id": account_id, "id": row_id})
