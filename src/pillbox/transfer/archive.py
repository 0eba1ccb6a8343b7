"""Account archives: every row of one account, and its files, in one file; and putting it back.

An archive is a zip file: `manifest.json` (format, schema revision, the account, row counts),
`tables/<table>.jsonl` (one JSON object per row, parents' tables before their children's) and
`files/<storage key>` (attachment and upload bytes). Rows keep their ids, so a restore into any
database — SQLite or PostgreSQL — answers every API request as before, tokens included. Which
tables hold the account's rows is read from the schema (`store.account_data`).
"""

import json
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store import account_data
from pillbox.store.files import FileStore
from pillbox.store.tables import base
from pillbox.store.tables.accounts import accounts

FORMAT = "pillbox-account-archive"
VERSION = 1
CHUNK = 1000


class ArchiveRefused(Exception):
    """The archive cannot be restored here: another schema, a name or an id already taken."""


@dataclass(frozen=True)
class Restored:
    account_id: int
    name: str
    rows: int


def _owners() -> list[account_data.Ownership]:
    return account_data.ownerships(account_data.ARCHIVE_LEFT_OUT)


# -- writing ------------------------------------------------------------------------------------


def write(conn: sa.Connection, account_id: int, revision: str, out: Path, files: FileStore) -> int:
    """Writes the account to `out`; returns the number of rows. Run it in one transaction, so
    that every table is read at the same moment."""
    account = conn.execute(sa.select(accounts).where(accounts.c.id == account_id)).one()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for owner in _owners():
            name = str(owner.table.name)
            counts[name] = _write_table(conn, archive, owner, account_id, files)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "revision": revision,
            "exported_at": timestamps.now(),
            "account": dict(account._mapping),
            "tables": counts,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    return sum(counts.values())


def _write_table(
    conn: sa.Connection,
    archive: zipfile.ZipFile,
    owner: account_data.Ownership,
    account_id: int,
    files: FileStore,
) -> int:
    table = owner.table
    order = [column for column in table.primary_key.columns]
    query = sa.select(table).where(owner.where(account_id)).order_by(*order)
    count = 0
    keys: list[str] = []
    with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as stream:
        for row in conn.execute(query.execution_options(yield_per=CHUNK)):
            values = dict(row._mapping)
            stream.write(json.dumps(values, separators=(",", ":")).encode() + b"\n")
            count += 1
            key = values.get("storage_key") if table.name in account_data.FILE_TABLES else None
            if key and files.exists(key):
                keys.append(key)
    for key in keys:  # a zip takes one member at a time: the files after the table
        with (
            files.open_for_reading(key) as source,
            archive.open(f"files/{key}", "w", force_zip64=True) as target,
        ):
            shutil.copyfileobj(source, target, 1 << 20)
    return count


# -- reading ------------------------------------------------------------------------------------


def manifest(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as archive:
            found: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise ArchiveRefused(f"{path} is not a Pillbox account archive") from None
    if found.get("format") != FORMAT or found.get("version") != VERSION:
        raise ArchiveRefused(f"{path} is not a Pillbox account archive of version {VERSION}")
    return found


def restore(
    conn: sa.Connection,
    path: Path,
    revision: str,
    files: FileStore,
    new_name: str | None = None,
) -> Restored:
    """Writes the archive's account into this database under the same ids. Run it in one
    transaction: a refusal (a clash named) leaves nothing behind."""
    found = manifest(path)
    if found["revision"] != revision:
        raise ArchiveRefused(
            f"the archive is of schema revision {found['revision']}, this database is at "
            f"{revision}: bring both to the same version with `pillbox db upgrade`"
        )
    account = {**found["account"], **({"name": new_name} if new_name else {})}
    with zipfile.ZipFile(path) as archive:
        _check_account(conn, account)
        for owner in _owners():
            if not owner.table.info.get("dialect_specific"):  # keyed by records checked
                _check_ids(conn, owner.table, _rows(archive, owner.table))
        conn.execute(accounts.insert().values(account))
        later: Later = []
        rows = sum(
            _insert(conn, owner.table, _rows(archive, owner.table), later) for owner in _owners()
        )
        for table, name, pending in later:  # cycles and self-references, once every row is in
            statement = (
                table.update()
                .where(table.c.id == sa.bindparam("_id"))
                .values({name: sa.bindparam("_v")})
            )
            for part in _chunks(iter(pending)):
                conn.execute(statement, part)
        _restore_files(archive, files)
    _advance_sequences(conn)
    return Restored(int(account["id"]), str(account["name"]), rows)


def _rows(archive: zipfile.ZipFile, table: sa.Table) -> Iterator[dict[str, Any]]:
    try:
        stream = archive.open(f"tables/{table.name}.jsonl")
    except KeyError:
        return
    with stream:
        for line in stream:
            yield json.loads(line)


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _check_account(conn: sa.Connection, account: dict[str, Any]) -> None:
    taken = conn.execute(
        sa.select(accounts.c.id, accounts.c.name).where(
            sa.or_(accounts.c.id == account["id"], accounts.c.name == account["name"])
        )
    ).first()
    if taken is not None and taken.name == account["name"]:
        raise ArchiveRefused(f"an account named {account['name']!r} exists already (use --as)")
    if taken is not None:
        raise ArchiveRefused(f"accounts id {account['id']} is taken")


def _check_ids(conn: sa.Connection, table: sa.Table, rows: Iterator[dict[str, Any]]) -> None:
    """Refuses, naming the first one, when a row's primary key or unique key is taken."""
    keys = [list(table.primary_key.columns)]
    keys += [list(c.columns) for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
    keys += [[column] for column in table.c if column.unique]
    keys = [columns for columns in keys if len(columns) == 1]
    for chunk in _chunks(rows):
        for (column,) in keys:
            values = [row[column.name] for row in chunk if row.get(column.name) is not None]
            if not values:
                continue
            clash = conn.scalar(sa.select(column).where(column.in_(values)).limit(1))
            if clash is not None:
                raise ArchiveRefused(f"{table.name} {column.name} {clash} is taken")


Later = list[tuple[sa.Table, str, list[dict[str, Any]]]]  # (table, column, [{_id, _v}])


def _insert(
    conn: sa.Connection, table: sa.Table, rows: Iterator[dict[str, Any]], later: Later
) -> int:
    deferred = account_data.deferred_columns(table)
    columns = set(table.c.keys())
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in deferred}
    count = 0
    for chunk in _chunks(rows):
        for row in chunk:
            for name in deferred:
                if row.get(name) is not None:
                    pending[name].append({"_id": row["id"], "_v": row[name]})
        clean = [
            {k: (None if k in deferred else v) for k, v in row.items() if k in columns}
            for row in chunk
        ]
        conn.execute(table.insert(), clean)
        count += len(chunk)
    later.extend((table, name, values) for name, values in pending.items() if values)
    return count


def _restore_files(archive: zipfile.ZipFile, files: FileStore) -> None:
    for info in archive.infolist():
        if not info.filename.startswith("files/") or info.is_dir():
            continue
        key = info.filename.removeprefix("files/")
        if files.exists(key):  # keys are random: the same key is the same file
            continue
        with archive.open(info) as source, files.open_for_writing(key) as target:
            while block := source.read(1 << 20):
                target.write(block)


def _advance_sequences(conn: sa.Connection) -> None:
    """PostgreSQL hands out ids from sequences that rows inserted with their own ids do not
    move: set each past the highest id, so that the next row created gets a free one."""
    if conn.dialect.name != "postgresql":
        return  # SQLite numbers a new row after the highest id (or its AUTOINCREMENT record)
    for table in base.metadata.sorted_tables:
        if not account_data.is_numbered(table) or table.info.get("dialect_specific"):
            continue
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"GREATEST(COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"COALESCE(pg_sequence_last_value(pg_get_serial_sequence('{table.name}', 'id')"
                "::regclass), 1)))"
            )
        )
