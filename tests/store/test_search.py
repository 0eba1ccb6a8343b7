"""Party search is answered from the trigram index on both databases, never a table scan."""

from pillbox.store import search
from pillbox.store.sql import run_sql


def plan(engine, terms):
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            sql, args = search._sqlite_search(1, terms, 0, 10)
            return str(run_sql(conn, f"EXPLAIN QUERY PLAN {sql}", args).fetchall())
        # Tiny test tables make any plan cheap; forbid the plans that do not use an index
        # condition, and the trigram index must be what answers the search terms.
        run_sql(conn, "SET enable_seqscan = off", {}).close()
        run_sql(conn, "SET enable_indexscan = off", {}).close()
        sql, params = search._postgresql_search(1, terms, 0, 10)
        text = str(run_sql(conn, f"EXPLAIN {sql}", params).fetchall())
        conn.rollback()
        return text


def test_search_terms_are_looked_up_in_the_trigram_index(engine):
    found = plan(engine, ["smith", "example"])
    if engine.dialect.name == "sqlite":
        assert "VIRTUAL TABLE INDEX" in found and ":M" in found  # FTS5 MATCH
    else:
        assert "ix_party_search_text_trgm" in found
