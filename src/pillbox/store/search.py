"""Record search over an index, never a table scan; the one dialect-specific module of the store.

Each searchable record type has an index table (`party_search`, `opportunity_search`) holding one
text per record. SQLite: an FTS5 table with the trigram tokenizer (rowid = record id), queried
with MATCH. PostgreSQL: a table with a trigram GIN index, queried with ILIKE. Both give
case-insensitive substring matching and every search term must match; trigram indexes need 3+
characters, so a search made only of 1-2 character terms is the one case that scans the index.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox.store.sql import Query, add_row, delete_rows, run_sql
from pillbox.store.tables import (
    email_addresses,
    kase_search,
    kases,
    opportunities,
    opportunity_search,
    parties,
    party_search,
    phone_numbers,
)

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


def _party_text(conn: sa.Connection, party_id: int) -> str | None:
    party = _NAMES.first(conn, id=party_id)
    if party is None:
        return None
    contacts = _CONTACTS.scalars(conn, id=party_id)
    digits = [re.sub(r"\D", "", text) for text in contacts if "@" not in text]
    parts = [party.first_name, party.last_name, party.name, *contacts, *digits]
    return " ".join(part for part in parts if part)


_OPPORTUNITY_TEXT = Query(
    sa.select(opportunities.c.name, opportunities.c.description).where(
        opportunities.c.id == sa.bindparam("id")
    )
)


def _opportunity_text(conn: sa.Connection, opportunity_id: int) -> str | None:
    row = _OPPORTUNITY_TEXT.first(conn, id=opportunity_id)
    return None if row is None else " ".join(part for part in row if part)


_KASE_TEXT = Query(
    sa.select(kases.c.name, kases.c.description).where(kases.c.id == sa.bindparam("id"))
)


def _kase_text(conn: sa.Connection, kase_id: int) -> str | None:
    row = _KASE_TEXT.first(conn, id=kase_id)
    return None if row is None else " ".join(part for part in row if part)


@dataclass(frozen=True)
class SearchIndex:
    table: sa.Table
    id_column: str
    text_of: Callable[[sa.Connection, int], str | None]  # what a record is found by


PARTIES = SearchIndex(party_search, "party_id", _party_text)  # names, emails, phone numbers
OPPORTUNITIES = SearchIndex(opportunity_search, "opportunity_id", _opportunity_text)
KASES = SearchIndex(kase_search, "kase_id", _kase_text)


def reindex(
    conn: sa.Connection, account_id: int, record_id: int, index: SearchIndex = PARTIES
) -> None:
    """Rewrites the record's index entry from its current text."""
    unindex(conn, record_id, index)
    text = index.text_of(conn, record_id)
    if text is None:
        return
    if conn.dialect.name == "sqlite":
        run_sql(
            conn,
            f"INSERT INTO {index.table.name} (rowid, {index.id_column}, account_id, text) "
            "VALUES (?, ?, ?, ?)",
            (record_id, record_id, account_id, text),
        ).close()
    else:
        values = {index.id_column: record_id, "account_id": account_id, "text": text}
        add_row(conn, index.table, values)


def unindex(conn: sa.Connection, record_id: int, index: SearchIndex = PARTIES) -> None:
    if conn.dialect.name == "sqlite":
        run_sql(conn, f"DELETE FROM {index.table.name} WHERE rowid = ?", (record_id,)).close()
    else:
        delete_rows(conn, index.table, {index.id_column: record_id})


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_ids(
    conn: sa.Connection,
    account_id: int,
    terms: list[str],
    offset: int,
    limit: int,
    index: SearchIndex = PARTIES,
) -> list[int]:
    """Ids of the account's records whose indexed text contains every term, in id order."""
    if not terms:
        return []
    args: Any
    if conn.dialect.name == "sqlite":
        sql, args = _sqlite_search(index, account_id, terms, offset, limit)
    else:
        sql, args = _postgresql_search(index, account_id, terms, offset, limit)
    cursor = run_sql(conn, sql, args)
    try:
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()


def _sqlite_search(
    index: SearchIndex, account_id: int, terms: list[str], offset: int, limit: int
) -> tuple[str, list[Any]]:
    """FTS5 trigram MATCH for terms of 3+ characters (from the index); LIKE for shorter ones.

    FTS5 answers LIKE from its index only without an ESCAPE clause, and a MATCH phrase is
    taken literally, so every term of 3+ characters goes into one MATCH expression.
    """
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    conditions: list[str] = ["account_id = ?"]
    args: list[Any] = [account_id]
    if long_terms:
        conditions.insert(0, f"{index.table.name} MATCH ?")
        args.insert(0, " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
    for term in short_terms:
        conditions.append("text LIKE ? ESCAPE '\\'")
        args.append(_like_pattern(term))
    where = " AND ".join(conditions)
    sql = f"SELECT rowid FROM {index.table.name} WHERE {where} ORDER BY rowid LIMIT ? OFFSET ?"
    return sql, [*args, limit, offset]


def _postgresql_search(
    index: SearchIndex, account_id: int, terms: list[str], offset: int, limit: int
) -> tuple[str, dict[str, Any]]:
    """ILIKE, which pg_trgm's GIN index answers for terms of 3+ characters."""
    conditions = " AND ".join(f"text ILIKE %(term{i})s ESCAPE '\\'" for i in range(len(terms)))
    column = index.id_column
    sql = (
        f"SELECT {column} FROM {index.table.name} WHERE account_id = %(account_id)s AND "
        f"{conditions} ORDER BY {column} LIMIT %(limit)s OFFSET %(offset)s"
    )
    params: dict[str, Any] = {f"term{i}": _like_pattern(t) for i, t in enumerate(terms)}
    return sql, {**params, "account_id": account_id, "limit": limit, "offset": offset}
