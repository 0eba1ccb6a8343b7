"""An import from start to end: open the account and its import, run the phases page by page,
committing each page with the position after it, then settle what waited and say what was done.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.capsule_import import activity, anonymiser, deletions, state
from pillbox.capsule_import.client import PER_PAGE, CapsuleClient
from pillbox.capsule_import.ids import IdMap, advance_sequences
from pillbox.capsule_import.phases import BY_NAME, PHASES, TRACKS, Context, Phase
from pillbox.capsule_import.report import Report
from pillbox.capsule_import.rows import ref
from pillbox.capsule_import.state import State
from pillbox.capsule_import.writer import Writer
from pillbox.store import accounts as account_store
from pillbox.store.engine import WRITE
from pillbox.store.files import FileStore
from pillbox.store.tables.tasks import tasks as task_table

ORDER = [phase.name for phase in PHASES] + [TRACKS]
TRACK_RECORDS_PER_PAGE = 20


class ImportRefused(Exception):
    """The import cannot start; the message says why, in one line."""


class Progress(Protocol):
    def phase(self, name: str, done: int) -> None: ...

    def advance(self, count: int) -> None: ...


@dataclass(frozen=True)
class Options:
    account: str
    origin: str
    anonymise: bool = False
    since_last: bool = False


class Importer:
    def __init__(
        self,
        engine: sa.Engine,
        client: CapsuleClient,
        files: FileStore,
        options: Options,
        progress: Progress,
        say: Callable[[str], None],
    ) -> None:
        self.engine, self.client, self.files, self.options = engine, client, files, options
        self.progress, self.say = progress, say
        self._state: State | None = None
        self._resumed = False

    def prepare(self) -> State:
        """Opens the account and its import (a new run, or the one under way); said once."""
        if self._state is None:
            with self._connection() as conn:
                self._state = self._open(conn)
        return self._state

    @property
    def resumed(self) -> bool:
        return self._resumed

    def run(self) -> Report:
        current = self.prepare()
        with self._connection() as conn:
            with conn.begin():
                ids = IdMap(conn, current.account_id)
            writer = Writer(conn, current.account_id, ids, current.report)
            if self.options.anonymise:
                writer.text_values = anonymiser.text_value
            context = Context(
                self.client, self.files, current.report, current.started_at, self.options.anonymise
            )
            while current.phase is not None:
                self._run_phase(conn, current, writer, context)
            return current.report

    def _connection(self) -> Any:
        return self.engine.connect().execution_options(**{WRITE: True})

    # -- opening --------------------------------------------------------------------------------

    def _open(self, conn: sa.Connection) -> State:
        with conn.begin():
            account_id = _account(conn, self.options.account)
            current = state.load(conn, account_id)
            if current is not None and current.under_way:
                self._check_same_run(current)
                self._resumed = True
                self.say(
                    f"Going on with the import stopped at {current.phase}, page {current.page}."
                )
                return current
            if self.options.since_last and (current is None or current.synced_at is None):
                raise ImportRefused(
                    f"No finished import into {self.options.account!r} to go on from: "
                    "run it once without --since-last."
                )
            since = current.synced_at if self.options.since_last and current else None
            fresh = State(
                account_id=account_id,
                origin=self.options.origin,
                phase=ORDER[0],
                page=1,
                started_at=timestamps.now(),
                synced_at=current.synced_at if current else None,
                report=Report(since=since, anonymise=self.options.anonymise),
            )
            for name in ORDER:  # a line each in the summary, even for none
                fresh.report.count(name, "read", 0)
            state.save(conn, fresh)
            return fresh

    def _check_same_run(self, current: State) -> None:
        """A run under way goes on only as it started: from the same origin, anonymised or not."""
        if current.origin != self.options.origin:
            raise ImportRefused(
                f"The import under way into {self.options.account!r} reads {current.origin}: "
                f"run it with --url {current.origin} to go on."
            )
        if current.report.anonymise != self.options.anonymise:
            flag = "with" if current.report.anonymise else "without"
            raise ImportRefused(
                f"The import under way into {self.options.account!r} was started {flag} "
                f"--anonymise: run it {flag} --anonymise to go on."
            )

    # -- running --------------------------------------------------------------------------------

    def _run_phase(
        self, conn: sa.Connection, current: State, writer: Writer, context: Context
    ) -> None:
        assert current.phase is not None
        self.progress.phase(current.phase, (current.page - 1) * PER_PAGE)
        if current.phase == TRACKS:
            more = self._tracks_page(conn, current, writer)
        else:
            phase = BY_NAME[current.phase]
            if phase.name == "tasks" and not context.usernames:
                self._learn_usernames(context)
            more = self._list_page(conn, current, writer, context, phase)
        if not more:
            self._next_phase(conn, current, writer)

    def _list_page(
        self, conn: sa.Connection, current: State, writer: Writer, context: Context, phase: Phase
    ) -> bool:
        since = current.report.since
        params = dict(phase.params)
        if since is not None and phase.since:
            params["since"] = since
        page = self.client.page(phase.path, phase.key, current.page, params)
        context.files_written.clear()
        try:
            # Converting reads what the list does not show (additional parties, files): done
            # before the transaction, which holds SQLite's write lock, so others' writes never
            # wait on Capsule.
            changed = [
                wire
                for wire in page.items
                if not (since is not None and phase.updated_filter and _unchanged(wire, since))
            ]
            converted = [phase.convert(context, wire) for wire in changed]
            with conn.begin():
                for record in converted:
                    if record is not None:  # None: one of Capsule's built-in activity types
                        current.report.count(phase.name, "read")
                        writer.write(phase.name, record)
                self._save_page(conn, current, writer)
        except BaseException:
            for key in context.files_written:  # downloaded for a page that was not written
                self.files.delete(key)
            raise
        self.progress.advance(len(page.items))
        return page.has_more

    def _tracks_page(self, conn: sa.Connection, current: State, writer: Writer) -> bool:
        start = (current.page - 1) * TRACK_RECORDS_PER_PAGE
        chosen = current.report.track_records[start : start + TRACK_RECORDS_PER_PAGE]
        listed = [(c, i, self._tracks_of(c, i)) for c, i in chosen]
        with conn.begin():
            for collection, record_id, tracks in listed:
                for wire in tracks:
                    self._write_track(conn, current, writer, collection, record_id, wire)
            self._save_page(conn, current, writer)
        self.progress.advance(len(chosen))
        return start + TRACK_RECORDS_PER_PAGE < len(current.report.track_records)

    def _tracks_of(self, collection: str, record_id: int) -> list[dict[str, Any]]:
        found, page, more = [], 1, True
        while more:
            path = f"/{collection}/{record_id}/tracks"
            listed = self.client.page(path, "tracks", page, {"embed": "tasks"})
            found += listed.items
            page, more = page + 1, listed.has_more
        return found

    def _write_track(
        self,
        conn: sa.Connection,
        current: State,
        writer: Writer,
        collection: str,
        record_id: int,
        wire: dict[str, Any],
    ) -> None:
        current.report.count(TRACKS, "read")
        link = {"parties": "party_id", "opportunities": "opportunity_id", "kases": "kase_id"}
        record = activity.track(wire, link[collection], record_id)
        record.row["created_at"] = record.row["created_at"] or current.started_at
        record.row["updated_at"] = record.row["updated_at"] or current.started_at
        local = writer.write(TRACKS, record)
        if local is None:
            return
        for position, task in enumerate(wire.get("tasks") or []):
            task_id = writer.ids.local("tasks", ref(task) or 0)
            if task_id is not None:
                conn.execute(
                    task_table.update()
                    .where(task_table.c.id == task_id)
                    .values(track_id=local, track_position=position)
                )

    def _learn_usernames(self, context: Context) -> None:
        page, more = 1, True
        while more:
            listed = self.client.page("/users", "users", page, {})
            for user in listed.items:
                context.usernames[str(user.get("username"))] = user["id"]
            page, more = page + 1, listed.has_more

    def _save_page(self, conn: sa.Connection, current: State, writer: Writer) -> None:
        writer.ids.flush()
        advance_sequences(conn, writer.tables)
        writer.tables.clear()
        current.page += 1
        state.save(conn, current)

    def _next_phase(self, conn: sa.Connection, current: State, writer: Writer) -> None:
        assert current.phase is not None
        position = ORDER.index(current.phase)
        last = position + 1 == len(ORDER)
        since = current.report.since
        deleted = deletions.read(self.client, since) if last and since is not None else {}
        with conn.begin():
            if not last:
                current.phase, current.page = ORDER[position + 1], 1
            else:
                deletions.apply(conn, current, writer.ids, deleted)
                writer.settle()
                current.phase, current.synced_at = None, current.started_at
            state.save(conn, current)


def _unchanged(wire: dict[str, Any], since: str) -> bool:
    updated = wire.get("updatedAt")
    return isinstance(updated, str) and updated < since  # `since` takes the moment itself


def _account(conn: sa.Connection, name: str) -> int:
    """The named account; created when missing, with the person titles every account has but
    none of the default pipeline and board: the import brings the account's own."""
    found = account_store.account_id_by_name(conn, name)
    if found is not None:
        return found
    account_id = account_store.create_bare_account(conn, name)
    account_store.create_default_titles(conn, account_id)
    return account_id
