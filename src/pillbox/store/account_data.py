"""All of one account's rows, as one unit: read out, removed, put back, or copied to a new account.

The sandbox's snapshots, forks and resets are built on this. Which tables hold an account's rows
is read from the schema itself, so a table added by a later migration is covered without a
change here (a test checks every table is either covered or deliberately left out):

- a table with an `account_id` column belongs to the account directly;
- a table without one belongs through its first foreign key to a table that does (a party's
  addresses through `party_id`, a tag's attachments through `tag_id`);
- left out: the account row itself, credentials (tokens, OAuth apps and codes, ID token
  signing keys), rate-limit counters, the page-block counts (kept by triggers), the queue of
  files to delete, the snapshots themselves, and the bookkeeping of imports from Capsule (where
  records came from, not records). Users are
  kept (their tokens must go on working): a restore updates them in place rather than replacing
  them.

Ids that point at other rows are known from the foreign keys, plus the few that are not declared
as such (`POLYMORPHIC`): a tag, field value or change's `record_id` (by `entity`), an entry's
activity type, a delivery's record (by event), a job's target (by kind), a search row's record.
A copy to a new account renumbers every row and rewrites each of those pointers.
"""

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox.store import id_counters
from pillbox.store.tables import base

Rows = dict[str, list[dict[str, Any]]]  # table name -> rows as column dicts

LEFT_OUT = frozenset(
    {
        "accounts",
        "tokens",
        "apps",
        "authorization_codes",
        "signing_keys",
        "rate_limit_windows",
        "orphan_files",
        "sandbox_snapshots",
        "seeded_id_blocks",
        "capsule_imports",
        "capsule_import_ids",
        "page_blocks",  # counts kept by triggers as the account's rows go and come back
    }
)
KEPT_IN_PLACE = "users"
# Search rows are keyed by the id of the record they index (no declared foreign key).
SEARCH_KEYS = {
    "party_search": ("party_id", "parties"),
    "opportunity_search": ("opportunity_id", "opportunities"),
    "kase_search": ("kase_id", "kases"),
}
ENTITY_TABLES = {
    "parties": "parties",
    "opportunities": "opportunities",
    "kases": "kases",
    "tasks": "tasks",
}
EVENT_TABLES = {
    "party": "parties",
    "kase": "kases",
    "opportunity": "opportunities",
    "task": "tasks",
    "user": "users",
}
JOB_TARGETS = {
    "delete_tag": "tags",
    "delete_field_definition": "field_definitions",
    "import_csv": "imports",
}
# Rows keyed by a text that must be new in a copy.
FRESH_KEYS: dict[str, tuple[str, Callable[[], str]]] = {
    "jobs": ("id", lambda: str(uuid.uuid4())),
    "uploads": ("token", lambda: secrets.token_urlsafe(24)),
}
FILE_TABLES = ("attachments", "uploads", "imports")  # rows naming a stored file by `storage_key`
Rekey = Callable[[str], str]  # copies a stored file, returns the copy's key


# An account archive (backup, restore, moving database) keeps credentials and snapshots too.
ARCHIVE_LEFT_OUT = frozenset({"accounts", "rate_limit_windows", "orphan_files"})


def _tables(left_out: frozenset[str] = LEFT_OUT) -> list[sa.Table]:
    return [t for t in base.metadata.sorted_tables if t.name not in left_out]


@dataclass(frozen=True)
class Ownership:
    """How a table's rows are found for one account."""

    table: sa.Table
    parent_column: str | None  # None: the table has account_id itself
    parent: sa.Table | None

    def where(self, account_id: int) -> sa.ColumnElement[bool]:
        if self.parent is None or self.parent_column is None:
            return self.table.c.account_id == account_id
        owned = sa.select(self.parent.c.id).where(self.parent.c.account_id == account_id)
        return self.table.c[self.parent_column].in_(owned)


def ownerships(left_out: frozenset[str] = LEFT_OUT) -> list[Ownership]:
    """Every table holding account rows, parents before children (`left_out` aside)."""
    found = []
    for table in _tables(left_out):
        if "account_id" in table.c:
            found.append(Ownership(table, None, None))
            continue
        for column in table.c:
            for key in column.foreign_keys:
                parent = key.column.table
                if "account_id" in parent.c and parent.name not in left_out:
                    found.append(Ownership(table, column.name, parent))
                    break
            else:
                continue
            break
    return found


def uncovered_tables() -> list[str]:
    """Tables neither covered nor deliberately left out: should be none."""
    covered = {o.table.name for o in ownerships()}
    return sorted(t.name for t in _tables() if t.name not in covered)


def deferred_columns(table: sa.Table) -> list[str]:
    """Columns set after every row is in: cycles (users.party_id) and self-references."""
    return [
        column.name
        for column in table.c
        for key in column.foreign_keys
        if key.use_alter or key.column.table is table
    ]


# -- reading ------------------------------------------------------------------------------------


def read(conn: sa.Connection, account_id: int) -> Rows:
    rows: Rows = {}
    for owner in ownerships():
        query = sa.select(owner.table).where(owner.where(account_id))
        rows[str(owner.table.name)] = [
            {str(key): value for key, value in row._mapping.items()} for row in conn.execute(query)
        ]
    return rows


def storage_keys(rows: Rows) -> list[str]:
    return [
        row["storage_key"] for t in FILE_TABLES for row in rows.get(t, []) if row["storage_key"]
    ]


def with_file_copies(rows: Rows, rekey: Rekey) -> Rows:
    """The rows with every file they name copied (by `rekey`) and named by its copy."""
    copied = dict(rows)
    for name in FILE_TABLES:
        copied[name] = [
            {**row, "storage_key": rekey(row["storage_key"]) if row["storage_key"] else None}
            for row in rows.get(name, [])
        ]
    return copied


# -- removing -----------------------------------------------------------------------------------


def remove(conn: sa.Connection, account_id: int) -> list[str]:
    """Deletes every row of the account but its users; returns the files left without a row."""
    owners = ownerships()
    keys = [key for name in FILE_TABLES for key in _file_keys(conn, name, account_id)]
    for owner in owners:  # break cycles and self-references first
        for name in deferred_columns(owner.table):
            statement = owner.table.update().where(owner.where(account_id)).values({name: None})
            conn.execute(statement)
    for owner in reversed(owners):
        if owner.table.name != KEPT_IN_PLACE:
            conn.execute(owner.table.delete().where(owner.where(account_id)))
    return keys


def _file_keys(conn: sa.Connection, table_name: str, account_id: int) -> list[str]:
    table = base.metadata.tables[table_name]
    query = sa.select(table.c.storage_key).where(
        table.c.account_id == account_id, table.c.storage_key.is_not(None)
    )
    return list(conn.scalars(query))


# -- writing ------------------------------------------------------------------------------------


def put_back(conn: sa.Connection, account_id: int, rows: Rows) -> None:
    """Writes rows read from this account (after `remove`), under their own ids."""
    users = base.metadata.tables[KEPT_IN_PLACE]
    live = set(conn.scalars(sa.select(users.c.id).where(users.c.account_id == account_id)))
    deferred = deferred_columns(users)
    later = []
    for row in rows.get(KEPT_IN_PLACE, []):
        if row["id"] in live:
            skip = ("id", "account_id", *deferred)
            values = {k: v for k, v in row.items() if k not in skip}
            conn.execute(users.update().where(users.c.id == row["id"]).values(values))
            later += [(users, name, [{"_id": row["id"], "_v": row[name]}]) for name in deferred]
    missing = [row for row in rows.get(KEPT_IN_PLACE, []) if row["id"] not in live]
    _insert_all(conn, {**rows, KEPT_IN_PLACE: missing}, later)


def copy_to(conn: sa.Connection, rows: Rows, new_account_id: int) -> "IdMap":
    """Writes another account's rows into `new_account_id` under new ids; returns the new ids."""
    ids = IdMap(conn, rows)
    copied = {
        name: [ids.rewrite(name, row, new_account_id) for row in table_rows]
        for name, table_rows in rows.items()
    }
    _insert_all(conn, copied)
    return ids


Later = list[tuple[sa.Table, str, list[dict[str, Any]]]]  # (table, column, [{_id, _v}])


def _insert_all(conn: sa.Connection, rows: Rows, later: Later | None = None) -> None:
    later = list(later or [])
    for owner in ownerships():
        table, table_rows = owner.table, rows.get(owner.table.name, [])
        if not table_rows:
            continue
        deferred = deferred_columns(table)
        for name in deferred:
            pending = [{"_id": r["id"], "_v": r[name]} for r in table_rows if r.get(name)]
            if pending:
                later.append((table, name, pending))
        columns = set(table.c.keys())
        clean = [
            {k: (None if k in deferred else v) for k, v in row.items() if k in columns}
            for row in table_rows
        ]
        conn.execute(table.insert(), clean)
    for table, name, pending in later:
        statement = (
            table.update()
            .where(table.c.id == sa.bindparam("_id"))
            .values({name: sa.bindparam("_v")})
        )
        conn.execute(statement, pending)


# -- renumbering --------------------------------------------------------------------------------


class IdMap:
    """New ids for every numbered row of a copy, and the rewriting of each pointer to them."""

    def __init__(self, conn: sa.Connection, rows: Rows) -> None:
        self.new: dict[str, dict[int, int]] = {}
        for name, table_rows in rows.items():
            table = base.metadata.tables[name]
            if is_numbered(table) and table_rows:
                fresh = _allocate(conn, table, len(table_rows))
                self.new[name] = dict(zip((r["id"] for r in table_rows), fresh, strict=True))
        self._rules = {name: _pointer_rules(base.metadata.tables[name]) for name in rows}

    def of(self, table: str, old: Any) -> Any:
        """The new id of row `old` of `table`; ids of rows outside the copy stay as they are."""
        if old is None:
            return None
        return self.new.get(table, {}).get(old, old)

    def rewrite(self, name: str, row: dict[str, Any], account_id: int) -> dict[str, Any]:
        copy = dict(row)
        if name in self.new:
            copy["id"] = self.new[name][row["id"]]
        if name in FRESH_KEYS:
            key, fresh = FRESH_KEYS[name]
            copy[key] = fresh()
        for column, target in self._rules[name]:
            table = target(row)
            if table is not None:
                copy[column] = self.of(table, row[column])
        if "account_id" in copy:
            copy["account_id"] = account_id
        return copy


def is_numbered(table: sa.Table) -> bool:
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0].name == "id" and isinstance(keys[0].type, sa.Integer)


Target = Callable[[dict[str, Any]], str | None]


def _pointer_rules(table: sa.Table) -> list[tuple[str, Target]]:
    """(column, which table the row's value points into) for every id-holding column."""
    rules: list[tuple[str, Target]] = []
    for column in table.c:
        for key in column.foreign_keys:
            target_name = key.column.table.name
            rules.append((column.name, _fixed(target_name)))
    rules += POLYMORPHIC.get(table.name, [])
    if table.name in SEARCH_KEYS:
        column_name, target_name = SEARCH_KEYS[table.name]
        rules.append((column_name, _fixed(target_name)))
    return rules


def _fixed(name: str) -> Target:
    return lambda _row: name


def _by_entity(row: dict[str, Any]) -> str | None:
    return ENTITY_TABLES.get(row["entity"])


def _by_event(row: dict[str, Any]) -> str | None:
    return EVENT_TABLES.get(str(row["event"]).partition("/")[0])


def _by_job_kind(row: dict[str, Any]) -> str | None:
    return JOB_TARGETS.get(row["kind"])


def _activity_type(row: dict[str, Any]) -> str | None:
    # Built-in activity types have negative ids and are the same in every account.
    value = row["activity_type_id"]
    return "activity_types" if value is not None and value > 0 else None


POLYMORPHIC: dict[str, list[tuple[str, Target]]] = {
    "record_tags": [("record_id", _by_entity)],
    "field_values": [("record_id", _by_entity)],
    "record_changes": [("record_id", _by_entity)],
    "entries": [("activity_type_id", _activity_type)],
    "hook_deliveries": [("record_id", _by_event)],
    "jobs": [("target_id", _by_job_kind)],
}


def _allocate(conn: sa.Connection, table: sa.Table, count: int) -> list[int]:
    """`count` ids no row of `table` has or will be given."""
    if conn.dialect.name == "postgresql":
        sql = sa.text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        )
        return list(conn.scalars(sql, {"table": table.name, "n": count}))
    # The write transaction holds the database: nothing else takes ids meanwhile.
    start = id_counters.next_sqlite_id(conn, table)
    return list(range(start, start + count))
