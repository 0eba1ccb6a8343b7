"""Task categories: a name and a colour (`#rrggbb`, Capsule's British spelling `colour`).

Administrators manage them, like the account's other settings.
"""

import re
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field

from pillbox.domain.base import InputModel, require_admin, required_name
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import task_categories as store
from pillbox.store.accounts import Principal

RESOURCE = "category"
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class CategoryInput(InputModel):
    name: Annotated[str, Field(max_length=200)] | None = None
    colour: Annotated[str, Field(max_length=20)] | None = None


def _colour(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    if not _COLOUR.fullmatch(raw.strip()):
        raise ValidationFailed.single("colour must be like #d36c00", RESOURCE, "colour")
    return raw.strip().lower()


def create_category(conn: sa.Connection, who: Principal, data: CategoryInput) -> int:
    require_admin(who)
    name = required_name(data.name, RESOURCE)
    return store.create(conn, who.account_id, name, _colour(data.colour))


def _existing(conn: sa.Connection, who: Principal, category_id: int) -> None:
    if not store.load(conn, who.account_id, [category_id]):
        raise NotFound()
    require_admin(who)


def update_category(
    conn: sa.Connection, who: Principal, category_id: int, data: CategoryInput
) -> None:
    _existing(conn, who, category_id)
    values: dict[str, Any] = {}
    if data.sent("name"):
        values["name"] = required_name(data.name, RESOURCE)
    if data.sent("colour"):
        values["colour"] = _colour(data.colour)
    if values:
        store.update(conn, who.account_id, category_id, values)


def delete_category(conn: sa.Connection, who: Principal, category_id: int) -> None:
    _existing(conn, who, category_id)
    store.delete(conn, who.account_id, category_id)
