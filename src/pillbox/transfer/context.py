"""What converting rows needs to know about the account, looked up once per import or export."""

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from pillbox.store.accounts import Principal
from pillbox.store.tables.accounts import users
from pillbox.store.tables.records import field_definitions


class RowError(Exception):
    """A row that cannot go in: the message, and the key of the column at fault when known."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.key = key


@dataclass
class Context:
    conn: sa.Connection
    actor: Principal
    entity: str
    definitions: dict[str, Any] = field(default_factory=dict)  # lower name -> definition row
    users_by_key: dict[str, int] = field(default_factory=dict)  # lower username/email -> id
    usernames: dict[int, str] = field(default_factory=dict)
    cache: dict[tuple[str, str], int | None] = field(default_factory=dict)  # lookups by name

    @property
    def account_id(self) -> int:
        return self.actor.account_id

    @classmethod
    def load(cls, conn: sa.Connection, actor: Principal, entity: str) -> "Context":
        context = cls(conn, actor, entity)
        query = sa.select(field_definitions).where(
            field_definitions.c.account_id == actor.account_id,
            field_definitions.c.entity == entity,
            field_definitions.c.deleted_at.is_(None),
        )
        for row in conn.execute(query.order_by(field_definitions.c.display_order)):
            context.definitions.setdefault(row.name.lower(), row)
        people = sa.select(users.c.id, users.c.username, users.c.email).where(
            users.c.account_id == actor.account_id, users.c.deleted.is_(False)
        )
        for row in conn.execute(people):
            context.users_by_key[row.username.lower()] = row.id
            context.users_by_key.setdefault(row.email.lower(), row.id)
            context.usernames[row.id] = row.username
        return context

    def definition_names(self) -> dict[str, str]:
        return {key: row.name for key, row in self.definitions.items()}

    def owner_id(self, value: str, key: str = "Owner") -> int:
        found = self.users_by_key.get(value.strip().lower())
        if found is None:
            raise RowError(f"no user {value.strip()!r} in the account", key)
        return found
