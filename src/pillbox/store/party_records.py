"""Records filed on one main party (opportunities, projects): the queries their tables share.

store/opportunities.py and store/kases.py each declare one `PartyRecords` over their table and
keep only what differs: the page loaded with its references joined in, and their own filters.
"""

from collections.abc import Callable, Iterable
from itertools import combinations
from typing import Any

import sqlalchemy as sa

from pillbox.store import page_blocks, search
from pillbox.store.listing import Listing
from pillbox.store.records import tagged
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, id_page, insert_row
from pillbox.store.sql_terms import account_rows_by_id
from pillbox.store.tables.accounts import teams, users
from pillbox.store.tables.parties import parties


class PartyRecords:
    """The account's rows of `table` (its records' tag entity `entity`, their search `index`),
    each on a main party.

    `choices` name the list parameters that select by a column of the same name (a project's
    `status`); a page statement is compiled for every combination of them with `since`.
    """

    def __init__(
        self,
        table: sa.Table,
        entity: str,
        index: search.SearchIndex,
        choices: tuple[str, ...] = (),
    ) -> None:
        self.table = table
        self.entity = entity
        self.index = index
        self.scoped = Scoped(table)
        self._of_party = id_page(table, table.c.party_id == sa.bindparam("party_id"))
        self._seek = id_page(table, table.c.id >= sa.bindparam("start"))  # for page blocks
        self._selectors = ("since", *choices)
        self._pages = {
            subset: id_page(table, *(self._condition(name) for name in subset))
            for subset in _subsets(self._selectors)
        }

    def _condition(self, name: str) -> sa.ColumnElement[bool]:
        if name == "since":
            return self.table.c.updated_at >= sa.bindparam("since")
        return self.table.c[name] == sa.bindparam(name)

    def find(self, conn: sa.Connection, account_id: int, record_id: int) -> Any:
        return self.scoped.find(conn, account_id, record_id)

    def insert(self, conn: sa.Connection, values: dict[str, Any]) -> int:
        return insert_row(conn, self.table, values)

    def update(
        self, conn: sa.Connection, account_id: int, record_id: int, values: dict[str, Any]
    ) -> None:
        self.scoped.update(conn, account_id, record_id, values)

    def delete(self, conn: sa.Connection, account_id: int, record_id: int) -> None:
        self.scoped.delete(conn, account_id, record_id)

    def ids_of_party(self, conn: sa.Connection, account_id: int, party_id: int) -> list[int]:
        """Every record whose main party this is."""
        table = self.table
        query = sa.select(table.c.id).where(
            table.c.account_id == account_id, table.c.party_id == party_id
        )
        return list(conn.scalars(query))

    def party_page_ids(
        self, conn: sa.Connection, account_id: int, party_id: int, offset: int, limit: int
    ) -> list[int]:
        """A page of the records whose main party this is (additional parties are not listed)."""
        return self._of_party.scalars(
            conn, account_id=account_id, party_id=party_id, offset=offset, limit=limit
        )

    def page_ids(self, conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
        """A page of records, changed since `since` and of the choices given, when given."""
        given = {**listing.choices, "since": listing.since}
        subset = tuple(name for name in self._selectors if given.get(name) is not None)
        if not subset:  # the whole list: deep pages start from the block holding them
            plain = self._pages[subset]
            return page_blocks.id_ordered_page(
                conn, self.table.name, account_id, listing.offset, listing.limit, plain, self._seek
            )
        params = {name: given[name] for name in subset}
        query = self._pages[subset]
        return query.scalars(
            conn, account_id=account_id, offset=listing.offset, limit=listing.limit, **params
        )

    def search_ids(
        self, conn: sa.Connection, account_id: int, terms: list[str], offset: int, limit: int
    ) -> list[int]:
        """A page of the records whose search entry holds every term, best match first."""
        return search.search_ids(conn, account_id, terms, offset, limit, self.index)

    def matching_ids(
        self,
        conn: sa.Connection,
        account_id: int,
        conditions: Iterable[sa.ColumnElement[bool]],
        offset: int,
        limit: int,
        among: list[int] | None = None,
    ) -> list[int]:
        """One page, in id order, of the account's records meeting every condition (and
        among `among` when given)."""
        table = self.table
        query = sa.select(table.c.id).where(table.c.account_id == account_id, *conditions)
        if among is not None:
            query = query.where(table.c.id.in_(among))
        return list(conn.scalars(query.order_by(table.c.id).offset(offset).limit(limit)))

    def changed_since(self, since: str) -> sa.ColumnElement[bool]:
        return self.table.c.updated_at >= since

    def tagged(self, account_id: int, tag: str) -> sa.ColumnElement[bool]:
        """Carries the tag of this name (any case)."""
        return self.table.c.id.in_(tagged(account_id, self.entity, tag))


def load_query(
    table: sa.Table,
    columns: Iterable[sa.ColumnElement[Any]],
    joined: Callable[[sa.Join], sa.Join],
) -> Query:
    """The statement loading a page of `table`'s records by id, with the short forms every such
    record shows joined in (owner, team, main party), and `columns` from what `joined` adds."""
    base = (
        table.join(parties, parties.c.id == table.c.party_id)
        .outerjoin(users, users.c.id == table.c.owner_id)
        .outerjoin(teams, teams.c.id == table.c.team_id)
    )
    return Query(
        sa.select(
            table,
            users.c.username.label("owner_username"),
            users.c.name.label("owner_name"),
            users.c.deleted.label("owner_deleted"),
            teams.c.name.label("team_name"),
            parties.c.type.label("party_type"),
            parties.c.first_name.label("party_first_name"),
            parties.c.last_name.label("party_last_name"),
            parties.c.name.label("party_name"),
            *columns,
        )
        .select_from(joined(base))
        .where(account_rows_by_id(table))
    )


def _subsets(names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every subset of `names`, each in the order of `names`."""
    return [subset for size in range(len(names) + 1) for subset in combinations(names, size)]
