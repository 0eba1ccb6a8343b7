"""Record search is answered from the trigram index on both databases, never a table scan."""

import pytest

from pillbox.store import search
from pillbox.store.sql import run_sql

INDEXES = [search.PARTIES, search.OPPORTUNITIES, search.KASES]


def plan(engine, index, terms):
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            sql, args = search._sqlite_search(index, 1, terms, 0, 10)
            return str(run_sql(conn, f"EXPLAIN QUERY PLAN {sql}", args).fetchall())
        # Tiny test tables make any plan cheap; forbid the plans that do not use an index
        # condition, and the trigram index must be what answers the search terms.
        run_sql(conn, "SET enable_seqscan = off", {}).close()
        run_sql(conn, "SET enable_indexscan = off", {}).close()
        sql, params = search._postgresql_search(index, 1, terms, 0, 10)
        text = str(run_sql(conn, f"EXPLAIN {sql}", params).fetchall())
        conn.rollback()
        return text


@pytest.mark.parametrize("index", INDEXES, ids=[i.table.name for i in INDEXES])
def test_search_terms_are_looked_up_in_the_trigram_index(engine, index):
    found = plan(engine, index, ["smith", "example"])
    if engine.dialect.name == "sqlite":
        assert "VIRTUAL TABLE INDEX" in found and ":M" in found  # FTS5 MATCH
    else:
        assert f"ix_{index.table.name}_text_trgm" in found
