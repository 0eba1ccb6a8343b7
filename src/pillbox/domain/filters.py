"""Filters: the records of one type that meet a list of conditions, in a chosen order.

- `{"filter": {"conditions": [{"field", "operator", "value"}], "orderBy": [{"field",
  "direction"}]}}`. Every top-level condition must hold (Capsule's "match all"); an item with
  its own `conditions` array is a group, which holds when any of its conditions does.
- Each field has a kind that fixes its operators and its value: strings (`is`, `is not`,
  `starts with`, `ends with`, `contains`), numbers (`is`, `is not`, `is greater than`,
  `is less than`, also spelt `is less that`), dates (`is`, `is not`, `is after`, `is before`
  with a `YYYY-MM-DD` value; `is older than`, `is within last`, `is within next` with a number
  of days), booleans and references (`is`, `is not`). `null` with `is` / `is not` tests for no
  value. Custom fields are `custom:{definitionId}` (and `org.custom:{id}` for a person's
  organisation), of the kind their type gives.
- An unknown field or operator, or a value of the wrong type, is a 422 naming the condition
  (`conditions[1].operator`), and nothing is run.
- `orderBy` fields: `id`, `name`, `addedOn`, `updatedOn`, and the record type's own dates (and
  `probability`, `expectedValue` for opportunities); `ascending` or `descending`. Ties, and
  filters without an order, go by id.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field, JsonValue

from pillbox import clock
from pillbox.domain.base import InputModel
from pillbox.errors import ValidationFailed
from pillbox.numbers import MAX_ID
from pillbox.store import filter_kinds as kinds
from pillbox.store import filters as store
from pillbox.store import users as user_store
from pillbox.store.accounts import Principal

RESOURCE = "filter"
MAX_CONDITIONS = 50
DIRECTIONS = {"ascending": False, "descending": True}
ALIASES = {"is less that": "is less than"}  # the spelling of Capsule's own model page


class ConditionIn(InputModel):
    field: Annotated[str, Field(max_length=100)] | None = None
    operator: Annotated[str, Field(max_length=40)] | None = None
    value: JsonValue = None
    conditions: Annotated[list["ConditionIn"], Field(max_length=MAX_CONDITIONS)] | None = None


class OrderIn(InputModel):
    field: Annotated[str, Field(max_length=100)] | None = None
    direction: Annotated[str, Field(max_length=20)] | None = None


class FilterInput(InputModel):
    conditions: Annotated[list[ConditionIn], Field(max_length=MAX_CONDITIONS)] | None = None
    order_by: Annotated[list[OrderIn], Field(max_length=5)] | None = None


def _fail(message: str, where: str) -> ValidationFailed:
    return ValidationFailed.single(message, RESOURCE, where)


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value if abs(value) < 1e15 else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    return None


def _day(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def _days(value: Any) -> int | None:
    number = _number(value)
    if number is None or number != int(number) or not 0 <= number <= 100_000:
        return None
    return int(number)


def _value(kind: str, operator: str, raw: Any, choices: tuple[str, ...]) -> Any:
    """The value converted for the field's kind; raises ValueError when it does not fit."""
    if raw is None:
        if operator in ("is", "is not") and kind != "boolean":
            return None
        raise ValueError
    if choices:
        if not isinstance(raw, str) or raw.lower() not in choices:
            raise ValueError
        return raw.lower()
    converted: Any
    if kind == "string" or (kind == "tag" and operator not in ("is", "is not")):
        converted = raw if isinstance(raw, str) else None
    elif kind in ("reference", "tag"):
        is_id = isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= MAX_ID
        converted = raw if is_id or isinstance(raw, str) else None
    elif kind == "money":
        converted = _money(raw) if isinstance(raw, dict) else _number(raw)
    elif kind == "number":
        converted = _number(raw)
    elif kind in ("date", "time"):
        converted = _days(raw) if operator in kinds.RELATIVE else _day(raw)
    else:
        converted = raw if isinstance(raw, bool) else None
    if converted is None:
        raise ValueError
    return converted


def _money(raw: dict[str, Any]) -> dict[str, Any] | None:
    """{"currency": "GBP", "amount": 500}, as Capsule's client sends for expectedValue."""
    amount, currency = _number(raw.get("amount")), raw.get("currency")
    if amount is None or not isinstance(currency, str) or len(currency) != 3:
        return None
    return {"amount": amount, "currency": currency.upper()}


def _condition(
    conn: sa.Connection,
    scope: kinds.Scope,
    entity: str,
    item: ConditionIn,
    where: str,
    in_group: bool = False,
) -> sa.ColumnElement[bool]:
    if item.conditions is not None:
        if in_group:
            raise _fail("a group cannot hold another group", where)
        if not item.conditions:
            raise _fail("a group needs at least one condition", where)
        parts = [
            _condition(conn, scope, entity, inner, f"{where}.conditions[{i}]", in_group=True)
            for i, inner in enumerate(item.conditions)
        ]
        return sa.or_(*parts)
    found = store.field(conn, scope.account_id, entity, item.field or "")
    if found is None:
        raise _fail("invalid field name", f"{where}.field")
    operator = ALIASES.get(item.operator or "", item.operator or "")
    allowed = ("is", "is not") if found.choices else kinds.OPERATORS[found.kind]
    if operator not in allowed:
        raise _fail(f"invalid operator for {item.field}", f"{where}.operator")
    try:
        value = _value(found.kind, operator, item.value, found.choices)
    except ValueError:
        raise _fail(f"invalid value for {item.field}", f"{where}.value") from None
    return found.build(scope, kinds.Test(operator, value))


def _order(entity: str, items: list[OrderIn]) -> list[tuple[str, bool]]:
    order: list[tuple[str, bool]] = []
    for i, item in enumerate(items):
        if item.field not in store.ENTITIES[entity].order:
            raise _fail("invalid field name", f"orderBy[{i}].field")
        direction = (item.direction or "ascending").lower()
        if direction not in DIRECTIONS:
            raise _fail("direction must be ascending or descending", f"orderBy[{i}].direction")
        order.append((item.field, DIRECTIONS[direction]))
    return order


def compile_filter(
    conn: sa.Connection, who: Principal, entity: str, data: FilterInput
) -> tuple[list[sa.ColumnElement[bool]], list[tuple[str, bool]]]:
    """The filter's conditions as SQL and its order; raises ValidationFailed when invalid."""
    scope = kinds.Scope(who.account_id, who.user_id, clock.today())
    conditions = [
        _condition(conn, scope, entity, item, f"conditions[{i}]")
        for i, item in enumerate(data.conditions or [])
    ]
    return conditions, _order(entity, data.order_by or [])


def page_ids(
    conn: sa.Connection,
    who: Principal,
    entity: str,
    data: FilterInput,
    offset: int,
    limit: int,
) -> list[int]:
    """A page of the ids of the records of `entity` ("parties", …) the filter selects."""
    conditions, order = compile_filter(conn, who, entity, data)
    return store.page_ids(conn, entity, who.account_id, conditions, order, offset, limit)


def opportunity_value(
    conn: sa.Connection, who: Principal, data: FilterInput
) -> tuple[Decimal, Decimal, str]:
    """(total, projected value, currency) of the opportunities the filter selects, in the
    calling user's currency: the projected value weighs each by its probability. Opportunities
    valued in other currencies are left out, as there are no exchange rates to convert them."""
    conditions, _ = compile_filter(conn, who, "opportunities", data)
    currency = str(user_store.load(conn, who.account_id, [who.user_id])[who.user_id].currency)
    total, projected = store.opportunity_value(conn, who.account_id, conditions, currency)
    return total, projected, currency


def for_entity(
    entity: str,
) -> Callable[[sa.Connection, Principal, FilterInput, int, int], list[int]]:
    """The filter of one record type, as the kit runs it."""

    def run(
        conn: sa.Connection, who: Principal, data: FilterInput, offset: int, limit: int
    ) -> list[int]:
        return page_ids(conn, who, entity, data, offset, limit)

    return run
