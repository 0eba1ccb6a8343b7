"""Goals: what a user of the account is to achieve with opportunities, period by period.

Rules:
- Administrators set goals (for any user of the account); every user reads them.
- A goal needs a `name`, a `frequency` (DAILY, WEEKLY, MONTHLY, YEARLY, FIXED), `startOn` and
  `endOn` (YYYY-MM-DD, the end not before the start), a `type` (one of Capsule's goal type ids),
  a `value` above 0 (a whole number for count goals), and a `user` of the account (by id).
  Sum goals need a `currency` (ISO 4217); count goals have none (a currency sent is dropped).
- At most one of `pipeline` and `milestone` (ids of the account's); a milestone count goal
  needs a milestone.
- An update changes what it sends and checks the goal as a whole again; changing the dates or
  the frequency rebuilds the periods (new ids). See goal_periods for how progress is measured.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field, StrictFloat, StrictInt

from pillbox.domain import goal_periods as periods
from pillbox.domain.base import InputModel, RefIn, Text, require_admin
from pillbox.errors import NotFound, ValidationFailed
from pillbox.reference import currency_codes
from pillbox.store import accounts as account_store
from pillbox.store import goals as store
from pillbox.store import pipelines as pipeline_store
from pillbox.store.accounts import Principal

RESOURCE = "goal"
MAX_VALUE = Decimal("1e15")
_DAY = Annotated[str, Field(max_length=10)]


class GoalInput(InputModel):
    name: Text | None = None
    frequency: Annotated[str, Field(max_length=10)] | None = None
    start_on: _DAY | None = None
    end_on: _DAY | None = None
    type: Annotated[str, Field(max_length=36)] | None = None
    value: StrictInt | StrictFloat | Annotated[str, Field(max_length=40)] | None = None
    currency: Annotated[str, Field(max_length=3)] | None = None
    user: RefIn | None = None
    pipeline: RefIn | None = None
    milestone: RefIn | None = None


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed.single(message, RESOURCE, field)


def _day(raw: str | None, field: str) -> date:
    if raw is None:
        raise _fail(f"{field} is required", field)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _fail(f"{field} must be a date (YYYY-MM-DD)", field) from None


def _value(raw: Any, goal_type: str) -> str:
    if raw is None:
        raise _fail("value is required", "value")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise _fail("value must be a number", "value") from None
    if not value.is_finite() or not 0 < value < MAX_VALUE:
        raise _fail("value must be a number above 0", "value")
    if goal_type not in periods.SUM_TYPES and value != value.to_integral_value():
        raise _fail("value must be a whole number for a count goal", "value")
    return format(value.normalize(), "f")


def _currency(raw: str | None, goal_type: str) -> str | None:
    if goal_type not in periods.SUM_TYPES:
        return None
    if raw is None:
        raise _fail("currency is required", "currency")
    if raw.upper() not in currency_codes():
        raise _fail("currency is invalid", "currency")
    return raw.upper()


def _ids(conn: sa.Connection, who: Principal, state: dict[str, Any]) -> dict[str, Any]:
    """The user, pipeline and milestone columns, each checked against the account."""
    user = state["user"]
    if user is None or user.id is None:
        raise _fail("user is required", "user")
    if not account_store.live_user_ids(conn, who.account_id, {user.id}):
        raise _fail("user not found", "user")
    pipeline, milestone = state["pipeline"], state["milestone"]
    if pipeline is not None and milestone is not None:
        raise _fail("only one of pipeline and milestone can be set", "milestone")
    if pipeline is not None and (
        pipeline.id is None
        or pipeline_store.find_pipeline(conn, who.account_id, pipeline.id) is None
    ):
        raise _fail("pipeline not found", "pipeline")
    if milestone is not None and (
        milestone.id is None
        or pipeline_store.find_milestone(conn, who.account_id, milestone.id) is None
    ):
        raise _fail("milestone not found", "milestone")
    if state["type"] == periods.MILESTONE_COUNT and milestone is None:
        raise _fail("milestone is required for a milestone goal", "milestone")
    return {
        "user_id": user.id,
        "pipeline_id": pipeline.id if pipeline else None,
        "milestone_id": milestone.id if milestone else None,
    }


def _columns(conn: sa.Connection, who: Principal, state: dict[str, Any]) -> dict[str, Any]:
    """Every column of a goal from its whole state (the input's field names), checked."""
    name = (state["name"] or "").strip()
    if not name:
        raise _fail("name is required", "name")
    if state["frequency"] not in periods.FREQUENCIES:
        raise _fail("frequency must be one of " + ", ".join(periods.FREQUENCIES), "frequency")
    if state["type"] not in periods.TYPES:
        raise _fail("type is not a known goal type", "type")
    start, end = _day(state["start_on"], "startOn"), _day(state["end_on"], "endOn")
    if end < start:
        raise _fail("endOn must not be before startOn", "endOn")
    return {
        "name": name,
        "frequency": state["frequency"],
        "start_on": start.isoformat(),
        "end_on": end.isoformat(),
        "type": state["type"],
        "value": _value(state["value"], state["type"]),
        "currency": _currency(state["currency"], state["type"]),
        **_ids(conn, who, state),
    }


def _spans(columns: dict[str, Any]) -> list[tuple[str, str]]:
    start, end = date.fromisoformat(columns["start_on"]), date.fromisoformat(columns["end_on"])
    found = periods.spans(start, end, columns["frequency"])
    if found is None:
        raise _fail(f"a goal has at most {periods.MAX_PERIODS} periods", "endOn")
    return found


def create_goal(conn: sa.Connection, who: Principal, data: GoalInput) -> int:
    require_admin(who)
    columns = _columns(conn, who, {name: getattr(data, name) for name in GoalInput.model_fields})
    goal_id = store.create(conn, who.account_id, columns)
    store.replace_periods(conn, goal_id, _spans(columns))
    return goal_id


def _state(row: Any) -> dict[str, Any]:
    """A stored goal in the input's terms, for an update to change and check again."""

    def ref(value: int | None) -> Any:
        return None if value is None else GoalInput.model_validate({"user": value}).user

    return {
        "name": row.name,
        "frequency": row.frequency,
        "start_on": row.start_on,
        "end_on": row.end_on,
        "type": row.type,
        "value": row.value,
        "currency": row.currency,
        "user": ref(row.user_id),
        "pipeline": ref(row.pipeline_id),
        "milestone": ref(row.milestone_id),
    }


def update_goal(conn: sa.Connection, who: Principal, goal_id: int, data: GoalInput) -> None:
    require_admin(who)
    current = store.load(conn, who.account_id, [goal_id]).get(goal_id)
    if current is None:
        raise NotFound()
    state = _state(current)
    state.update({name: getattr(data, name) for name in data.model_fields_set})
    columns = _columns(conn, who, state)
    store.update(conn, goal_id, columns)
    spans_changed = any(
        columns[key] != getattr(current, key) for key in ("start_on", "end_on", "frequency")
    )
    if spans_changed:
        store.replace_periods(conn, goal_id, _spans(columns))


def delete_goal(conn: sa.Connection, who: Principal, goal_id: int) -> None:
    require_admin(who)
    if not store.exists(conn, who.account_id, goal_id):
        raise NotFound()
    store.delete(conn, goal_id)
