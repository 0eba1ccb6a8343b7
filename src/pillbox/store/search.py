"""Party search over an index, never a table scan; the one dialect-specific module of the store.

SQLite: an FTS5 table with the trigram tokenizer (rowid = party id), whose LIKE is answered from
the index. PostgreSQL: a table with a trigram GIN index, whose ILIKE is answered from the index.
Both give case-insensitive substring matching; every search term must match.
"""

import functools
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement

from pillbox.store.sql import Query, add_row, delete_rows, run_sql
from pillbox.store.tables import email_addresses, parties, party_search, phone_numbers

_NAMES = Query(
    sa.select(parties.c.first_name, parties.c.last_name, parties.c.name).where(
        parties.c.id == sa.bindparam("id")
    )
)
_CONTACTS = Query(
    sa.union_all(
        sa.select(email_addresses.c.address.label("text")).where(
            email_addresses.c.party_id == sa.bindparam("id")
        ),
        sa.select(phone_numbers.c.number.label("text")).where(
            phone_numbers.c.party_id == sa.bindparam("id")
        ),
    )
    .subquery()
    .select()
)


def _text_of(conn: sa.Connection, party_id: int) -> str | None:
    party = _NAMES.first(conn, id=party_id)
    if party is None:
        return None
    contacts = _CONTACTS.scalars(conn, id=party_id)
    digits = [re.sub(r"\D", "", text) for text in contacts if "@" not in text]
    parts = [party.first_name, party.last_name, party.name, *contacts, *digits]
    return " ".join(part for part in parts if part)


def reindex(conn: sa.Connection, account_id: int, party_id: int) -> None:
    """Rewrites the party's index entry from its current names, emails and phone numbers."""
    unindex(conn, party_id)
    text = _text_of(conn, party_id)
    if text is None:
        return
    if conn.dialect.name == "sqlite":
        run_sql(
            conn,
            "INSERT INTO party_search (rowid, party_id, account_id, text) VALUES (?, ?, ?, ?)",
            (party_id, party_id, account_id, text),
        ).close()
    else:
        add_row(conn, party_search, {"party_id": party_id, "account_id": account_id, "text": text})


def unindex(conn: sa.Connection, party_id: int) -> None:
    if conn.dialect.name == "sqlite":
        run_sql(conn, "DELETE FROM party_search WHERE rowid = ?", (party_id,)).close()
    else:
        delete_rows(conn, party_search, {"party_id": party_id})


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_ids(
    conn: sa.Connection, account_id: int, terms: list[str], offset: int, limit: int
) -> list[int]:
    """Ids of the account's parties whose names, emails or phone numbers contain every term."""
    if not terms:
        return []
    params = {f"term{i}": _like_pattern(term) for i, term in enumerate(terms)}
    return _search_query(len(terms)).scalars(
        conn, account_id=account_id, offset=offset, limit=limit, **params
    )


@functools.cache
def _search_query(term_count: int) -> Query:
    """The search statement for this many terms; FTS5 LIKE on SQLite, ILIKE on PostgreSQL."""
    conditions = [
        _Contains(party_search.c.text, sa.bindparam(f"term{i}")) for i in range(term_count)
    ]
    return Query(
        sa.select(_SearchKey())
        .select_from(party_search)
        .where(party_search.c.account_id == sa.bindparam("account_id"), *conditions)
        .order_by(_SearchKey())
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )


class _SearchKey(ColumnElement[int]):
    """The party id of an index row: rowid in the FTS5 table, party_id in PostgreSQL's."""

    inherit_cache = True
    type = sa.Integer()


class _Contains(ColumnElement[bool]):
    inherit_cache = True
    type = sa.Boolean()
    _is_implicitly_boolean = True  # a predicate: no "= 1" appended on SQLite

    def __init__(self, column: sa.ColumnElement[str], pattern: sa.BindParameter[Any]) -> None:
        self.column = column
        self.pattern = pattern


@compiles(_SearchKey, "sqlite")
def _search_key_sqlite(element: _SearchKey, compiler: SQLCompiler, **kw: Any) -> str:
    return "party_search.rowid"


@compiles(_SearchKey, "postgresql")
def _search_key_postgresql(element: _SearchKey, compiler: SQLCompiler, **kw: Any) -> str:
    return "party_search.party_id"


@compiles(_Contains, "sqlite")
def _contains_sqlite(element: _Contains, compiler: SQLCompiler, **kw: Any) -> str:
    column, pattern = (
        compiler.process(element.column, **kw),
        compiler.process(element.pattern, **kw),
    )
    return f"{column} LIKE {pattern} ESCAPE '\\'"


@compiles(_Contains, "postgresql")
def _contains_postgresql(element: _Contains, compiler: SQLCompiler, **kw: Any) -> str:
    column, pattern = (
        compiler.process(element.column, **kw),
        compiler.process(element.pattern, **kw),
    )
    return f"{column} ILIKE {pattern} ESCAPE '\\'"
