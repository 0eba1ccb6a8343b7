"""Person titles: the account's list a person's `title` is chosen from."""

from typing import Annotated

import sqlalchemy as sa
from pydantic import Field

from pillbox.domain.base import InputModel, require_admin, required_name
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import titles as store
from pillbox.store.accounts import Principal

TITLE = "personTitle"
MAX_TITLES = 50


class TitleInput(InputModel):
    title: Annotated[str, Field(max_length=100)] | None = None


def create_title(conn: sa.Connection, who: Principal, data: TitleInput) -> int:
    require_admin(who)
    title = required_name(data.title, TITLE, "title")
    if store.find_title(conn, who.account_id, title) is not None:
        raise ValidationFailed.single("title already exists", TITLE, "title")
    if store.count(conn, who.account_id) >= MAX_TITLES:
        raise ValidationFailed.single(f"an account has at most {MAX_TITLES} titles", TITLE, "title")
    return store.create_title(conn, who.account_id, title)


def delete_title(conn: sa.Connection, who: Principal, title_id: int) -> None:
    found = store.load(conn, who.account_id, [title_id]).get(title_id)
    if found is None:
        raise NotFound()
    require_admin(who)
    if store.in_use(conn, who.account_id, found.title):
        raise ValidationFailed.single("title is in use", TITLE, "title")
    store.delete_title(conn, who.account_id, title_id)


def canonical_title(conn: sa.Connection, account_id: int, title: str, resource: str) -> str:
    """The account's own spelling of a title a client sent; 422 when the account has none such."""
    found = store.find_title(conn, account_id, title)
    if found is None:
        raise ValidationFailed.single("title is not one of the account's titles", resource, "title")
    return str(found.title)
