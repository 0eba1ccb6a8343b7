"""How a filter condition becomes SQL, by the kind of its field: a WHERE clause on the record
table, so the database does the filtering (a record's own columns, or its rows in a child table).

A field has a kind, which fixes its operators and its values (the domain checks those):
string, number, money (a number or `{"currency", "amount"}`), date (a `YYYY-MM-DD` column),
time (a timestamp column, compared by its date), boolean, reference (an id or a name of a
related record) and tag (a reference that also takes the string operators on tag names).

Negative operators match what the positive one does not: `is not` includes records without a
value, and on several values (email addresses, tags) means "none of them is".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from pillbox.store.sql_terms import starts_with
from pillbox.store.tables.accounts import teams, users
from pillbox.store.tables.parties import display_name, parties
from pillbox.store.tables.records import field_definitions, field_values, record_tags, tags

Expr = ColumnElement[Any]
Condition = ColumnElement[bool]

OPERATORS = {
    "string": ("is", "is not", "starts with", "ends with", "contains"),
    "number": ("is", "is not", "is greater than", "is less than"),
    "date": (
        "is",
        "is not",
        "is after",
        "is before",
        "is older than",
        "is within last",
        "is within next",
    ),
    "boolean": ("is", "is not"),
    "reference": ("is", "is not"),
}
OPERATORS["time"] = OPERATORS["date"]
OPERATORS["money"] = OPERATORS["number"]  # a number, or {"currency", "amount"}
OPERATORS["tag"] = OPERATORS["string"]
RELATIVE = ("is older than", "is within last", "is within next")  # take a number of days


@dataclass(frozen=True)
class Test:
    """A checked condition on one field: its operator and its value, of the field's kind."""

    operator: str
    value: Any


@dataclass(frozen=True)
class Scope:
    """Who filters, and when: references resolve within the account; `today` anchors dates."""

    account_id: int
    user_id: int
    today: date


Builder = Callable[[Scope, Test], Condition]


@dataclass(frozen=True)
class Field:
    kind: str
    build: Builder
    choices: tuple[str, ...] = ()  # the values a string field takes (any case), when fixed


# -- one value ------------------------------------------------------------------------------------


def _like(value: str, before: str, after: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{before}{escaped}{after}"


def string_test(expr: Expr, test: Test) -> Condition:
    if test.value is None:
        # In lower case, as an index on the lower-case text has it (the same rows match).
        lowered = sa.func.lower(expr)
        empty = sa.or_(lowered.is_(None), lowered == "")
        return empty if test.operator == "is" else sa.not_(empty)
    lowered, value = sa.func.lower(expr), str(test.value).lower()
    patterns = {"starts with": ("", "%"), "ends with": ("%", ""), "contains": ("%", "%")}
    if test.operator == "starts with":
        return starts_with(lowered, value, _like(value, "", "%"))
    if test.operator in patterns:
        return lowered.like(_like(value, *patterns[test.operator]), escape="\\")
    if test.operator == "is":
        return lowered == value
    return sa.or_(expr.is_(None), lowered != value)


def number_test(expr: Expr, test: Test) -> Condition:
    if test.value is None:
        return expr.is_(None) if test.operator == "is" else expr.is_not(None)
    fits = isinstance(test.value, int) and -(2**31) <= test.value < 2**31
    # Integers that fit compare with integer columns through their indexes; others as decimals.
    value = sa.literal(test.value, sa.Integer() if fits else sa.Numeric())
    if test.operator == "is":
        return expr == value
    if test.operator == "is greater than":
        return expr > value
    if test.operator == "is less than":
        return expr < value
    return sa.or_(expr.is_(None), expr != value)


def _day(day: date, timestamp: bool) -> str:
    return f"{day.isoformat()}T00:00:00Z" if timestamp else day.isoformat()


def _date(expr: Expr, test: Test, scope: Scope, timestamp: bool) -> Condition:
    """Dates compare as ISO text; a timestamp falls on a day when it is in [day, day + 1)."""
    if test.value is None:
        return expr.is_(None) if test.operator == "is" else expr.is_not(None)

    def on_or_after(day: date) -> Condition:
        return expr >= _day(day, timestamp)

    def before(day: date) -> Condition:
        return expr < _day(day, timestamp)

    if test.operator in RELATIVE:
        days, today = int(test.value), scope.today
        if test.operator == "is older than":
            return before(today - timedelta(days=days))
        if test.operator == "is within last":
            return sa.and_(on_or_after(today - timedelta(days=days)), before(today + timedelta(1)))
        return sa.and_(on_or_after(today), before(today + timedelta(days=days + 1)))
    day = date.fromisoformat(test.value)
    on_day = sa.and_(on_or_after(day), before(day + timedelta(1)))
    if test.operator == "is":
        return on_day
    if test.operator == "is after":
        return on_or_after(day + timedelta(1))
    if test.operator == "is before":
        return before(day)
    return sa.or_(expr.is_(None), sa.not_(on_day))


def flag(holds: Condition, test: Test) -> Condition:
    wanted = bool(test.value) if test.operator == "is" else not test.value
    return holds if wanted else sa.not_(holds)


def match(expr: Expr, kind: str, test: Test, scope: Scope) -> Condition:
    """The test on one value of the given kind."""
    if kind == "string":
        return string_test(expr, test)
    if kind == "number":
        return number_test(expr, test)
    if kind in ("date", "time"):
        return _date(expr, test, scope, timestamp=kind == "time")
    return flag(expr, test)


# A party's name as shown (`ix_parties_lower_name` indexes it in lower case).
party_name = display_name


def column_field(expr: Expr, kind: str, choices: tuple[str, ...] = ()) -> Field:
    """A field held in one column of the record's own row."""
    return Field(kind, lambda scope, test: match(expr, kind, test, scope), choices)


def indexed_date_field(table: sa.Table, column: str, kind: str = "time") -> Field:
    """A date of the record's own row, indexed per account: a range of days (every operator
    but `is not` and no value) is the set of ids the index holds for it, so that a filter reads
    a rare range from the index and checks a common one per record (`filters.one_id_set_first`
    chooses by counting)."""
    own = table.alias(f"{table.name}_{column}")

    def build(scope: Scope, test: Test) -> Condition:
        if test.value is None or test.operator == "is not":
            return match(table.c[column], kind, test, scope)
        in_range = match(own.c[column], kind, test, scope)
        return table.c.id.in_(
            sa.select(own.c.id).where(own.c.account_id == scope.account_id, in_range)
        )

    return Field(kind, build)


def ids_test(column: Expr, candidates: Any, test: Test) -> Condition:
    """A reference column against the ids of the records the value names."""
    if test.value is None:
        return column.is_(None) if test.operator == "is" else column.is_not(None)
    if test.operator == "is":
        return column.in_(candidates)
    return sa.or_(column.is_(None), column.not_in(candidates))


# -- several values: rows of a child table --------------------------------------------------------

Rows = Callable[[Condition], sa.Select[Any]]  # (condition on a row) -> the record ids it matches


def _present(expr: Expr, kind: str) -> Condition:
    return sa.and_(expr.is_not(None), expr != "") if kind == "string" else expr.is_not(None)


SELECTIVE = ("is", "starts with")  # found through an index: the few matching rows come first


def member(record_id: Expr, rows: sa.Select[Any], selective: bool) -> Condition:
    """The record has a row among `rows`. A selective test collects the matching rows once
    (an index lookup); any other is checked per record through the child table's record index,
    so a page that fills early stops early."""
    if selective:
        return record_id.in_(rows)
    return rows.where(rows.selected_columns[0] == record_id).exists()


def _some(
    record_id: Expr, rows: Rows, value: Expr, kind: str, test: Test, scope: Scope
) -> Condition:
    """One of the record's rows matches; `is not`: none of them is the value; null: no row."""
    if test.value is None:
        has = member(record_id, rows(_present(value, kind)), selective=False)
        return sa.not_(has) if test.operator == "is" else has
    if test.operator == "is not":
        equal = rows(match(value, kind, Test("is", test.value), scope))
        return sa.not_(member(record_id, equal, selective=True))
    selective = test.operator in SELECTIVE
    return member(record_id, rows(match(value, kind, test, scope)), selective)


def _child_rows(table: sa.Table) -> Rows:
    return lambda condition: sa.select(table.c.party_id).where(condition)


def child_field(table: sa.Table, column: str, kind: str = "string") -> Field:
    rows = _child_rows(table)

    def build(scope: Scope, test: Test) -> Condition:
        return _some(parties.c.id, rows, table.c[column], kind, test, scope)

    return Field(kind, build)


def has_field(record_id: Expr, rows: sa.Select[Any]) -> Field:
    """Whether the record has any of `rows` (selecting its id), checked per record."""
    return Field(
        "boolean", lambda scope, test: flag(member(record_id, rows, selective=False), test)
    )


# -- references by id or name ---------------------------------------------------------------------


def named(table: sa.Table, test: Test, scope: Scope, *names: str) -> sa.Select[Any]:
    """Ids of the account's rows of `table` that the value names: its id, or one of `names`
    (any case)."""
    value = test.value
    if isinstance(value, int) and not isinstance(value, bool):
        chosen: Condition = table.c.id == value
    else:
        wanted = str(value).lower()
        chosen = sa.or_(*(sa.func.lower(table.c[name]) == wanted for name in names))
    return sa.select(table.c.id).where(table.c.account_id == scope.account_id, chosen)


def reference_field(column: Expr, table: sa.Table, *names: str) -> Field:
    def build(scope: Scope, test: Test) -> Condition:
        candidates = None if test.value is None else named(table, test, scope, *names)
        return ids_test(column, candidates, test)

    return Field("reference", build)


def owner_field(table: sa.Table) -> Field:
    return reference_field(table.c.owner_id, users, "username", "name")


def team_field(table: sa.Table) -> Field:
    return reference_field(table.c.team_id, teams, "name")


def tag_field(entity: str, record_id: Expr) -> Field:
    """Tags by id or name (`is`, `is not`), or by the string operators on their names."""

    def build(scope: Scope, test: Test) -> Condition:
        if test.value is None:
            links = sa.select(record_tags.c.record_id).where(record_tags.c.entity == entity)
            tagged_at_all = member(record_id, links, selective=False)
            return flag(tagged_at_all, Test(test.operator, False))
        positive = Test("is" if test.operator == "is not" else test.operator, test.value)
        own = sa.and_(
            tags.c.account_id == scope.account_id,
            tags.c.entity == entity,
            tags.c.deleted_at.is_(None),
        )
        if isinstance(test.value, int) and not isinstance(test.value, bool):
            chosen: Condition = sa.and_(own, tags.c.id == test.value)
        elif positive.operator == "is":  # by the indexed lower-case name
            chosen = sa.and_(own, tags.c.name_key == str(test.value).lower())
        else:
            chosen = sa.and_(own, string_test(tags.c.name, positive))
        # A tag is of one record type, so its links are found by the tag index alone.
        chosen_ids = sa.select(tags.c.id).where(chosen)
        links = sa.select(record_tags.c.record_id).where(record_tags.c.tag_id.in_(chosen_ids))
        tagged = record_id.in_(links)
        return sa.not_(tagged) if test.operator == "is not" else tagged

    return Field("tag", build)


# -- custom fields --------------------------------------------------------------------------------

CUSTOM_KINDS = {
    "text": "string",
    "link": "string",
    "list": "string",
    "multiselectlist": "string",
    "number": "number",
    "date": "date",
    "boolean": "boolean",
}


def custom_field(
    conn: sa.Connection, account_id: int, entity: str, definition_id: int, record_id: Expr
) -> Field | None:
    """`custom:{id}`: one of the account's live field definitions of this record type."""
    definition_type = conn.scalar(
        sa.select(field_definitions.c.type).where(
            field_definitions.c.id == definition_id,
            field_definitions.c.account_id == account_id,
            field_definitions.c.entity == entity,
            field_definitions.c.deleted_at.is_(None),
        )
    )
    if definition_type is None:
        return None
    kind = CUSTOM_KINDS[definition_type]

    def rows(condition: Condition) -> sa.Select[Any]:
        return sa.select(field_values.c.record_id).where(
            field_values.c.entity == entity,
            field_values.c.definition_id == definition_id,
            condition,
        )

    value: Expr = field_values.c.value
    if kind == "number":
        value = sa.cast(value, sa.Numeric)

    def build(scope: Scope, test: Test) -> Condition:
        if kind == "boolean":  # a record without a value counts as false
            return flag(record_id.in_(rows(value == "true")), test)
        return _some(record_id, rows, value, kind, test, scope)

    return Field(kind, build)
