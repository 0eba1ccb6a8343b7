"""Filters: what each entity can be filtered and ordered by (its fields are in
`party_filters`, `record_filters` and `activity_filters`, each compiled by `filter_kinds`), a
page of the records that meet a filter's conditions in the order asked, and the total value of
the opportunities a filter selects.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BooleanClauseList
from sqlalchemy.sql.selectable import ScalarSelect

from pillbox.store import search_sets
from pillbox.store.activity_filters import ACTIVITY_FIELDS, ACTIVITY_ORDER
from pillbox.store.filter_kinds import (
    Condition,
    Expr,
    Field,
    custom_field,
    party_name,
)
from pillbox.store.party_filters import PARTY_FIELDS, organisation_field
from pillbox.store.record_filters import KASE_FIELDS, OPPORTUNITY_FIELDS
from pillbox.store.tables.entries import entries
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties


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
            "name": sa.func.lower(party_name()),
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
    "activities": Entity(entries, ACTIVITY_FIELDS, ACTIVITY_ORDER),
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
    return organisation_field(custom)


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
    conditions = one_id_set_first(conn, table.c.id, conditions, in_id_order=not order)
    query = (
        sa.select(table.c.id)
        .where(table.c.account_id == account_id, *conditions)
        .order_by(*sort, table.c.id)
        .limit(limit)
        .offset(offset)
    )
    return list(conn.scalars(query))


# Sizes at which the id sets of a filter are counted (all in one statement) until one is below:
# a round's statement costs ~0.4 ms of SQLAlchemy around it, more than counting 10,000 ids.
_COUNT_CAPS = (10_000, 100_000)


IdRows = sa.Select[tuple[int]]


def one_id_set_first(
    conn: sa.Connection,
    record_id: sa.ColumnElement[int],
    conditions: list[Condition],
    in_id_order: bool = False,
) -> list[Condition]:
    """The conditions with at most one `id IN (ids)`: the smallest set of ids, or none when
    the page goes in id order and every set is large.

    A tag, a city or an email address each select the records whose ids a child table holds
    (`id IN (SELECT …)`). SQLite walks one such set in id order as the page's driver and
    collects each of the others whole before the first row: for `tag is Newsletter` (20,000
    parties) and `city is Leeds` (4,700) it collected the 20,000 to keep ~50 of them. Here the
    sets are counted (each up to a cap, the caps growing until one set falls below it), the
    smallest stays the driver, and the others are checked per candidate through their index.
    A page in id order whose sets all reach the first cap (`website starts with www`: most
    parties) has no driver: the records are walked in id order and each set checked per
    candidate, so the page ends after about as many records as it needs, where collecting a
    set would read all of it first.
    PostgreSQL joins such a check back into a semi-join and picks the driver from its
    estimates (it took the tag's 4,000 parties for 1,100 and drove by them); `OFFSET 0` keeps
    the check per candidate there."""
    conditions = [part for condition in conditions for part in _and_parts(condition)]
    sets = {
        position: rows
        for position, condition in enumerate(conditions)
        if (rows := _id_set(condition, record_id)) is not None
    }
    if not sets or (len(sets) == 1 and not in_id_order):
        return conditions
    driver = _smallest(conn, sets, in_id_order)
    fence = conn.dialect.name == "postgresql"
    return [
        condition
        if position == driver or position not in sets
        else _not_driving(sets[position], record_id, fence)
        for position, condition in enumerate(conditions)
    ]


def _and_parts(condition: Condition) -> list[Condition]:
    """The conditions an AND of conditions holds (a field's test may be two)."""
    if isinstance(condition, BooleanClauseList) and condition.operator is operators.and_:
        return [part for clause in condition.clauses for part in _and_parts(clause)]
    return [condition]


def _not_driving(rows: IdRows, record_id: sa.ColumnElement[int], fence: bool) -> Condition:
    """A set that does not drive the page: checked per candidate, or left out when it only
    narrows what another condition tests exactly (`search_sets.SUPERSET`)."""
    if rows.get_execution_options().get(search_sets.SUPERSET):
        return sa.true()
    return _per_candidate(rows, record_id, fence)


def _per_candidate(rows: IdRows, record_id: sa.ColumnElement[int], fence: bool) -> Condition:
    """`EXISTS (the candidate's row among `rows`)`, fenced from the planner's rewriting."""
    own = rows.where(rows.selected_columns[0] == record_id)
    return (own.offset(0) if fence else own).exists()


def _id_set(condition: Condition, record_id: sa.ColumnElement[int]) -> IdRows | None:
    """The statement of `condition` when it is `record_id IN (SELECT one column …)`."""
    if (
        isinstance(condition, BinaryExpression)
        and condition.operator is operators.in_op
        and condition.left is record_id
        and isinstance(condition.right, ScalarSelect)
        and isinstance(condition.right.element, sa.Select)
    ):
        return condition.right.element
    return None


def _smallest(conn: sa.Connection, sets: dict[int, IdRows], in_id_order: bool) -> int | None:
    """The position of the set of fewest ids; when all reach the largest cap, the first, or
    none (`in_id_order`: every set large) once all reach the first cap."""
    for cap in _COUNT_CAPS:
        sizes: dict[int, int] = dict(zip(sets, _counted(conn, sets, cap), strict=True))
        smallest = min(sizes, key=sizes.__getitem__)
        if sizes[smallest] < cap:
            return smallest
        if in_id_order:
            return None
    return next(iter(sets))


# Sizes counted lately, by statement and values: (when counted, the sizes).
_COUNTED: "OrderedDict[Hashable, tuple[float, tuple[int, ...]]]" = OrderedDict()
_REMEMBER_SECONDS = 60.0
_REMEMBER_MOST = 1000
_COUNTED_LOCK = threading.Lock()  # PostgreSQL's calls run in several threads


def _counted(conn: sa.Connection, sets: dict[int, IdRows], cap: int) -> tuple[int, ...]:
    """The sets' sizes up to `cap`, remembered for a minute. They choose only how a page is
    read, never which records it holds, so a size a minute old costs at most a slower plan;
    and a filter's pages (its conditions sent again for each) are counted once, not per page."""
    statement = sa.select(*(_count_up_to(rows, cap) for rows in sets.values()))
    key = _remembered_as(conn, statement)
    now = time.monotonic()
    found = _COUNTED.get(key) if key is not None else None
    if found is not None and now - found[0] < _REMEMBER_SECONDS:
        return found[1]
    sizes = tuple(conn.execute(statement).one())
    if key is not None:
        with _COUNTED_LOCK:
            _COUNTED[key] = (now, sizes)
            _COUNTED.move_to_end(key)
            while len(_COUNTED) > _REMEMBER_MOST:
                _COUNTED.popitem(last=False)
    return sizes


def _remembered_as(conn: sa.Connection, statement: sa.sql.ClauseElement) -> Hashable | None:
    """The statement's SQL and values, as a key: None when a value cannot be one."""
    cache_key = statement._generate_cache_key()
    if cache_key is None:
        return None
    values = tuple(
        tuple(value) if isinstance(value, list) else value
        for value in (bind.effective_value for bind in cache_key.bindparams)
    )
    key = (conn.engine.url.render_as_string(), cache_key.key, values)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _count_up_to(rows: IdRows, cap: int) -> sa.ScalarSelect[int]:
    """How many rows `rows` has, counting no further than `cap`, from the index alone."""
    constant: sa.Select[tuple[int]] = rows.with_only_columns(
        sa.literal_column("1"), maintain_column_froms=True
    )
    return sa.select(sa.func.count()).select_from(constant.limit(cap).subquery()).scalar_subquery()


def opportunity_value(
    conn: sa.Connection, account_id: int, conditions: list[Condition], currency: str
) -> tuple[Decimal, Decimal]:
    """(sum of values, sum of values weighed by probability) of the account's opportunities in
    `currency` that meet every condition: one statement."""
    amount = sa.cast(opportunities.c.value_amount, sa.Numeric)
    query = sa.select(
        sa.func.coalesce(sa.func.sum(amount), 0),
        sa.func.coalesce(sa.func.sum(amount * opportunities.c.probability), 0),
    ).where(
        opportunities.c.account_id == account_id,
        opportunities.c.value_currency == currency,
        *conditions,
    )
    total, weighed = conn.execute(query).one()
    return Decimal(str(total)), Decimal(str(weighed)) / 100
