"""Record search over an index, never a table scan; with the sets of records it finds for filters
(store/search_sets.py), the dialect-specific part of the store.

Each searchable record type has an index table (`party_search`, `opportunity_search`,
`kase_search`): one row per record, its texts in columns ordered by rank (`SearchIndex.columns`):
`names`, then for parties `emails` and `phones` (numbers as written and as digits only), then
`other` (searchable custom field values; for opportunities and projects the description too).
Searchable custom fields are those of the text-like types (`SEARCHED_FIELD_TYPES`).

Texts are stored normalised (`normalise`: accents removed, casefolded, single-spaced) and query
terms are normalised the same way, so search is case- and accent-insensitive on both databases
without any extension. Each value sits on its own line; `names` also starts and ends with a line
break, so that a whole name and the start of a name can be found by substring.

SQLite: an FTS5 table with the trigram tokenizer (rowid = record id; case-sensitive, since the text
is already folded), queried with MATCH, one arm per rank so that a page filled by the best ranks
never reads the other matches (`_ranked_arms`); fewer than 200 matches are ranked together
instead (`_sqlite_search`). PostgreSQL: a table with a trigram GIN index over
its columns joined by spaces, queried with LIKE and sorted by rank. Every term must be found, each
in any column. Trigram indexes need 3+ characters, so a search made only of 1-2 character terms is
the one case that scans the index.

Ranking, best first, ties by id; "the query" is the normalised terms joined by single spaces:
1. a name equals the query;
2. a name starts with the query;
3. a word of a name (text after a space) starts with the query;
4. every term is found in the names;
5+. otherwise the rank of the last column some term needs: each term counts in the first column
   that contains it (parties: 5 emails, 6 phones, 7 other; opportunities and projects: 5 other).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox.store.search_indexes import BY_ENTITY as BY_ENTITY
from pillbox.store.search_indexes import KASES as KASES
from pillbox.store.search_indexes import OPPORTUNITIES as OPPORTUNITIES
from pillbox.store.search_indexes import PARTIES as PARTIES
from pillbox.store.search_indexes import SEARCHED_FIELD_TYPES as SEARCHED_FIELD_TYPES
from pillbox.store.search_indexes import SearchIndex as SearchIndex
from pillbox.store.search_indexes import Texts
from pillbox.store.search_indexes import normalise as normalise
from pillbox.store.search_indexes import party_entry as party_entry
from pillbox.store.search_indexes import record_entry as record_entry
from pillbox.store.sql import Query, add_row, delete_rows, run_sql
from pillbox.store.sql_terms import ids_param
from pillbox.store.tables.records import field_definitions, field_values

# -- writing the index --------------------------------------------------------------------------


def _entry_of(conn: sa.Connection, record_id: int, index: SearchIndex) -> dict[str, str] | None:
    texts: Texts = defaultdict(list)
    for row in index.texts.rows(conn, id=record_id, types=list(SEARCHED_FIELD_TYPES)):
        texts[row.kind].append(row.text)
    return index.entry(texts) if "name" in texts else None


def reindex(
    conn: sa.Connection, account_id: int, record_id: int, index: SearchIndex = PARTIES
) -> None:
    """Rewrites the record's index entry from its current texts."""
    unindex(conn, record_id, index)
    entry = _entry_of(conn, record_id, index)
    if entry is not None:
        index_new(conn, account_id, record_id, entry, index)


def index_new(
    conn: sa.Connection,
    account_id: int,
    record_id: int,
    entry: dict[str, str],
    index: SearchIndex = PARTIES,
) -> None:
    """Writes the index entry of a record just created, whose texts the caller has at hand
    (`party_entry`, `record_entry`): nothing to delete or read back first."""
    if conn.dialect.name == "sqlite":
        columns = ", ".join(index.columns)
        marks = ", ".join("?" for _ in index.columns)
        run_sql(
            conn,
            f"INSERT INTO {index.table.name} (rowid, {index.id_column}, account_id, {columns}) "
            f"VALUES (?, ?, ?, {marks})",
            (record_id, record_id, account_id, *(entry[c] for c in index.columns)),
        ).close()
    else:
        values = {index.id_column: record_id, "account_id": account_id, **entry}
        add_row(conn, index.table, values)


def unindex(conn: sa.Connection, record_id: int, index: SearchIndex = PARTIES) -> None:
    if conn.dialect.name == "sqlite":
        run_sql(conn, f"DELETE FROM {index.table.name} WHERE rowid = ?", (record_id,)).close()
    else:
        delete_rows(conn, index.table, {index.id_column: record_id})


_VALUE_HOLDERS = Query(
    sa.select(field_values.c.entity, field_values.c.record_id, field_definitions.c.account_id)
    .join_from(field_values, field_definitions)
    .where(ids_param(field_values.c.id))
    .distinct()
)


def reindex_value_holders(conn: sa.Connection, value_ids: list[int]) -> None:
    """Reindexes the records holding these field values, whose definition is being deleted.

    Values of deleted definitions are not indexed, so this can run before the values go."""
    holders = _VALUE_HOLDERS.rows(conn, ids=value_ids) if value_ids else []
    for holder in holders:
        reindex(conn, holder.account_id, holder.record_id, BY_ENTITY[holder.entity])


# -- searching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Dialect:
    param: str  # placeholder of a named parameter
    position: str  # function giving where a text occurs in another, 0 if nowhere
    greatest: str  # function giving the greatest of its arguments


_SQLITE = _Dialect(":{}", "instr", "max")
_POSTGRESQL = _Dialect("%({})s", "strpos", "GREATEST")


def search_ids(
    conn: sa.Connection,
    account_id: int,
    terms: list[str],
    offset: int,
    limit: int,
    index: SearchIndex = PARTIES,
) -> list[int]:
    """Ids of the account's records whose index holds every term, best match first."""
    words = normalise(" ".join(terms)).split()
    if not words:
        return []
    search = _sqlite_search if conn.dialect.name == "sqlite" else _postgresql_search
    sql, params = search(index, account_id, words, offset, limit)
    cursor = run_sql(conn, sql, params)
    try:
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()


FEW_MATCHES = 200  # below this many, the matches are found once and ranked all together


def _sqlite_search(
    index: SearchIndex, account_id: int, words: list[str], offset: int, limit: int
) -> tuple[str, dict[str, Any]]:
    """One statement: the records holding every word, found by one MATCH capped at FEW_MATCHES
    (`few`); fewer than that are ranked all together, else the arms of `_ranked_arms` answer.
    A rare query would otherwise repeat its MATCH, the costly part, in every arm."""
    every = " AND ".join(_phrase(w) for w in _distinct(words) if len(w) >= 3)
    if not every:
        return _ranked_arms(index, account_id, words, offset, limit)
    many = "(SELECT COUNT(*) FROM few) >= :cap"
    arms, params = _ranked_arms(index, account_id, words, offset, limit, only_if=many)
    table, checks = index.table.name, _short_word_checks(index.columns, words)
    where = " AND ".join([f"{table} MATCH :every", "account_id = :account_id", *checks])
    rank = _rank(_SQLITE, index.columns, len(_distinct(words)))
    sql = (
        f"WITH few AS MATERIALIZED (SELECT rowid AS id FROM {table} WHERE {where} LIMIT :cap) "
        f"SELECT rowid FROM (SELECT rowid FROM {table} WHERE rowid IN (SELECT id FROM few) "
        f"AND NOT {many} ORDER BY {rank}, rowid LIMIT :limit OFFSET :offset) "
        f"UNION ALL SELECT rowid FROM ({arms})"
    )
    return sql, {**params, "every": every, "cap": FEW_MATCHES}


def _short_word_checks(columns: tuple[str, ...], words: list[str]) -> list[str]:
    """Per word of 1-2 characters (too short for the trigram index): found in some column."""
    found = _finder(_SQLITE)
    return [
        "(" + " OR ".join(found(column, f"t{i}") for column in columns) + ")"
        for i, word in enumerate(_distinct(words))
        if len(word) < 3
    ]


def _ranked_arms(
    index: SearchIndex,
    account_id: int,
    words: list[str],
    offset: int,
    limit: int,
    only_if: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """One arm per rank, in rank order, joined by UNION ALL under the page's LIMIT/OFFSET.

    An arm takes its candidates from an FTS5 MATCH in id order (a MATCH phrase is taken
    literally) and keeps those of its rank, up to the end of the page: SQLite runs the arms
    one after the other and stops once the page is full, so a page filled by the best ranks
    never reads the matches of the others. Words of 1-2 characters are checked row by row.
    Without a word of 3+ characters, ranks 4 and after share one arm that scans the index once
    (a one-character query also scans for ranks 2 and 3, stopping once the page is full).
    `only_if`: a condition on no row; when false, every arm's LIMIT is 0 and it reads nothing.
    """
    table, columns = index.table.name, index.columns
    checks = _short_word_checks(columns, words)
    rank = _rank(_SQLITE, columns, len(_distinct(words)))
    arm_matches = _arm_matches(columns, words)
    name_arms = len(_whole_query_texts(words)) + 1  # the query in the names, then its words
    gate = _names_gate(table, arm_matches[name_arms - 1]) if len(columns) > 1 else None
    arms, matches = [], {}
    for number, match in enumerate(arm_matches, 1):
        tests = [only_if, gate if number <= name_arms else None]
        window = _window([test for test in tests if test is not None])
        conditions = ["account_id = :account_id", *checks]
        if match is None and number > 3:  # this rank and all after it
            conditions.append(f"{rank} >= {number}")
            arms.append(_arm(table, conditions, f"{rank}, rowid", window))
            break
        if match is not None:
            conditions.append(f"{table} MATCH :match{number}")
            matches[f"match{number}"] = match
        conditions.append(f"{rank} = {number}")
        arms.append(_arm(table, conditions, "rowid", window))
    sql = " UNION ALL ".join(arms) + " LIMIT :limit OFFSET :offset"
    params = _params(account_id, words, offset, limit)
    if gate is not None:  # found once, whichever arms ask (a subquery per arm runs per arm)
        params["names_gate"] = arm_matches[name_arms - 1]
        sql = (
            f"WITH names_hit AS MATERIALIZED (SELECT 1 FROM {table} WHERE {table} MATCH "
            f":names_gate AND account_id = :account_id LIMIT 1) {sql}"
        )
    return sql, {**matches, **params, "window": offset + limit}


def _names_gate(table: str, match: str | None) -> str | None:
    """Whether some record holds every word in its names: the arms of the ranks that need the
    names to hold the query (or its words) read nothing when none does. For `113 496`, held
    only by phone numbers, the phrase arms read the long lists of common trigrams for nothing
    (1.6 ms of the query's 2 ms); this test reads them once and stops at the first record."""
    if match is None or not match.startswith("{"):
        return None
    return "EXISTS (SELECT 1 FROM names_hit)"


def _window(tests: list[str]) -> str:
    """An arm's LIMIT: the page's end, or 0 (the arm reads nothing) when a test fails."""
    if not tests:
        return ":window"
    return f"CASE WHEN {' AND '.join(tests)} THEN :window ELSE 0 END"


def _arm(table: str, conditions: list[str], order: str, window: str) -> str:
    where = " AND ".join(conditions)
    return (
        f"SELECT rowid FROM (SELECT rowid FROM {table} WHERE {where} "
        f"ORDER BY {order} LIMIT {window})"
    )


def _arm_matches(columns: tuple[str, ...], words: list[str]) -> list[str | None]:
    """Per rank, an FTS5 query finding every record of that rank among others, which the arm's
    rank test drops (None: no MATCH, the arm scans)."""
    every = " AND ".join(_phrase(w) for w in _distinct(words) if len(w) >= 3) or None
    names = columns[0]
    by_name = [
        f"{names} : {_phrase(text)}" if len(text) >= 3 else every
        for text in _whole_query_texts(words).values()
    ]
    if every is None:
        return [*by_name, *(None for _ in columns)]
    # Every word within the first columns; the last rank has them anywhere.
    within = [f"{{{' '.join(columns[:i])}}} : ({every})" for i in range(1, len(columns))]
    return [*by_name, *within, every]


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _postgresql_search(
    index: SearchIndex, account_id: int, words: list[str], offset: int, limit: int
) -> tuple[str, dict[str, Any]]:
    """LIKE on the columns joined as the trigram index has them (ix_<table>_text_trgm), ranked."""
    joined = " || ' ' || ".join(index.columns)
    distinct = _distinct(words)
    conditions = ["account_id = %(account_id)s"]
    conditions += [f"({joined}) LIKE %(like{i})s ESCAPE '\\'" for i in range(len(distinct))]
    where = " AND ".join(conditions)
    column, rank = index.id_column, _rank(_POSTGRESQL, index.columns, len(distinct))
    sql = (
        f"SELECT {column} FROM {index.table.name} WHERE {where} "
        f"ORDER BY {rank}, {column} LIMIT %(limit)s OFFSET %(offset)s"
    )
    likes = {f"like{i}": _like_pattern(w) for i, w in enumerate(distinct)}
    return sql, {**likes, **_params(account_id, words, offset, limit)}


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _distinct(words: list[str]) -> list[str]:
    """The words each once: what each must be found for (the whole query keeps them all)."""
    return list(dict.fromkeys(words))


def _whole_query_texts(words: list[str]) -> dict[str, str]:
    """What names hold when one equals the query, starts with it, or has a word starting with it."""
    query = " ".join(words)
    return {"exact": f"\n{query}\n", "start": f"\n{query}", "word": f" {query}"}


def _params(account_id: int, words: list[str], offset: int, limit: int) -> dict[str, Any]:
    return {
        "account_id": account_id,
        **_whole_query_texts(words),
        **{f"t{i}": word for i, word in enumerate(_distinct(words))},
        "limit": limit,
        "offset": offset,
    }


def _rank(dialect: _Dialect, columns: tuple[str, ...], words: int) -> str:
    """The rank of the module docstring, as SQL."""
    found = _finder(dialect)
    wholes = " ".join(
        f"WHEN {found(columns[0], whole)} THEN {rank}"
        for rank, whole in enumerate(("exact", "start", "word"), 1)
    )
    tiers = [_word_tier(found, columns, f"t{i}") for i in range(words)]
    return f"CASE {wholes} ELSE 4 + {_greatest(dialect, tiers)} END"


def _greatest(dialect: _Dialect, values: list[str]) -> str:
    """The greatest of the values, nested in groups that SQLite's argument limit (127) allows."""
    if len(values) == 1:
        return values[0]
    if len(values) > 100:
        values = [_greatest(dialect, values[i : i + 100]) for i in range(0, len(values), 100)]
        return _greatest(dialect, values)
    return f"{dialect.greatest}({', '.join(values)})"


def _word_tier(found: Callable[[str, str], str], columns: tuple[str, ...], word: str) -> str:
    """The place (from 0) of the first column holding the word; the row matched, so the last
    column needs no test."""
    whens = " ".join(f"WHEN {found(c, word)} THEN {i}" for i, c in enumerate(columns[:-1]))
    return f"CASE {whens} ELSE {len(columns) - 1} END"


def _finder(dialect: _Dialect) -> Callable[[str, str], str]:
    def found(column: str, param: str) -> str:
        return f"{dialect.position}({column}, {dialect.param.format(param)}) > 0"

    return found
