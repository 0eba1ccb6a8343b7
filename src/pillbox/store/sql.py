"""SQL building blocks the store shares, and the fast path for hot reads.

`Query` compiles a Core statement once per dialect and runs it straight on the DBAPI cursor of
the request's connection. SQLAlchemy's per-execution work (cache keys, execution contexts, result
wrappers) costs 5-10x the query itself on SQLite, so hot reads skip it; the statement is still
written in Core, so both databases get correct SQL from one definition. The terms whose SQL
differs by database (a list of ids as one parameter, …) are in `store/sql_terms.py`.
"""

from collections import namedtuple
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from pillbox.store import seeded_ids
from pillbox.store.sql_terms import IntegerArrayText, array_text


def insert_id(conn: sa.Connection, statement: sa.Insert) -> int:
    """Runs an INSERT of one row and returns the new row's integer primary key."""
    if seeded_ids.current() is not None and isinstance(statement.table, sa.Table):
        chosen = seeded_ids.next_id(conn, statement.table)
        if chosen is not None:
            statement = statement.values(id=chosen)
    key: Any = conn.execute(statement).inserted_primary_key
    return int(key[0])


class Query:
    """A Core SELECT compiled once per dialect, run on the raw cursor, rows as named tuples."""

    def __init__(self, statement: sa.Select[Any] | sa.CompoundSelect[Any]) -> None:
        self.statement = statement
        self._row_type: Any = namedtuple(  # type: ignore[misc]  # names known at run time
            "Row", [str(c.key) for c in statement.selected_columns], rename=True
        )
        self._compiled: dict[str, Any] = {}
        self._array_texts: dict[str, tuple[str, ...]] = {}  # per dialect: params sent as text
        self._expanded: dict[tuple[int, ...], tuple[str, list[tuple[str, bool]]]] = {}

    def _compile(self, dialect: sa.Dialect) -> Any:
        compiled = self.statement.compile(dialect=dialect)
        self._array_texts[dialect.name] = tuple(
            name for name, bind in compiled.binds.items() if isinstance(bind.type, IntegerArrayText)
        )
        self._compiled[dialect.name] = compiled
        return compiled

    def _sqlite(self, compiled: Any, params: dict[str, Any]) -> tuple[str, list[Any]]:
        """SQL and positional arguments, the IN lists expanded (the plan cached per lengths)."""
        lengths = tuple(len(v) for v in params.values() if isinstance(v, list))
        plan = self._expanded.get(lengths) or self._plan(compiled, params, lengths)
        sql, order = plan
        args: list[Any] = []
        for name, whole_list in order:
            value = params[name] if name in params else compiled.params[name]
            if whole_list:
                args.extend(value)
            else:
                args.append(value)
        return sql, args

    def _plan(
        self, compiled: Any, params: dict[str, Any], lengths: tuple[int, ...]
    ) -> tuple[str, list[tuple[str, bool]]]:
        """Expands the IN lists once for these lengths; each argument as (param, whether it is
        a whole list, whose items SQLAlchemy numbered `name_1`, `name_2`, … in order)."""
        state = compiled.construct_expanded_state({**compiled.params, **params}, escape_names=False)
        lists = {name for name, value in params.items() if isinstance(value, list)}
        order: list[tuple[str, bool]] = []
        for name in state.positiontup:
            base, _, number = name.rpartition("_")
            if base in lists and number.isdigit():
                if number == "1":
                    order.append((base, True))
            else:
                order.append((name, False))
        plan = self._expanded[lengths] = (state.statement, order)
        return plan

    def tuples(self, conn: sa.Connection, **params: Any) -> list[tuple[Any, ...]]:
        """The rows as the driver gives them, for a hot loop that reads them by position."""
        dialect = conn.dialect
        compiled = self._compiled.get(dialect.name) or self._compile(dialect)
        args: Any
        if dialect.name == "sqlite":
            sql, args = self._sqlite(compiled, params)
        else:
            sql, args = compiled.string, {**compiled.params, **params}
            for name in self._array_texts[dialect.name]:
                args[name] = array_text(args[name])
        cursor = run_sql(conn, sql, args)
        try:
            return cursor.fetchall()  # type: ignore[no-any-return]
        finally:
            cursor.close()

    def rows(self, conn: sa.Connection, **params: Any) -> list[Any]:
        return [self._row_type._make(values) for values in self.tuples(conn, **params)]

    def first(self, conn: sa.Connection, **params: Any) -> Any:
        found = self.rows(conn, **params)
        return found[0] if found else None

    def scalars(self, conn: sa.Connection, **params: Any) -> list[Any]:
        return [values[0] for values in self.rows(conn, **params)]


# -- writes on the same fast path -----------------------------------------------------------------

_WRITES: dict[tuple[Any, ...], tuple[str, Sequence[str] | None]] = {}


def _compiled_write(
    conn: sa.Connection, key: tuple[Any, ...], build: Any
) -> tuple[str, Sequence[str] | None]:
    dialect = conn.dialect
    found = _WRITES.get((dialect.name, *key))
    if found is None:
        compiled = build().compile(dialect=dialect)
        order = compiled.positiontup if dialect.paramstyle in ("qmark", "numeric") else None
        found = _WRITES[(dialect.name, *key)] = (compiled.string, order)
    return found


def _execute(
    conn: sa.Connection, sql: str, order: Sequence[str] | None, params: dict[str, Any]
) -> Any:
    args: Any = [params[name] for name in order] if order is not None else params
    return run_sql(conn, sql, args)


def run_sql(conn: sa.Connection, sql: str, args: Any) -> Any:
    """Runs dialect-specific SQL in the driver's own parameter style; returns the cursor.

    Driver errors are raised as SQLAlchemy's (IntegrityError and so on), as on the Core path.
    """
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    if conn.dispatch.before_cursor_execute:  # statement counters and other observers
        conn.dispatch.before_cursor_execute(conn, cursor, sql, args, None, False)
    dbapi = conn.dialect.loaded_dbapi
    try:
        cursor.execute(sql, args)
    except dbapi.Error as error:
        cursor.close()
        raise sa.exc.DBAPIError.instance(sql, args, error, dbapi.Error) from error
    return cursor


def execute_write(conn: sa.Connection, name: str, statement: Any, params: dict[str, Any]) -> int:
    """Runs a prebuilt INSERT/UPDATE/DELETE (compiled once per dialect under `name`) on the
    driver's cursor; returns how many rows it touched."""
    sql, order = _compiled_write(conn, ("statement", name), lambda: statement)
    cursor = _execute(conn, sql, order, params)
    count = int(cursor.rowcount)
    cursor.close()
    return count


def _prefixed(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}{name}": value for name, value in values.items()}


def insert_row(conn: sa.Connection, table: sa.Table, values: dict[str, Any]) -> int:
    """INSERT one row of plain values (no JSON columns) into a table with an `id`; returns it."""
    sqlite = conn.dialect.name == "sqlite"
    if seeded_ids.current() is not None:
        chosen = seeded_ids.next_id(conn, table)
        if chosen is not None:
            values = {**values, "id": chosen}

    def build() -> Any:
        statement = table.insert().values({k: sa.bindparam(f"v_{k}") for k in values})
        return statement if sqlite else statement.returning(table.c.id)

    sql, order = _compiled_write(conn, ("insert", table.name, *values), build)
    cursor = _execute(conn, sql, order, _prefixed("v_", values))
    try:
        return int(cursor.lastrowid if sqlite else cursor.fetchone()[0])
    finally:
        cursor.close()


def add_row(conn: sa.Connection, table: sa.Table, values: dict[str, Any]) -> None:
    """INSERT one row of plain values into any table."""

    def build() -> Any:
        return table.insert().values({k: sa.bindparam(f"v_{k}") for k in values})

    sql, order = _compiled_write(conn, ("add", table.name, *values), build)
    _execute(conn, sql, order, _prefixed("v_", values)).close()


ROWS_PER_INSERT = 200  # far below either database's limit on parameters per statement


def add_rows(
    conn: sa.Connection, table: sa.Table, names: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT rows of plain values (tuples in the order of `names`) as one multi-row statement
    (one per ROWS_PER_INSERT rows)."""
    for start in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[start : start + ROWS_PER_INSERT]
        key = ("add_rows", table.name, len(chunk), names)
        sql, order = _compiled_write(conn, key, _multi_insert(table, names, len(chunk)))
        args: Any
        if order is not None and _row_major(key, order, names, len(chunk)):
            args = [value for row in chunk for value in row]
        else:
            params = {
                f"v{i}_{k}": v
                for i, row in enumerate(chunk)
                for k, v in zip(names, row, strict=True)
            }
            args = params if order is None else [params[name] for name in order]
        run_sql(conn, sql, args).close()


def _multi_insert(table: sa.Table, names: tuple[str, ...], count: int) -> Any:
    def build() -> Any:
        rows: list[dict[str, Any]] = [
            {k: sa.bindparam(f"v{i}_{k}") for k in names} for i in range(count)
        ]
        return table.insert().values(rows)

    return build


_ROW_MAJOR: dict[tuple[Any, ...], bool] = {}


def _row_major(
    key: tuple[Any, ...], order: Sequence[str], names: tuple[str, ...], count: int
) -> bool:
    """Whether positional parameters go row after row, each row in column order (checked once
    per statement shape), so that arguments can be laid out without naming each one."""
    found = _ROW_MAJOR.get(key)
    if found is None:
        expected = [f"v{i}_{k}" for i in range(count) for k in names]
        found = _ROW_MAJOR[key] = list(order) == expected
    return found


def update_rows(
    conn: sa.Connection, table: sa.Table, where: dict[str, Any], values: dict[str, Any]
) -> int:
    """UPDATE the rows whose columns equal `where`; returns how many."""

    def build() -> Any:
        conditions = [table.c[k] == sa.bindparam(f"w_{k}") for k in where]
        return table.update().where(*conditions).values({k: sa.bindparam(f"v_{k}") for k in values})

    sql, order = _compiled_write(conn, ("update", table.name, *where, "|", *values), build)
    cursor = _execute(conn, sql, order, {**_prefixed("w_", where), **_prefixed("v_", values)})
    count = int(cursor.rowcount)
    cursor.close()
    return count


def delete_rows(conn: sa.Connection, table: sa.Table, where: dict[str, Any]) -> int:
    """DELETE the rows whose columns equal `where`; returns how many."""

    def build() -> Any:
        return table.delete().where(*[table.c[k] == sa.bindparam(f"w_{k}") for k in where])

    sql, order = _compiled_write(conn, ("delete", table.name, *where), build)
    cursor = _execute(conn, sql, order, _prefixed("w_", where))
    count = int(cursor.rowcount)
    cursor.close()
    return count


def id_page(table: sa.Table, *conditions: sa.ColumnElement[bool]) -> Query:
    """One page of an account's record ids in id order: parameters account_id, offset, limit."""
    return Query(
        sa.select(table.c.id)
        .where(table.c.account_id == sa.bindparam("account_id"), *conditions)
        .order_by(table.c.id)
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )
