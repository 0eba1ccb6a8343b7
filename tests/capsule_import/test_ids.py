"""Ids written as they are: the database's own numbering goes on after them."""

import uuid

import sqlalchemy as sa

from pillbox.capsule_import.ids import advance_sequences
from pillbox.store import accounts as account_store
from pillbox.store.tables.records import tags


def test_rows_created_after_an_import_get_ids_past_the_ones_it_wrote(engine):
    with engine.begin() as conn:
        account_id = account_store.create_account(conn, f"ids-{uuid.uuid4().hex[:8]}")
        largest = conn.scalar(sa.select(sa.func.max(tags.c.id))) or 0
        explicit = largest + 1_000
        row = dict(
            account_id=account_id,
            entity="parties",
            data_tag=False,
            created_at="2025-01-01T00:00:00Z",
            updated_at="2025-01-01T00:00:00Z",
        )
        conn.execute(tags.insert().values(id=explicit, name="imported", name_key="imported", **row))
        advance_sequences(conn, {"tags"})
        created = conn.execute(tags.insert().values(name="new", name_key="new", **row))
        assert created.inserted_primary_key[0] > explicit
