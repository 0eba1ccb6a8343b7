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
