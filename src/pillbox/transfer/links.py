"""Finding the records a row names: a party by name or email, an opportunity or project by name,
a milestone or task category by name; and the names an export writes for them."""

from typing import Any

import sqlalchemy as sa

from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import milestones, opportunities
from pillbox.store.tables.parties import email_addresses, parties
from pillbox.store.tables.task_categories import task_categories
from pillbox.transfer.context import Context, RowError

_PERSON_NAME = sa.func.trim(
    sa.func.coalesce(parties.c.first_name, "") + " " + sa.func.coalesce(parties.c.last_name, "")
)
PARTY_NAME = sa.case((parties.c.type == "organisation", parties.c.name), else_=_PERSON_NAME)

_BY_NAME: dict[str, tuple[sa.Table, sa.ColumnElement[Any]]] = {
    "opportunity": (opportunities, opportunities.c.name),
    "kase": (kases, kases.c.name),
    "milestone": (milestones, milestones.c.name),
    "category": (task_categories, task_categories.c.name),
}
LABELS = {
    "party": "party",
    "opportunity": "opportunity",
    "kase": "project",
    "milestone": "milestone",
    "category": "task category",
}


def resolve(context: Context, kind: str, value: str, key: str) -> int:
    """The id of the `kind` record named `value`; a RowError on `key` when there is none."""
    cache_key = (kind, value.strip().lower())
    if context.cache.get(cache_key) is None:
        context.cache[cache_key] = _find(context, kind, value.strip())
    found = context.cache[cache_key]
    if found is None:
        raise RowError(f"no {LABELS[kind]} named {value.strip()!r}", key)
    return found


def _find(context: Context, kind: str, value: str) -> int | None:
    account = context.account_id
    if kind == "party":
        return _party(context, value)
    table, name = _BY_NAME[kind]
    query = sa.select(table.c.id).where(
        table.c.account_id == account, sa.func.lower(name) == value.lower()
    )
    found: int | None = context.conn.scalar(query.order_by(table.c.id).limit(1))
    return found


def _party(context: Context, value: str) -> int | None:
    mine = parties.c.account_id == context.account_id
    if "@" in value:
        query = (
            sa.select(parties.c.id)
            .join(email_addresses, email_addresses.c.party_id == parties.c.id)
            .where(mine, sa.func.lower(email_addresses.c.address) == value.lower())
        )
    else:
        organisation = sa.select(parties.c.id).where(
            mine, parties.c.organisation_key == value.lower()
        )
        found: int | None = context.conn.scalar(organisation)
        if found is not None:
            return found
        query = sa.select(parties.c.id).where(
            mine, parties.c.type == "person", sa.func.lower(_PERSON_NAME) == value.lower()
        )
    person: int | None = context.conn.scalar(query.order_by(parties.c.id).limit(1))
    return person


def names(conn: sa.Connection, kind: str, ids: set[int]) -> dict[int, str]:
    """The names an export writes for these records of `kind`."""
    if not ids:
        return {}
    if kind == "party":
        query = sa.select(parties.c.id, PARTY_NAME).where(parties.c.id.in_(ids))
    else:
        table, name = _BY_NAME[kind]
        query = sa.select(table.c.id, name).where(table.c.id.in_(ids))
    return {row[0]: row[1] or "" for row in conn.execute(query)}
