"""Terms the store's statements share whose SQL differs by database.

A list of ids is one parameter (`ids_param`): an expanded IN list on SQLite, an array for
PostgreSQL's ANY (integers sent as the array's text, see `IntegerArrayText`). `only_checked` keeps
SQLite from choosing an index for a test; `starts_with` is a prefix test an index serves on both.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class _InIds(ColumnElement[bool]):
    inherit_cache = True
    type = sa.Boolean()
    _is_implicitly_boolean = True  # a predicate: no "= 1" appended on SQLite

    def __init__(self, column: sa.ColumnElement[Any], name: str) -> None:
        self.column = column
        self.name = name


@compiles(_InIds, "sqlite")
def _in_ids_sqlite(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    # An expanding IN: Query renders it once per list length (json_each was ~5x slower).
    expanding = element.column.in_(sa.bindparam(element.name, expanding=True))
    return str(compiler.process(expanding, **kw))


class IntegerArrayText(sa.types.TypeDecorator[list[int]]):
    """A list of integers sent to PostgreSQL as the text of an array (`{1,2,3}`), cast there.

    psycopg adapts a Python list element by element in Python (~1 µs an item, a regular
    expression each): 100 ids cost ~100 µs of CPU per statement, a page of parties four such
    statements. The text is one string to send."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> str | None:
        return None if value is None else array_text(value)


def array_text(values: Sequence[int]) -> str:
    """PostgreSQL's text form of an array of integers."""
    return "{" + ",".join(map(str, map(int, values))) + "}"


_INTEGER_ARRAY_TEXT = IntegerArrayText()


@compiles(_InIds, "postgresql")
def _in_ids_postgresql(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    if isinstance(element.column.type, sa.Integer):
        array_type = compiler.dialect.type_compiler_instance.process(element.column.type)
        param = compiler.process(sa.bindparam(element.name, type_=_INTEGER_ARRAY_TEXT), **kw)
        return f"{column} = ANY(CAST({param} AS {array_type}[]))"
    return f"{column} = ANY({compiler.process(sa.bindparam(element.name), **kw)})"


def ids_param(column: sa.ColumnElement[Any], name: str = "ids") -> ColumnElement[bool]:
    """`column IN (the list given as parameter `name`)`, for use in a `Query`."""
    return _InIds(column, name)


class _OnlyChecked(ColumnElement[Any]):
    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]  # noqa: RUF012

    def __init__(self, column: sa.ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


@compiles(_OnlyChecked)
def _only_checked(element: _OnlyChecked, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.column, **kw))


@compiles(_OnlyChecked, "sqlite")
def _only_checked_sqlite(element: _OnlyChecked, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's unary plus: the same value, but no index is used for a term on it.
    return "+" + str(compiler.process(element.column, **kw))


def only_checked(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """`column`, for a test of each row found some other way, never for finding rows.

    Rows loaded by id (`id IN (…)`) are also checked to belong to the account. Given
    `account_id = ? AND id IN (…)`, SQLite chose the index on (account_id, id) and then looked
    each row up by id: two searches a row where the id alone takes one (a page of 100 parties
    0.34-0.60 → 0.29-0.31 ms)."""
    return _OnlyChecked(column)


def account_checked(table: sa.Table) -> ColumnElement[bool]:
    """`account_id = :account_id`, checked on each row the statement finds some other way."""
    return only_checked(table.c.account_id) == sa.bindparam("account_id")


def account_rows_by_id(table: sa.Table) -> ColumnElement[bool]:
    """The rows of `:ids` that belong to `:account_id`: found by id, the account checked."""
    return sa.and_(account_checked(table), ids_param(table.c.id))


class _StartsWith(ColumnElement[bool]):
    inherit_cache = True
    type = sa.Boolean()
    _is_implicitly_boolean = True
    _traverse_internals = [  # noqa: RUF012  # SQLAlchemy's declaration: cache key and binds
        ("matching", InternalTraversal.dp_clauseelement),
        ("ranging", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, text: sa.ColumnElement[str], prefix: str, pattern: str) -> None:
        self.matching = text.like(pattern, escape="\\")
        self.ranging = sa.and_(text >= prefix, text < prefix + _LAST_CHARACTER, self.matching)


_LAST_CHARACTER = "\U0010ffff"  # greater than any character a text holds after the prefix


@compiles(_StartsWith)
def _starts_with(element: _StartsWith, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.matching, **kw))


@compiles(_StartsWith, "sqlite")
def _starts_with_sqlite(element: _StartsWith, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's LIKE never uses an index on an expression; a range of texts does. Texts compare
    # as bytes there, so the range holds exactly the texts starting with the prefix.
    return str(compiler.process(element.ranging, **kw))


def starts_with(text: sa.ColumnElement[str], prefix: str, pattern: str) -> sa.ColumnElement[bool]:
    """`text LIKE pattern` (`pattern`: the prefix escaped, then `%`), which an index on `text`
    serves on SQLite too."""
    return _StartsWith(text, prefix, pattern)
