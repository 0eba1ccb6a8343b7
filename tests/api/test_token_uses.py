"""A token's last use is written in batches, never once per request."""

import sqlalchemy as sa
from sqlalchemy import event

from pillbox.api.database import Database
from pillbox.api.token_uses import TokenUses
from pillbox.store.tables.accounts import tokens
from tests.conftest import run_async


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def last_used(engine, token_id):
    with engine.connect() as conn:
        return conn.scalar(sa.select(tokens.c.last_used_at).where(tokens.c.id == token_id))


def token_ids(engine, account):
    with engine.connect() as conn:
        query = sa.select(tokens.c.id).where(tokens.c.user_id == account.user_id)
        return list(conn.scalars(query.order_by(tokens.c.id)))


def test_uses_are_written_at_most_once_a_minute_in_one_batch(engine, account):
    writes = []
    event.listen(engine, "before_cursor_execute", lambda *a: writes.append(a[2]))
    clock, db = Clock(), Database(engine)
    uses = TokenUses(db, clock=clock)
    first, second = token_ids(engine, account)

    async def requests():
        await uses.note(first)  # the process's first request writes at once
        assert last_used(engine, first) == "2027-01-15T08:00:00Z"
        writes.clear()
        for _ in range(400):
            clock.now += 0.125  # 50 s of requests with both tokens
            await uses.note(first)
            await uses.note(second)
        assert [w for w in writes if w.lstrip().upper().startswith("UPDATE")] == []
        assert last_used(engine, second) is None
        clock.now += 10.0
        await uses.note(second)  # a minute on: every use noted since, in one statement
        await uses.flush()  # nothing new noted: nothing written

    run_async(requests())
    db.close()
    updates = [w for w in writes if w.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1
    assert last_used(engine, first) == "2027-01-15T08:00:50Z"
    assert last_used(engine, second) == "2027-01-15T08:01:00Z"


def test_a_request_notes_the_token_it_carried(account, engine):
    account.get("/parties")  # with the write token, made before the read token
    write, read = token_ids(engine, account)
    assert last_used(engine, write).endswith("Z") and last_used(engine, read) is None
