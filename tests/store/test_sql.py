"""The store's fast path raises SQLAlchemy's errors, so callers handle one kind on both paths."""

import pytest
import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store import accounts, parties


def test_a_constraint_violation_is_an_integrity_error(engine):
    with engine.connect() as conn:
        account = accounts.create_account(conn, "sql-errors")
        now = timestamps.now()
        row = dict(
            account_id=account,
            type="organisation",
            name="Twin",
            organisation_key="twin",
            created_at=now,
            updated_at=now,
        )
        parties.insert(conn, row)
        with pytest.raises(sa.exc.IntegrityError):
            parties.insert(conn, row)
        conn.rollback()


def test_a_list_parameter_is_expanded_wherever_the_statement_uses_it(engine):
    """`Query` expands an IN list once per use, beside the other parameters, in their order."""
    from pillbox.store.sql import Query, ids_param
    from pillbox.store.tables.accounts import accounts as accounts_table

    def arm(label: str) -> sa.Select:
        return sa.select(sa.literal_column(f"'{label}'"), accounts_table.c.id).where(
            ids_param(accounts_table.c.id), accounts_table.c.name != sa.bindparam("skip")
        )

    query = Query(sa.union_all(arm("a"), arm("b")))
    with engine.connect() as conn:
        made = [accounts.create_account(conn, f"list-{i}") for i in range(4)]
        wanted = [made[0], made[2], made[3]]
        for ids in (wanted, wanted[:1], []):
            rows = sorted(query.tuples(conn, ids=ids, skip="list-3"))
            expected = sorted((label, i) for label in "ab" for i in ids if i != made[3])
            assert rows == expected
        conn.rollback()
