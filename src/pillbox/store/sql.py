"""SQL building blocks the store shares, and the fast path for hot reads.

`Query` compiles a Core statement once per dialect and runs it straight on the DBAPI cursor of
the request's connection. SQLAlchemy's per-execution work (cache keys, execution contexts, result
wrappers) costs 5-10x the query itself on SQLite, so hot reads skip it; the statement is still
written in Core, so both databases get correct SQL from one definition. A list of ids is one
parameter (`ids_param`): a JSON array for SQLite's json_each, an array for PostgreSQL's ANY.
"""

from collections import namedtuple
from collections.abc import Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement


def insert_id(conn: sa.Connection, statement: sa.Insert) -> int:
    """Runs an INSERT of one row and returns the new row's integer primary key."""
    key: Any = conn.execute(statement).inserted_primary_key
    return int(key[0])


class _InIds(ColumnElement[bool]):
    inherit_cache = True
    type = sa.Boolean()
    _is_implicitly_boolean = True  # a predicate: no "= 1" appended on SQLite

    def __init__(self, column: sa.ColumnElement[Any], name: str) -> None:
        self.column = column
        self.name = name


@compiles(_InIds, "sqlite")
def _in_ids_sqlite(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    ids = compiler.process(sa.bindparam(element.name), **kw)
    return f"{column} IN (SELECT value FROM json_each({ids}))"


@compiles(_InIds, "postgresql")
def _in_ids_postgresql(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} = ANY({compiler.process(sa.bindparam(element.name), **kw)})"


def ids_param(column: sa.ColumnElement[Any], name: str = "ids") -> ColumnElement[bool]:
    """`column IN (the list given as parameter `name`)`, for use in a `Query`."""
    return _InIds(column, name)


class Query:
    """A Core SELECT compiled once per dialect, run on the raw cursor, rows as named tuples."""

    def __init__(self, statement: sa.Select[Any]) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[str, Sequence[str] | None, Any, dict[str, Any]]] = {}

    def _compile(
        self, dialect: sa.Dialect
    ) -> tuple[str, Sequence[str] | None, Any, dict[str, Any]]:
        compiled = self.statement.compile(dialect=dialect)
        order = compiled.positiontup if dialect.paramstyle in ("qmark", "numeric") else None
        names = [str(column.key) for column in self.statement.selected_columns]
        row = namedtuple("Row", names, rename=True)  # type: ignore[misc]  # names known at run time
        # Literal values in the statement (e.g. sa.literal("kind")) are parameters too.
        literals = {k: v for k, v in compiled.params.items() if v is not None}
        found = (str(compiled), order, row, literals)
        self._compiled[dialect.name] = found
        return found

    def rows(self, conn: sa.Connection, **params: Any) -> list[Any]:
        dialect = conn.dialect
        sql, order, row, literals = self._compiled.get(dialect.name) or self._compile(dialect)
        params = {**literals, **params}
        if dialect.name == "sqlite":
            for name, value in params.items():
                if isinstance(value, list):
                    params[name] = orjson.dumps(value).decode()
        args: Any = [params[name] for name in order] if order is not None else params
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            if conn.dispatch.before_cursor_execute:  # statement counters and other observers
                conn.dispatch.before_cursor_execute(conn, cursor, sql, args, None, False)
            cursor.execute(sql, args)
            return [row._make(values) for values in cursor.fetchall()]
        finally:
            cursor.close()

    def first(self, conn: sa.Connection, **params: Any) -> Any:
        found = self.rows(conn, **params)
        return found[0] if found else None

    def scalars(self, conn: sa.Connection, **params: Any) -> list[Any]:
        return [values[0] for values in self.rows(conn, **params)]
