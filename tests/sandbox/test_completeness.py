"""Snapshots and forks cover every table of an account, and no other account's rows."""

import sqlalchemy as sa

from pillbox.api import v2
from pillbox.store import account_data
from tests.api.v2.examples import EXAMPLES

RESOURCES = sorted(
    {e.resource for e in v2.endpoints() if e.resource and e.resource.create},
    key=lambda r: r.key,
)


def fill(account):
    """One record of every kind the API creates (twice, so links between them exist), a note
    with an attachment, and a deleted party (a tombstone)."""
    for _ in range(2):
        for resource in RESOURCES:
            new, _change = EXAMPLES[resource.key]
            response = account.post(resource.path, {resource.singular: new(account)})
            assert response.status_code == 201, (resource.key, response.text)
    party = account.post("/parties", {"party": {"type": "organisation", "name": "Gone"}})
    account.delete(f"/parties/{party.json()['party']['id']}")


def counts(engine, account_id):
    with engine.connect() as conn:
        return {
            owner.table.name: conn.scalar(
                sa.select(sa.func.count()).select_from(owner.table).where(owner.where(account_id))
            )
            for owner in account_data.ownerships()
        }


def test_every_table_is_covered_or_deliberately_left_out():
    assert account_data.uncovered_tables() == []


def test_a_fork_has_as_many_rows_as_its_original_in_every_table(admin, account, engine):
    fill(account)
    forked = admin.request("POST", "/fork", token=account.token)
    assert forked.status_code == 201, forked.text
    original = counts(engine, account.id)
    assert original["hook_deliveries"] and original["tombstones"] and original["tasks"]
    assert counts(engine, forked.json()["account"]["id"]) == original


def test_a_snapshot_restores_every_table(admin, account, engine):
    from tests.api.snapshot import account_snapshot

    fill(account)
    before = account_snapshot(engine, account.id)
    before_counts = counts(engine, account.id)
    saved = admin.request("POST", "/snapshots", token=account.token, json={"name": "full"})
    assert saved.status_code == 201
    admin.request("POST", "/reset", token=account.token)
    assert counts(engine, account.id) != before_counts
    assert admin.request("POST", "/snapshots/full/restore", token=account.token).status_code == 204
    assert counts(engine, account.id) == before_counts
    assert account_snapshot(engine, account.id) == before


def test_forks_and_restores_leave_other_accounts_alone(admin, account, other_account, engine):
    fill(other_account)
    before = counts(engine, other_account.id)
    fill(account)
    admin.request("POST", "/snapshots", token=account.token, json={"name": "s"})
    admin.request("POST", "/fork", token=account.token)
    admin.request("POST", "/reset", token=account.token)
    admin.request("POST", "/snapshots/s/restore", token=account.token)
    assert counts(engine, other_account.id) == before
