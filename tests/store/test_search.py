"""Record search is answered from the trigram index on both databases, never a table scan."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pillbox.store import search
from pillbox.store.sql import run_sql

INDEXES = [search.PARTIES, search.OPPORTUNITIES, search.KASES]


def plan(engine, index, words):
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            sql, args = search._sqlite_search(index, 1, words, 0, 10)
            return str(run_sql(conn, f"EXPLAIN QUERY PLAN {sql}", args).fetchall())
        # Tiny test tables make any plan cheap; forbid the plans that do not use an index
        # condition, and the trigram index must be what answers the search terms.
        run_sql(conn, "SET enable_seqscan = off", {}).close()
        run_sql(conn, "SET enable_indexscan = off", {}).close()
        sql, params = search._postgresql_search(index, 1, words, 0, 10)
        text = str(run_sql(conn, f"EXPLAIN {sql}", params).fetchall())
        conn.rollback()
        return text


@pytest.mark.parametrize("index", INDEXES, ids=[i.table.name for i in INDEXES])
def test_search_terms_are_looked_up_in_the_trigram_index(engine, index):
    found = plan(engine, index, ["smith", "example"])
    if engine.dialect.name == "sqlite":
        # The capped MATCH of the few matches, whether any names hold the words (the arms of
        # the names' ranks read nothing when none do), then one arm per rank (3 for the whole
        # query in names, then one per column), each an FTS5 MATCH (":M"); the few are looked
        # up by rowid (":="), never a plain scan of the index.
        assert found.count(":M") == 5 + len(index.columns)
        assert found.count("VIRTUAL TABLE INDEX") == found.count(":M") + found.count(":=")
    else:
        assert f"ix_{index.table.name}_text_trgm" in found


def test_short_words_alone_scan_the_index_once_for_the_ranks_after_names(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("the arms are SQLite's")
    found = plan(engine, search.PARTIES, ["zo", "br"])
    assert found.count(":M") == 3  # the whole query in names: 3+ characters
    assert found.count("VIRTUAL TABLE INDEX 0:'") == 1  # a scan: no MATCH


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Zoë  MÜLLER", "zoe muller"),
        ("Crème Brûlée", "creme brulee"),
        ("Straße", "strasse"),
        ("Søren Łukasz Æsir", "soren lukasz aesir"),
        ("İstanbul", "istanbul"),
        ("ﬁne\tline\nbreak", "fine line break"),
    ],
)
def test_texts_are_indexed_accent_and_case_folded(text, normalised):
    assert search.normalise(text) == normalised


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_plain_ascii_is_normalised_as_any_text_is(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    assert search.normalise(text) == " ".join(bare.split())


def test_a_party_is_indexed_by_rank_columns():
    entry = search.party_entry(
        "Zoë", "Müller", None, ["Zoe@Example.com"], ["+44 (0)20 7946 0018"], ["Bärbel"]
    )
    assert entry == {
        "names": "\nzoe\nmuller\nzoe muller\n",
        "emails": "zoe@example.com",
        "phones": "+44 (0)20 7946 0018\n4402079460018",
        "other": "barbel",
    }


def test_the_full_text_indexes_merge_segments_as_writes_come(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("FTS5 is SQLite's")
    with engine.connect() as conn:
        for index in INDEXES:
            table = index.table.name
            found = run_sql(conn, f"SELECT v FROM {table}_config WHERE k = 'automerge'", ())
            assert found.fetchone() == (2,)
            found.close()
