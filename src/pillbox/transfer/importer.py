"""Running a CSV import: rows through the domain in batches, each batch one transaction.

Each batch commits its rows together with the import's progress (rows done, byte offset, counts,
refused rows), so an import cut short by a crash or Ctrl-C leaves the database at the end of
a batch, and the same command again carries on from there. Each row runs in a savepoint: a
refused row leaves nothing behind, and the rows around it go in.
"""

import dataclasses
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.domain import changes
from pillbox.store import entries as entry_store
from pillbox.store import jobs as job_store
from pillbox.store.accounts import Principal
from pillbox.store.engine import WRITE
from pillbox.store.files import FileStore, forget_copy, local_copy
from pillbox.store.tables.accounts import users
from pillbox.store.tables.imports import import_rejects, imports
from pillbox.transfer import csv_files, party_rows, record_rows
from pillbox.transfer.context import Context, RowError
from pillbox.transfer.plan import Options, Plan, make_plan

OUTCOMES = ("created", "updated", "unchanged", "failed")
IMPORT_JOB = "import_csv"
IMPORTING = "Importing CSV"  # the job's action label


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    organisations: int = 0

    def summary(self) -> str:
        return ", ".join(f"{name} {getattr(self, name)}" for name in OUTCOMES)

    @classmethod
    def of(cls, row: Any) -> "Counts":
        return cls(row.created, row.updated, row.unchanged, row.failed, row.organisations)


# -- the import's row ------------------------------------------------------------------------------


def start(conn: sa.Connection, actor: Principal, options: Options, digest: str) -> Any:
    """The unfinished import of this file and options, or a new one."""
    query = sa.select(imports).where(
        imports.c.account_id == actor.account_id,
        imports.c.entity == options.entity,
        imports.c.digest == digest,
        imports.c.finished.is_(False),
    )
    found = conn.execute(query.order_by(imports.c.id.desc()).limit(1)).first()
    return found if found is not None else find(conn, create(conn, actor, options, digest))


def create(
    conn: sa.Connection, actor: Principal, options: Options, digest: str, key: str | None = None
) -> int:
    now = timestamps.now()
    values = dict(
        account_id=actor.account_id,
        user_id=actor.user_id,
        entity=options.entity,
        digest=digest,
        options=options.to_json(),
        storage_key=key,
        finished=False,
        rows_done=0,
        byte_offset=0,
        created=0,
        updated=0,
        unchanged=0,
        failed=0,
        organisations=0,
        created_at=now,
        updated_at=now,
    )
    key_row = conn.execute(imports.insert().values(values)).inserted_primary_key
    assert key_row is not None
    return int(key_row[0])


def find(conn: sa.Connection, import_id: int) -> Any:
    return conn.execute(sa.select(imports).where(imports.c.id == import_id)).first()


def _save(
    conn: sa.Connection, import_id: int, counts: Counts, rows: int, offset: int, finished: bool
) -> None:
    conn.execute(
        imports.update()
        .where(imports.c.id == import_id)
        .values(
            rows_done=rows,
            byte_offset=offset,
            finished=finished,
            updated_at=timestamps.now(),
            **{name: getattr(counts, name) for name in (*OUTCOMES, "organisations")},
        )
    )


# -- rows ------------------------------------------------------------------------------------------


@dataclass
class Batch:
    """Imports rows one at a time into the open transaction of `context`. A careful batch puts
    each row in a savepoint and records a refused one; a hasty one lets the error out."""

    context: Context
    plan: Plan
    import_id: int
    counts: Counts
    careful: bool = True

    def row(self, number: int, cells: list[str]) -> None:
        values = {key: cell.strip() for key, cell in zip(self.plan.keys, cells, strict=True) if key}
        values = {key: value for key, value in values.items() if value}
        if not self.careful:
            outcome, organisation = self._write(values)
        else:
            try:
                with self.context.conn.begin_nested():
                    outcome, organisation = self._write(values)
            except RowError as error:
                self._refuse(number, cells, error)
                return
        setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)
        if organisation is not None:
            self.counts.organisations += 1

    def _write(self, values: dict[str, str]) -> tuple[str, str | None]:
        context, entity, match = self.context, self.context.entity, self.plan.match
        if entity == "parties":
            party_id = party_rows.find(context, values, match)
            organisation = party_rows.new_organisation(context, values)
            return party_rows.write(context, values, party_id), organisation
        spec = record_rows.SPECS[entity]
        record_id = record_rows.find(context, spec, values, match)
        return record_rows.write(context, spec, values, record_id), None

    def _refuse(self, number: int, cells: list[str], error: RowError) -> None:
        self.counts.failed += 1
        column = self.plan.column_of(error.key)
        self.context.conn.execute(
            import_rejects.insert().values(
                import_id=self.import_id,
                row=number,
                column=column,
                error=f"{column}: {error.message}" if column else error.message,
                data=json.dumps(cells),
            )
        )


Progress = Callable[[int], None]


def check(engine: sa.Engine, actor: Principal, path: Path, options: Options) -> Plan:
    """The plan for the file (raises ImportRefused when the import cannot run); no writes."""
    with engine.connect() as conn, csv_files.open_csv(path) as source:
        return make_plan(Context.load(conn, actor, options.entity), source.header, options)


def run(
    engine: sa.Engine,
    actor: Principal,
    path: Path,
    options: Options,
    *,
    dry_run: bool = False,
    batch_size: int = 500,
    progress: Progress | None = None,
    after_batch: Callable[[int], None] | None = None,
    rejects: IO[str] | None = None,
    planned: Callable[[Plan], None] | None = None,
) -> Counts:
    """Imports the file; `after_batch(n)` is called after the n-th batch is committed."""
    digest = csv_files.digest(path, options.to_json())
    with _connection(engine) as conn, changes.via("import"):
        if dry_run:
            with conn.begin() as transaction:
                counts = _dry_run(conn, actor, path, options, digest, progress, rejects, planned)
                transaction.rollback()
            return counts
        with conn.begin():
            state = start(conn, actor, options, digest)
        with csv_files.open_csv(path, state.byte_offset, state.rows_done) as source:
            with conn.begin():
                plan = make_plan(Context.load(conn, actor, options.entity), source.header, options)
            if planned is not None:
                planned(plan)
            if progress is not None and state.rows_done:
                progress(state.rows_done)
            counts = _batches(conn, actor, plan, state, source, batch_size, progress, after_batch)
        if rejects is not None:
            with conn.begin():
                write_rejects(conn, state.id, plan.header, rejects)
    return counts


def _connection(engine: sa.Engine) -> Any:
    return engine.connect().execution_options(**{WRITE: True})


def _batches(
    conn: sa.Connection,
    actor: Principal,
    plan: Plan,
    state: Any,
    source: csv_files.CsvSource,
    batch_size: int,
    progress: Progress | None,
    after_batch: Callable[[int], None] | None,
) -> Counts:
    counts, done, number = Counts.of(state), state.rows_done, 0
    rows = source.rows
    while True:
        with conn.begin():
            counts, taken = _take(conn, actor, plan, state.id, counts, rows, batch_size)
            done += taken
            _save(conn, state.id, counts, done, source.offset, finished=taken < batch_size)
        number += 1
        if progress is not None and taken:
            progress(taken)
        if taken < batch_size:
            return counts
        if after_batch is not None:
            after_batch(number)


Rows = Iterator[tuple[int, list[str]]]


def _take(
    conn: sa.Connection,
    actor: Principal,
    plan: Plan,
    import_id: int,
    counts: Counts,
    rows: Rows,
    size: int,
) -> tuple[Counts, int]:
    """Imports the next `size` rows into the open transaction; returns the counts after them
    and how many rows there were.

    A savepoint for every row costs more than the row's own writes, so the rows go in first
    without one, in a savepoint of their own; only a chunk in which a row is refused is done
    again, row by row, each in its savepoint."""
    chunk = list(itertools.islice(rows, size))
    trial = dataclasses.replace(counts)
    try:
        with conn.begin_nested():
            hasty = Batch(Context.load(conn, actor, plan.entity), plan, import_id, trial, False)
            for number, cells in chunk:
                hasty.row(number, cells)
        return trial, len(chunk)
    except RowError:
        pass
    careful = dataclasses.replace(counts)
    batch = Batch(Context.load(conn, actor, plan.entity), plan, import_id, careful)
    for number, cells in chunk:
        batch.row(number, cells)
    return careful, len(chunk)


def _dry_run(
    conn: sa.Connection,
    actor: Principal,
    path: Path,
    options: Options,
    digest: str,
    progress: Progress | None,
    rejects: IO[str] | None,
    planned: Callable[[Plan], None] | None,
) -> Counts:
    """The whole file in one transaction that the caller rolls back."""
    import_id = create(conn, actor, options, digest)
    counts = Counts()
    with csv_files.open_csv(path) as source:
        plan = make_plan(Context.load(conn, actor, options.entity), source.header, options)
        if planned is not None:
            planned(plan)
        while True:
            counts, taken = _take(conn, actor, plan, import_id, counts, source.rows, 500)
            if progress is not None:
                progress(taken)
            if taken < 500:
                break
    if rejects is not None:
        write_rejects(conn, import_id, plan.header, rejects)
    return counts


def write_rejects(conn: sa.Connection, import_id: int, header: list[str], out: IO[str]) -> None:
    """The refused rows as CSV: the input's columns, then `row` and `error`."""
    writer = csv_files.writer(out)
    writer.writerow([*header, "row", "error"])
    query = (
        sa.select(import_rejects.c.row, import_rejects.c.error, import_rejects.c.data)
        .where(import_rejects.c.import_id == import_id)
        .order_by(import_rejects.c.row)
    )
    for row in conn.execute(query.execution_options(yield_per=1000)):
        writer.writerow([*json.loads(row.data), row.row, row.error])


# -- as a job (POST /api/v2/imports) ------------------------------------------------------------


def schedule(
    conn: sa.Connection, actor: Principal, options: Options, path: Path, key: str, total: int
) -> tuple[int, str]:
    """Records an import of the stored file `key` and the job that runs it: (import, job id)."""
    digest = csv_files.digest(path, options.to_json())
    import_id = create(conn, actor, options, digest, key)
    options_with_total = {**json.loads(options.to_json()), "total": total}
    conn.execute(
        imports.update()
        .where(imports.c.id == import_id)
        .values(options=json.dumps(options_with_total))
    )
    job_id = job_store.create_job(
        conn, actor.account_id, IMPORT_JOB, IMPORTING, import_id, max(total, 1)
    )
    return import_id, job_id


def job_step(files: FileStore) -> Callable[[sa.Connection, int, int], int]:
    """The worker's step for import jobs: the next `batch` rows; returns the rows still to do."""

    def step(conn: sa.Connection, import_id: int, batch: int) -> int:
        with changes.via("import"):
            return _step(conn, import_id, batch)

    def _step(conn: sa.Connection, import_id: int, batch: int) -> int:
        state = find(conn, import_id)
        if state is None or state.finished or state.storage_key is None:
            return 0
        actor = _actor_of(conn, state)
        options = Options.from_json(state.options)
        path = local_copy(files, state.storage_key)
        with csv_files.open_csv(path, state.byte_offset, state.rows_done) as source:
            context = Context.load(conn, actor, options.entity)
            plan = make_plan(context, source.header, options)
            counts = Counts.of(state)
            counts, taken = _take(conn, actor, plan, state.id, counts, source.rows, batch)
            done, finished = state.rows_done + taken, taken < batch
            _save(conn, state.id, counts, done, source.offset, finished)
        if finished:  # the upload is no longer needed: the worker's sweep removes it
            entry_store.orphan(conn, [state.storage_key])
            forget_copy(state.storage_key)
            conn.execute(imports.update().where(imports.c.id == state.id).values(storage_key=None))
            return 0
        total = int(json.loads(state.options).get("total", 0))
        return max(total - int(done), 1)

    return step


def _actor_of(conn: sa.Connection, state: Any) -> Principal:
    is_admin = conn.scalar(sa.select(users.c.is_admin).where(users.c.id == state.user_id))
    return Principal(state.user_id, state.account_id, "read write", bool(is_admin))


def job_report(conn: sa.Connection, account_id: int, import_id: int, limit: int) -> Any:
    """The import behind a job, and its first `limit` refused rows, for `/jobs/{id}`."""
    state = conn.execute(
        sa.select(imports).where(imports.c.id == import_id, imports.c.account_id == account_id)
    ).first()
    if state is None:
        return None, []
    query = (
        sa.select(import_rejects.c.row, import_rejects.c.column, import_rejects.c.error)
        .where(import_rejects.c.import_id == import_id)
        .order_by(import_rejects.c.row)
        .limit(limit)
    )
    return state, list(conn.execute(query))
