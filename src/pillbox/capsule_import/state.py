"""Where an account's import stands, kept in the database with the rows each page wrote.

Each page's rows, the ids they were given, and the position after the page are committed
together: an import stopped at any moment (Ctrl-C, a crash, a network that gave up) has written
whole pages, and knows which. Run again, it goes on from the next one.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from pillbox.capsule_import.report import Report
from pillbox.store.tables.capsule_imports import capsule_imports


@dataclass
class State:
    account_id: int
    origin: str
    phase: str | None  # None: no run under way
    page: int
    started_at: str
    synced_at: str | None  # when the last finished run started
    report: Report

    @property
    def under_way(self) -> bool:
        return self.phase is not None


def load(conn: sa.Connection, account_id: int) -> State | None:
    t = capsule_imports
    row = conn.execute(sa.select(t).where(t.c.account_id == account_id)).first()
    if row is None:
        return None
    report = Report.loads(row.report)
    return State(account_id, row.origin, row.phase, row.page, row.started_at, row.synced_at, report)


def save(conn: sa.Connection, state: State) -> None:
    t = capsule_imports
    values = dict(
        origin=state.origin,
        phase=state.phase,
        page=state.page,
        started_at=state.started_at,
        synced_at=state.synced_at,
        report=state.report.dumps(),
    )
    done = conn.execute(t.update().where(t.c.account_id == state.account_id).values(values))
    if done.rowcount == 0:
        conn.execute(t.insert().values(account_id=state.account_id, **values))
