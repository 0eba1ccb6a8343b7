"""Saved filters: a filter of parties, opportunities or projects kept under a name.

Capsule lists, shows and runs the filters its users save in its web app; Pillbox also lets
clients save them through the API (create, update, delete: a Pillbox extension).

Rules:
- A saved filter needs a `name` and has `conditions` and `orderBy` exactly as a filter body
  (see filters); they are checked as a filter is before anything is saved, and an invalid one
  is a 422 naming the condition. An update changes what it sends and checks the whole again.
- A filter belongs to one record type: another type's filter id is a 404, as is another
  account's.
- Running a saved filter runs its conditions as they are stored, against the records of today
  (a custom field deleted since makes the run a 422 naming the condition).
- Every user reads and runs the account's saved filters; every user with write access saves
  them.
"""

from collections.abc import Callable
from typing import Annotated, Any

import orjson
import sqlalchemy as sa
from pydantic import Field

from pillbox.domain import filters
from pillbox.domain.base import InputModel, Text, required_name
from pillbox.errors import NotFound
from pillbox.store import saved_filters as store
from pillbox.store.accounts import Principal

RESOURCE = "filter"


class SavedFilterInput(InputModel):
    name: Text | None = None
    conditions: (
        Annotated[list[filters.ConditionIn], Field(max_length=filters.MAX_CONDITIONS)] | None
    ) = None
    order_by: Annotated[list[filters.OrderIn], Field(max_length=5)] | None = None


def _dump(items: list[Any] | None) -> str:
    return orjson.dumps(
        [item.model_dump(by_alias=True, exclude_unset=True) for item in items or []]
    ).decode()


def stored_filter(row: Any) -> filters.FilterInput:
    """A stored filter as the filter engine takes it."""
    return filters.FilterInput.model_validate(
        {"conditions": orjson.loads(row.conditions), "orderBy": orjson.loads(row.order_by)}
    )


def _columns(
    conn: sa.Connection, who: Principal, entity: str, state: dict[str, Any]
) -> dict[str, Any]:
    name = required_name(state["name"], RESOURCE)
    checked = filters.FilterInput(conditions=state["conditions"], order_by=state["order_by"])
    filters.compile_filter(conn, who, entity, checked)  # raises when the filter is invalid
    return {
        "name": name,
        "conditions": _dump(state["conditions"]),
        "order_by": _dump(state["order_by"]),
    }


def creator(entity: str) -> Callable[[sa.Connection, Principal, SavedFilterInput], int]:
    def create(conn: sa.Connection, who: Principal, data: SavedFilterInput) -> int:
        state = {name: getattr(data, name) for name in SavedFilterInput.model_fields}
        return store.create(conn, who.account_id, entity, _columns(conn, who, entity, state))

    return create


def updater(entity: str) -> Callable[[sa.Connection, Principal, int, SavedFilterInput], None]:
    def update(conn: sa.Connection, who: Principal, filter_id: int, data: SavedFilterInput) -> None:
        current = store.find(conn, who.account_id, entity, filter_id)
        if current is None:
            raise NotFound()
        saved = stored_filter(current)
        state = {"name": current.name, "conditions": saved.conditions, "order_by": saved.order_by}
        state.update({name: getattr(data, name) for name in data.model_fields_set})
        store.update(conn, filter_id, _columns(conn, who, entity, state))

    return update


def deleter(entity: str) -> Callable[[sa.Connection, Principal, int], None]:
    def delete(conn: sa.Connection, who: Principal, filter_id: int) -> None:
        if store.find(conn, who.account_id, entity, filter_id) is None:
            raise NotFound()
        store.delete(conn, filter_id)

    return delete


def result_ids(
    conn: sa.Connection, who: Principal, entity: str, filter_id: int, offset: int, limit: int
) -> list[int]:
    """A page of the ids of the records the saved filter selects today."""
    row = store.find(conn, who.account_id, entity, filter_id)
    if row is None:
        raise NotFound()
    return filters.page_ids(conn, who, entity, stored_filter(row), offset, limit)
