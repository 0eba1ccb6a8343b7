"""Filters compiled to SQL: every condition becomes a WHERE clause on the record table, so the
database does the filtering (a record's own columns, or `id IN (…)` over an indexed child table).

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
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement

from pillbox.store.tables import (
    addresses,
    boards,
    email_addresses,
    field_definitions,
    field_values,
    kase_parties,
    kases,
    lost_reasons,
    milestones,
    opportunities,
    opportunity_parties,
    parties,
    phone_numbers,
    pipelines,
    record_tags,
    stages,
    tags,
    tasks,
    teams,
    users,
    websites,
)

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


def _string(expr: Expr, test: Test) -> Condition:
    if test.value is None:
        empty = sa.or_(expr.is_(None), expr == "")
        return empty if test.operator == "is" else sa.not_(empty)
    lowered, value = sa.func.lower(expr), str(test.value).lower()
    patterns = {"starts with": ("", "%"), "ends with": ("%", ""), "contains": ("%", "%")}
    if test.operator in patterns:
        return lowered.like(_like(value, *patterns[test.operator]), escape="\\")
    if test.operator == "is":
        return lowered == value
    return sa.or_(expr.is_(None), lowered != value)


def _number(expr: Expr, test: Test) -> Condition:
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


def _flag(holds: Condition, test: Test) -> Condition:
    wanted = bool(test.value) if test.operator == "is" else not test.value
    return holds if wanted else sa.not_(holds)


def match(expr: Expr, kind: str, test: Test, scope: Scope) -> Condition:
    """The test on one value of the given kind."""
    if kind == "string":
        return _string(expr, test)
    if kind == "number":
        return _number(expr, test)
    if kind in ("date", "time"):
        return _date(expr, test, scope, timestamp=kind == "time")
    return _flag(expr, test)


def _ids(column: Expr, candidates: Any, test: Test) -> Condition:
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


def _member(record_id: Expr, rows: sa.Select[Any], selective: bool) -> Condition:
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
        has = _member(record_id, rows(_present(value, kind)), selective=False)
        return sa.not_(has) if test.operator == "is" else has
    if test.operator == "is not":
        equal = rows(match(value, kind, Test("is", test.value), scope))
        return sa.not_(_member(record_id, equal, selective=True))
    selective = test.operator in SELECTIVE
    return _member(record_id, rows(match(value, kind, test, scope)), selective)


def _child_rows(table: sa.Table) -> Rows:
    return lambda condition: sa.select(table.c.party_id).where(condition)


def _child(table: sa.Table, column: str, kind: str = "string") -> Field:
    rows = _child_rows(table)

    def build(scope: Scope, test: Test) -> Condition:
        return _some(parties.c.id, rows, table.c[column], kind, test, scope)

    return Field(kind, build)


def _has(record_id: Expr, rows: sa.Select[Any]) -> Field:
    """Whether the record has any of `rows` (selecting its id), checked per record."""
    return Field(
        "boolean", lambda scope, test: _flag(_member(record_id, rows, selective=False), test)
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


def _reference(column: Expr, table: sa.Table, *names: str) -> Field:
    def build(scope: Scope, test: Test) -> Condition:
        candidates = None if test.value is None else named(table, test, scope, *names)
        return _ids(column, candidates, test)

    return Field("reference", build)


def _owner(table: sa.Table) -> Field:
    return _reference(table.c.owner_id, users, "username", "name")


def _team(table: sa.Table) -> Field:
    return _reference(table.c.team_id, teams, "name")


def _tags(entity: str, record_id: Expr) -> Field:
    """Tags by id or name (`is`, `is not`), or by the string operators on their names."""

    def build(scope: Scope, test: Test) -> Condition:
        if test.value is None:
            links = sa.select(record_tags.c.record_id).where(record_tags.c.entity == entity)
            tagged_at_all = _member(record_id, links, selective=False)
            return _flag(tagged_at_all, Test(test.operator, False))
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
            chosen = sa.and_(own, _string(tags.c.name, positive))
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
            return _flag(record_id.in_(rows(value == "true")), test)
        return _some(record_id, rows, value, kind, test, scope)

    return Field(kind, build)


# -- parties --------------------------------------------------------------------------------------


def _party_name(table: sa.Table = parties) -> Expr:
    person = sa.func.trim(
        sa.func.coalesce(table.c.first_name, "") + " " + sa.func.coalesce(table.c.last_name, "")
    )
    return sa.case((table.c.type == "person", person), else_=table.c.name)


_organisations = parties.alias("organisation")


def _organisation_field(inner: Field) -> Field:
    """A field of a person's organisation (`org.name`, `org.tag`, `org.custom:N`)."""

    def build(scope: Scope, test: Test) -> Condition:
        negative = test.operator == "is not" and test.value is not None
        positive = Test("is", test.value) if negative else test
        matching = sa.select(parties.c.id).where(
            parties.c.account_id == scope.account_id, inner.build(scope, positive)
        )
        member = parties.c.organisation_id.in_(matching)
        return sa.or_(parties.c.organisation_id.is_(None), sa.not_(member)) if negative else member

    return Field(inner.kind, build)


def _column(expr: Expr, kind: str, choices: tuple[str, ...] = ()) -> Field:
    return Field(kind, lambda scope, test: match(expr, kind, test, scope), choices)


PARTY_FIELDS: dict[str, Field] = {
    "id": _column(parties.c.id, "number"),
    "name": _column(_party_name(), "string"),
    "title": _column(parties.c.title, "string"),
    "jobTitle": _column(parties.c.job_title, "string"),
    "type": _column(parties.c.type, "string", ("person", "organisation")),
    "email": _child(email_addresses, "address"),
    "phone": _child(phone_numbers, "number"),
    "website": _child(websites, "address"),
    "city": _child(addresses, "city"),
    "zip": _child(addresses, "zip"),
    "state": _child(addresses, "state"),
    "country": _child(addresses, "country"),
    "tag": _tags("parties", parties.c.id),
    "owner": _owner(parties),
    "team": _team(parties),
    "hasEmailAddress": _has(parties.c.id, sa.select(email_addresses.c.party_id)),
    "hasPhoneNumber": _has(parties.c.id, sa.select(phone_numbers.c.party_id)),
    "hasAddress": _has(parties.c.id, sa.select(addresses.c.party_id)),
    "hasPeople": _has(
        parties.c.id,
        sa.select(_organisations.c.organisation_id).where(
            _organisations.c.organisation_id.is_not(None)
        ),
    ),
    "hasTags": _has(
        parties.c.id,
        sa.select(record_tags.c.record_id).where(record_tags.c.entity == "parties"),
    ),
    "hasOpenTasks": _has(parties.c.id, sa.select(tasks.c.party_id).where(tasks.c.status == "OPEN")),
    "hasOpportunities": _has(parties.c.id, sa.select(opportunities.c.party_id)),
    "hasCases": _has(parties.c.id, sa.select(kases.c.party_id)),
    "addedOn": _column(parties.c.created_at, "time"),
    "updatedOn": _column(parties.c.updated_at, "time"),
    "lastContactedOn": _column(parties.c.last_contacted_at, "time"),
}
PARTY_FIELDS["org.name"] = _organisation_field(PARTY_FIELDS["name"])
PARTY_FIELDS["org.tag"] = _organisation_field(PARTY_FIELDS["tag"])


# -- opportunities and projects -------------------------------------------------------------------


def _opportunity_status(scope: Scope, test: Test) -> Condition:
    closed = opportunities.c.closed_on.is_not(None)
    states = {
        "open": sa.not_(closed),
        "closed": closed,
        "won": sa.and_(closed, opportunities.c.probability > 0),
        "lost": sa.and_(closed, opportunities.c.probability == 0),
    }
    holds = states[str(test.value).lower()]
    return holds if test.operator == "is" else sa.not_(holds)


def _stale(scope: Scope, test: Test) -> Condition:
    """Open, and longer at its milestone than the milestone's `daysUntilStale`."""
    days = sa.select(milestones.c.days_until_stale).where(
        milestones.c.id == opportunities.c.milestone_id
    )
    since = sa.func.coalesce(opportunities.c.last_stage_changed_at, opportunities.c.created_at)
    last_change = sa.func.substr(since, 1, 10)  # its day, YYYY-MM-DD
    limit = days.scalar_subquery()
    holds = sa.and_(
        opportunities.c.closed_on.is_(None),
        limit.is_not(None),
        _days_after(last_change, limit) < scope.today.isoformat(),
    )
    return _flag(holds, test)


def _days_after(day: Expr, days: Expr) -> Expr:
    """`day` (YYYY-MM-DD text) plus a number of days, as YYYY-MM-DD text, on either database."""
    return _DaysAfter(day, days)


class _DaysAfter(sa.sql.expression.FunctionElement[str]):
    type = sa.String()
    inherit_cache = True
    name = "days_after"


@compiles(_DaysAfter, "sqlite")
def _days_after_sqlite(element: _DaysAfter, compiler: Any, **kw: Any) -> str:
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


@compiles(_DaysAfter, "postgresql")
def _days_after_postgresql(element: _DaysAfter, compiler: Any, **kw: Any) -> str:
    day, days = list(element.clauses)
    return (
        f"to_char(CAST({compiler.process(day, **kw)} AS date) + "
        f"CAST({compiler.process(days, **kw)} AS integer), 'YYYY-MM-DD')"
    )


def _expected_value(scope: Scope, test: Test) -> Condition:
    """A number, or `{"currency", "amount"}` (the amount compared, in that currency)."""
    amount = sa.cast(opportunities.c.value_amount, sa.Numeric)
    if isinstance(test.value, dict):
        in_currency = sa.func.upper(opportunities.c.value_currency) == test.value["currency"]
        return sa.and_(in_currency, _number(amount, Test(test.operator, test.value["amount"])))
    return _number(amount, test)


def _linked_party(main: Expr, links: sa.Table, record_id: Expr, link_column: str) -> Field:
    """A party the record is with: its main party or an additional one."""

    def build(scope: Scope, test: Test) -> Condition:
        if test.value is None:  # every record has a party
            return sa.false() if test.operator == "is" else sa.true()
        party = sa.literal(test.value, sa.Numeric())  # any number: it may be no id at all
        extra = sa.select(links.c[link_column]).where(links.c.party_id == party)
        holds = sa.or_(main == party, record_id.in_(extra))
        return holds if test.operator == "is" else sa.not_(holds)

    return Field("number", build)


def _contact_name(column: Expr) -> Field:
    def build(scope: Scope, test: Test) -> Condition:
        negative = test.operator == "is not" and test.value is not None
        positive = Test("is", test.value) if negative else test
        matching = sa.select(parties.c.id).where(
            parties.c.account_id == scope.account_id, _string(_party_name(), positive)
        )
        return column.not_in(matching) if negative else column.in_(matching)

    return Field("string", build)


def _milestones_of(scope: Scope, test: Test) -> Any:
    return sa.select(milestones.c.id).where(
        milestones.c.pipeline_id.in_(named(pipelines, test, scope, "name"))
    )


def _pipeline(scope: Scope, test: Test) -> Condition:
    candidates = None if test.value is None else _milestones_of(scope, test)
    return _ids(opportunities.c.milestone_id, candidates, test)


def _conversion(scope: Scope, test: Test) -> Condition:
    counted = sa.select(lost_reasons.c.id).where(lost_reasons.c.included_for_conversion.is_(True))
    return _flag(opportunities.c.lost_reason_id.in_(counted), test)


def _open_tasks(column: str) -> sa.Select[Any]:
    return sa.select(tasks.c[column]).where(tasks.c.status == "OPEN")


OPPORTUNITY_FIELDS: dict[str, Field] = {
    "id": _column(opportunities.c.id, "number"),
    "name": _column(opportunities.c.name, "string"),
    "status": Field("string", _opportunity_status, ("open", "closed", "won", "lost")),
    "pipeline": Field("reference", _pipeline),
    "milestone": _reference(opportunities.c.milestone_id, milestones, "name"),
    "probability": _column(opportunities.c.probability, "number"),
    "lostReason": _reference(opportunities.c.lost_reason_id, lost_reasons, "name"),
    "currency": _column(opportunities.c.value_currency, "string"),
    "expectedValue": Field("money", _expected_value),
    "tag": _tags("opportunities", opportunities.c.id),
    "owner": _owner(opportunities),
    "team": _team(opportunities),
    "isOpen": Field(
        "boolean", lambda scope, test: _flag(opportunities.c.closed_on.is_(None), test)
    ),
    "isStale": Field("boolean", _stale),
    "isOwnedByMe": Field(
        "boolean", lambda scope, test: _flag(opportunities.c.owner_id == scope.user_id, test)
    ),
    "hasTags": _has(
        opportunities.c.id,
        sa.select(record_tags.c.record_id).where(record_tags.c.entity == "opportunities"),
    ),
    "hasOpenTasks": _has(opportunities.c.id, _open_tasks("opportunity_id")),
    "includedForConversion": Field("boolean", _conversion),
    "addedOn": _column(opportunities.c.created_at, "time"),
    "updatedOn": _column(opportunities.c.updated_at, "time"),
    "lastContactedOn": _column(opportunities.c.last_contacted_at, "time"),
    "closedOn": _column(opportunities.c.closed_on, "date"),
    "expectedCloseOn": _column(opportunities.c.expected_close_on, "date"),
    "party": _linked_party(
        opportunities.c.party_id, opportunity_parties, opportunities.c.id, "opportunity_id"
    ),
    "primaryContact": _column(opportunities.c.party_id, "number"),
    "primaryContactName": _contact_name(opportunities.c.party_id),
}


def _stages_of(scope: Scope, test: Test) -> Any:
    return sa.select(stages.c.id).where(stages.c.board_id.in_(named(boards, test, scope, "name")))


def _board(scope: Scope, test: Test) -> Condition:
    candidates = None if test.value is None else _stages_of(scope, test)
    return _ids(kases.c.stage_id, candidates, test)


KASE_FIELDS: dict[str, Field] = {
    "id": _column(kases.c.id, "number"),
    "name": _column(kases.c.name, "string"),
    "status": _column(kases.c.status, "string", ("open", "closed")),
    "board": Field("reference", _board),
    "stage": _reference(kases.c.stage_id, stages, "name"),
    "tag": _tags("kases", kases.c.id),
    "owner": _owner(kases),
    "team": _team(kases),
    "isOpen": Field("boolean", lambda scope, test: _flag(kases.c.status == "OPEN", test)),
    "isOwnedByMe": Field(
        "boolean", lambda scope, test: _flag(kases.c.owner_id == scope.user_id, test)
    ),
    "hasTags": _has(
        kases.c.id, sa.select(record_tags.c.record_id).where(record_tags.c.entity == "kases")
    ),
    "hasOpenTasks": _has(kases.c.id, _open_tasks("kase_id")),
    "addedOn": _column(kases.c.created_at, "time"),
    "updatedOn": _column(kases.c.updated_at, "time"),
    "closedOn": _column(kases.c.closed_on, "date"),
    "expectedCloseOn": _column(kases.c.expected_close_on, "date"),
    "startOn": _column(kases.c.start_on, "date"),
    "primaryContact": _column(kases.c.party_id, "number"),
    "primaryContactName": _contact_name(kases.c.party_id),
    "party": _linked_party(kases.c.party_id, kase_parties, kases.c.id, "kase_id"),
}


# -- entities -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    table: sa.Table
    fields: dict[str, Field]
    order: dict[str, Expr]  # orderBy fields


ENTITIES = {
    "parties": Entity(
        parties,
        PARTY_FIELDS,
        {
            "id": parties.c.id,
            "name": sa.func.lower(_party_name()),
            "addedOn": parties.c.created_at,
            "updatedOn": parties.c.updated_at,
            "lastContactedOn": parties.c.last_contacted_at,
        },
    ),
    "opportunities": Entity(
        opportunities,
        OPPORTUNITY_FIELDS,
        {
            "id": opportunities.c.id,
            "name": sa.func.lower(opportunities.c.name),
            "addedOn": opportunities.c.created_at,
            "updatedOn": opportunities.c.updated_at,
            "closedOn": opportunities.c.closed_on,
            "expectedCloseOn": opportunities.c.expected_close_on,
            "probability": opportunities.c.probability,
            "expectedValue": sa.cast(opportunities.c.value_amount, sa.Numeric),
        },
    ),
    "kases": Entity(
        kases,
        KASE_FIELDS,
        {
            "id": kases.c.id,
            "name": sa.func.lower(kases.c.name),
            "addedOn": kases.c.created_at,
            "updatedOn": kases.c.updated_at,
            "closedOn": kases.c.closed_on,
            "expectedCloseOn": kases.c.expected_close_on,
            "startOn": kases.c.start_on,
        },
    ),
}


def field(conn: sa.Connection, account_id: int, entity: str, name: str) -> Field | None:
    """The field a condition names, custom fields (`custom:N`, `org.custom:N`) included."""
    found = ENTITIES[entity].fields.get(name)
    if found is not None:
        return found
    organisation = entity == "parties" and name.startswith("org.")
    key = name[4:] if organisation else name
    prefix, _, number = key.partition(":")
    if prefix != "custom" or not number.isascii() or not number.isdigit() or len(number) > 9:
        return None
    record_id = ENTITIES[entity].table.c.id
    custom = custom_field(conn, account_id, entity, int(number), record_id)
    if custom is None or not organisation:
        return custom
    return _organisation_field(custom)


def page_ids(
    conn: sa.Connection,
    entity: str,
    account_id: int,
    conditions: list[Condition],
    order: list[tuple[str, bool]],
    offset: int,
    limit: int,
) -> list[int]:
    """A page of the ids of the account's records that meet every condition, in `order`
    ((orderBy field, descending) pairs), then by id."""
    described = ENTITIES[entity]
    table = described.table
    sort = [
        described.order[name].desc() if descending else described.order[name].asc()
        for name, descending in order
    ]
    query = (
        sa.select(table.c.id)
        .where(table.c.account_id == account_id, *conditions)
        .order_by(*sort, table.c.id)
        .limit(limit)
        .offset(offset)
    )
    return list(conn.scalars(query))
