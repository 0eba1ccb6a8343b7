"""Writing converted records: local ids, pointers translated, children replaced, search indexed.

Each record is written in a savepoint: one the database refuses (an organisation name taken in
this account, say) is skipped with the reason and leaves nothing behind. A record written before
(by an interrupted run, or a sync that finds it changed) is updated in place, its children
replaced: nothing is ever written twice. Pointers at records that were not imported are cleared
where they may be empty, and make the record be skipped where they may not.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from pillbox.capsule_import.ids import IdMap
from pillbox.capsule_import.report import Report
from pillbox.capsule_import.rows import Record, Row
from pillbox.domain.fields import stored_value
from pillbox.errors import ValidationFailed
from pillbox.store import search
from pillbox.store.account_data import ENTITY_TABLES
from pillbox.store.tables.accounts import users
from pillbox.store.tables.base import metadata
from pillbox.store.tables.records import field_definitions

# The tables whose rows belong to one record, by the record's table: (child table, its column
# naming the record). Tags and field values are found by entity instead.
OWNED = {
    "parties": [
        ("party_addresses", "party_id"),
        ("party_phone_numbers", "party_id"),
        ("party_websites", "party_id"),
        ("party_email_addresses", "party_id"),
    ],
    "opportunities": [("opportunity_parties", "opportunity_id")],
    "kases": [("kase_parties", "kase_id")],
    "entries": [
        ("attachments", "entry_id"),
        ("entry_participants", "entry_id"),
        ("entry_parties", "entry_id"),
    ],
    "teams": [("team_members", "team_id")],
    "track_definitions": [("task_definitions", "definition_id")],
}
TAGGED = {table: entity for entity, table in ENTITY_TABLES.items()}
INDEXES = {"parties": search.PARTIES, "opportunities": search.OPPORTUNITIES, "kases": search.KASES}


# The record an entry, task or track is about: without it, it would be about nothing.
_ABOUT_RECORDS = frozenset({"entries", "tasks", "tracks"})
_RECORD_LINKS = frozenset({"party_id", "opportunity_id", "kase_id"})


class Skip(Exception):
    """The record cannot be written; the message says why."""


class Writer:
    def __init__(self, conn: sa.Connection, account_id: int, ids: IdMap, report: Report) -> None:
        self.conn, self.account_id, self.ids, self.report = conn, account_id, ids, report
        self.tables: set[str] = set()  # tables given explicit ids, for the sequences
        # --anonymise: a text field's value by the value's id and its text.
        self.text_values: Callable[[int, str], str] | None = None
        self._definitions: dict[int, Any] = {}

    def write(self, kind: str, record: Record) -> int | None:
        """Writes the record; returns its local id, or None when it was skipped."""
        noted = self._noted()
        try:
            with self.conn.begin_nested():
                local = self._write(record)
        except Skip as reason:
            self._refused(kind, record, str(reason), noted)
            return None
        except sa.exc.IntegrityError as error:
            self._refused(kind, record, _refusal(error), noted)
            return None
        self.report.count(kind, "written")
        return local

    def _noted(self) -> tuple[int, int, int, dict[str, int], int]:
        report = self.report
        skipped = {kind: tally.get("skipped", 0) for kind, tally in report.counts.items()}
        marks = len(report.skipped), len(report.remapped), len(report.pending)
        return (*marks, skipped, self.ids.mark())

    def _refused(self, kind: str, record: Record, reason: str, noted: Any) -> None:
        """Forgets what the rolled-back savepoint noted, and lists the record as skipped."""
        skipped, remapped, pending, counts, paired = noted
        self.ids.rollback(paired)
        del self.report.skipped[skipped:]
        del self.report.remapped[remapped:]
        del self.report.pending[pending:]
        for name, tally in self.report.counts.items():
            tally["skipped"] = counts.get(name, 0)
        self.report.skip(kind, record.source_id, reason)

    def _write(self, record: Record) -> int:
        table = metadata.tables[record.table]
        values = self._translate(record.table, record.row)
        existing = self.ids.local(record.table, record.source_id)
        if existing is not None:
            values["id"] = existing
            self._remove_children(record.table, existing)
            updated = self.conn.execute(table.update().where(table.c.id == existing).values(values))
            if updated.rowcount == 0:  # deleted here since: written again, under its id
                self.conn.execute(table.insert().values(values))
        else:
            adopted = self._adopted_user(record) if record.table == "users" else None
            if adopted is not None:
                return adopted
            values["id"] = self._assign(record.table, record.source_id)
            self.conn.execute(table.insert().values(values))
        local = int(values["id"])
        for child_table, row in record.children:
            self._write_child(child_table, row)
        for column, (target, source_id) in record.later.items():
            self.link(record.table, local, column, target, source_id)
        if record.table in INDEXES:
            search.reindex(self.conn, self.account_id, local, INDEXES[record.table])
        return local

    def link(self, table: str, local: int, column: str, target: str, source_id: int) -> None:
        """Sets a pointer now if its record is in, else once it is (`settle`)."""
        found = self.ids.local(target, source_id)
        if found is None:
            self.report.pending.append([table, local, column, target, source_id])
            return
        t = metadata.tables[table]
        self.conn.execute(t.update().where(t.c.id == local).values({column: found}))

    def settle(self) -> None:
        """Sets the pointers whose records came in since; the rest stay empty for good."""
        waiting, self.report.pending = self.report.pending, []
        for table, local, column, target, source_id in waiting:
            found = self.ids.local(target, source_id)
            if found is not None:
                t = metadata.tables[table]
                self.conn.execute(t.update().where(t.c.id == local).values({column: found}))

    def _assign(self, table: str, source_id: int) -> int:
        local = self.ids.assign(table, source_id)
        self.tables.add(table)
        if local != source_id:
            self.report.remapped.append([table, source_id, local])
        return local

    def _adopted_user(self, record: Record) -> int | None:
        """A user of this account with the same username stands for the Capsule user."""
        query = sa.select(users.c.id).where(
            users.c.account_id == self.account_id, users.c.username == record.row["username"]
        )
        found = self.conn.scalar(query)
        if found is None:
            return None
        self.ids.adopt("users", record.source_id, found)
        if found != record.source_id:
            self.report.remapped.append(["users", record.source_id, found])
        return int(found)

    def _write_child(self, table_name: str, row: Row) -> None:
        try:
            values = self._translate(table_name, row)
        except Skip:
            return  # a tag, field or party that was not imported: the link is left out
        if table_name == "field_values" and not self._field_value(values, row["id"]):
            reason = f"its definition {row['definition_id']} does not take {row['value']!r}"
            self.report.skip("field values", row["id"], reason)
            return
        if "id" in row:
            existing = self.ids.local(table_name, row["id"])
            values["id"] = existing if existing is not None else self._assign(table_name, row["id"])
        self.conn.execute(metadata.tables[table_name].insert().values(values))

    def _field_value(self, values: Row, source_id: int) -> bool:
        """Stores the value as the domain does; False for one its definition refuses (a
        choice no longer among a list's options, say), or that is empty."""
        definition_id = values["definition_id"]
        if definition_id not in self._definitions:
            t = field_definitions
            query = sa.select(t.c.type, t.c.options).where(t.c.id == definition_id)
            found = self.conn.execute(query).one()
            self._definitions[definition_id] = SimpleNamespace(type=found[0], options=found[1])
        definition = self._definitions[definition_id]
        text = values["value"]
        if self.text_values is not None and definition.type == "text" and isinstance(text, str):
            values["value"] = self.text_values(source_id, text)
        try:
            stored = stored_value(definition, values["value"], "field")
        except ValidationFailed:
            return False
        values["value"] = stored
        return stored is not None

    def _translate(self, table_name: str, row: Row) -> Row:
        """The row with the account and local ids in every pointer column."""
        table = metadata.tables[table_name]
        values = {key: value for key, value in row.items() if key != "id"}
        if "account_id" in table.c:
            values["account_id"] = self.account_id
        for column, target in _pointers(table_name, row):
            source_id = row.get(column)
            if source_id is None:
                continue
            local = self.ids.local(target, source_id)
            about = table_name in _ABOUT_RECORDS and column in _RECORD_LINKS
            if local is None and (not table.c[column].nullable or about):
                raise Skip(f"its {column.removesuffix('_id')} {source_id} was not imported")
            values[column] = local
        return values

    def _remove_children(self, table_name: str, local: int) -> None:
        for child_name, column in OWNED.get(table_name, []):
            child = metadata.tables[child_name]
            self.conn.execute(child.delete().where(child.c[column] == local))
        entity = TAGGED.get(table_name)
        if entity is not None:
            for name in ("record_tags", "field_values"):
                t = metadata.tables[name]
                self.conn.execute(t.delete().where(t.c.entity == entity, t.c.record_id == local))


def _pointers(table_name: str, row: Row) -> list[tuple[str, str]]:
    """(column, table it points into) for the row's pointer columns."""
    table = metadata.tables[table_name]
    found = [
        (column.name, key.column.table.name)
        for column in table.c
        for key in column.foreign_keys
        if column.name != "account_id"
    ]
    if table_name in ("record_tags", "field_values"):
        found.append(("record_id", ENTITY_TABLES[row["entity"]]))
    if table_name == "entries" and (row.get("activity_type_id") or 0) > 0:
        found.append(("activity_type_id", "activity_types"))
    return found


def _refusal(error: sa.exc.IntegrityError) -> str:
    text = str(error.orig).lower()
    if "organisation_key" in text:
        return "an organisation of that name exists already in this account"
    if "username" in text:
        return "a user of that username exists already in this account"
    return "the database refused it: " + str(error.orig).splitlines()[0][:200]
