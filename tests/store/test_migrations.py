"""The schema comes from migrations; the table metadata must describe exactly what they build."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from pillbox.store import migrate
from pillbox.store.tables import metadata

# Created per dialect by migration 0001 (FTS5 on SQLite), and SQLite's own FTS5 shadow tables.
DIALECT_SPECIFIC = {
    name for name, table in metadata.tables.items() if table.info.get("dialect_specific")
}


def _include(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    if type_ == "table":
        return name not in DIALECT_SPECIFIC and not (name or "").startswith("party_search_")
    return True


def test_migrations_and_metadata_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _include})
        assert compare_metadata(context, metadata) == []


def test_database_is_at_the_latest_revision(engine):
    assert migrate.is_up_to_date(engine)
