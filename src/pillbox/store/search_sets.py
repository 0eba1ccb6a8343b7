"""The records whose search index texts hold a text: a set of ids a filter can read first.

`contains` and `ends with` on a party's name or email addresses have no ordinary index to use;
the search index (store/search.py) holds the same texts, folded, under a trigram index. The set
it finds is a superset of what the exact test selects (folding merges accents, case and spaces),
so it only ever narrows: `filters.one_id_set_first` reads it first while it is small and leaves
it out when it is not. Dialect-specific, as the search itself: a trigram phrase of one column
on SQLite's FTS5 table, the trigram `LIKE` over the columns joined on PostgreSQL.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from pillbox.store.search import PARTIES, SearchIndex, normalise

# Marks a set of ids that holds every record a condition beside it selects, and others: a filter
# may read it first when it is small and drop it when it is not (`filters.one_id_set_first`).
SUPERSET = "pillbox_superset"


class _Holds(sa.sql.expression.ColumnElement[bool]):
    """An index row's `column` holds `text` (normalised, free of pattern characters)."""

    inherit_cache = True
    type = sa.Boolean()
    _is_implicitly_boolean = True
    _traverse_internals = [  # noqa: RUF012  # SQLAlchemy's declaration: cache key and binds
        ("table", sa.sql.visitors.InternalTraversal.dp_string),
        ("column", sa.sql.visitors.InternalTraversal.dp_string),
        ("text", sa.sql.visitors.InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, index: SearchIndex, column: str, text: str) -> None:
        self.index = index
        self.table = index.table.name
        self.column = column
        self.text = sa.bindparam(None, text, sa.String)


@compiles(_Holds, "sqlite")
def _holds_sqlite(element: _Holds, compiler: Any, **kw: Any) -> str:
    # A phrase of the text's trigrams in the column: found from the index alone (GLOB would read
    # every candidate's texts to check it).
    text = compiler.process(element.text, **kw)
    phrase = f"'{element.column} : \"' || replace({text}, '\"', '\"\"') || '\"'"
    return f"{element.table} MATCH ({phrase})"


@compiles(_Holds, "postgresql")
def _holds_postgresql(element: _Holds, compiler: Any, **kw: Any) -> str:
    # Any column: the trigram index is over them all joined, as the search queries them.
    joined = " || ' ' || ".join(f"{element.table}.{c}" for c in element.index.columns)
    return f"({joined}) LIKE ('%%' || {compiler.process(element.text, **kw)} || '%%')"


class _RecordId(sa.sql.expression.ColumnElement[int]):
    """An index row's record id: on SQLite its rowid, read without its stored texts."""

    inherit_cache = True
    type = sa.Integer()
    _traverse_internals = [  # noqa: RUF012  # SQLAlchemy's declaration: cache key and binds
        ("column", sa.sql.visitors.InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: sa.ColumnElement[int]) -> None:
        self.column = column

    @property
    def _from_objects(self) -> list[Any]:
        return self.column._from_objects


@compiles(_RecordId)
def _record_id(element: _RecordId, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.column, **kw))


@compiles(_RecordId, "sqlite")
def _record_id_sqlite(element: _RecordId, compiler: Any, **kw: Any) -> str:
    return f"{element.column.table.name}.rowid"


_PATTERN_CHARACTERS = frozenset("%_\\")  # LIKE's, which PostgreSQL's test would have to escape


def records_holding(
    record_id: sa.ColumnElement[int], column: str, text: str, index: SearchIndex = PARTIES
) -> sa.ColumnElement[bool] | None:
    """`record_id IN (the records whose indexed `column` holds `text`)`, found through the
    trigram index; None when the index cannot find it (under 3 characters, or a character
    that patterns treat specially). The index holds texts normalised, so the set has every
    record whose text contains `text` in any case, and maybe more (accents and spacing are
    folded): a condition beside it must test the text itself."""
    folded = normalise(text)
    if len(folded) < 3 or _PATTERN_CHARACTERS & set(folded):
        return None
    record = _RecordId(index.table.c[index.id_column])
    rows = sa.select(record).select_from(index.table).where(_Holds(index, column, folded))
    return record_id.in_(rows.execution_options(**{SUPERSET: True}))
