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
    from pillbox.store.sql import Query
    from pillbox.store.sql_terms import ids_param
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


def test_a_list_of_ids_is_one_text_parameter_on_postgresql_and_a_list_of_texts_stays_a_list(
    engine,
):
    """PostgreSQL gets integer ids as an array's text, cast in the statement (one string for the
    driver to send instead of a list adapted item by item); other lists are sent as lists."""
    from pillbox.store.sql import Query
    from pillbox.store.sql_terms import ids_param
    from pillbox.store.tables.accounts import accounts as accounts_table

    by_ids = Query(sa.select(accounts_table.c.name).where(ids_param(accounts_table.c.id)))
    by_names = Query(
        sa.select(accounts_table.c.id).where(ids_param(accounts_table.c.name, "names"))
    )
    sent: list[object] = []

    def note(_conn, _cursor, _sql, args, _context, _many):
        sent.append(args)

    with engine.connect() as conn:
        made = {f"ids-{i}": accounts.create_account(conn, f"ids-{i}") for i in range(3)}
        sa.event.listen(conn, "before_cursor_execute", note)
        try:
            wanted = [made["ids-0"], made["ids-2"]]
            assert sorted(by_ids.scalars(conn, ids=wanted)) == ["ids-0", "ids-2"]
            assert by_ids.scalars(conn, ids=[]) == []
            assert sorted(by_names.scalars(conn, names=["ids-1", "none"])) == [made["ids-1"]]
        finally:
            sa.event.remove(conn, "before_cursor_execute", note)
        conn.rollback()
    if engine.dialect.name == "postgresql":
        assert sent[0] == {"ids": "{" + ",".join(map(str, wanted)) + "}"}
        assert sent[1] == {"ids": "{}"}
        assert sent[2] == {"names": ["ids-1", "none"]}
    else:  # expanded into one placeholder per item
        assert sent[0] == wanted
        assert sent[2] == ["ids-1", "none"]
