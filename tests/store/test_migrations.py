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
        shadow = any((name or "").startswith(f"{table}_") for table in DIALECT_SPECIFIC)
        return name not in DIALECT_SPECIFIC and not shadow
    return True


def test_migrations_and_metadata_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _include})
        assert compare_metadata(context, metadata) == []


def test_database_is_at_the_latest_revision(engine):
    assert migrate.is_up_to_date(engine)


def test_upgrading_from_0001_gives_existing_accounts_the_default_titles(tmp_path):
    import sqlalchemy as sa

    from pillbox.store.accounts import DEFAULT_TITLES
    from pillbox.store.engine import create_engine

    engine = create_engine(f"sqlite:///{tmp_path}/old.db")
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO accounts (name, created_at) VALUES ('old', 'x')"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        titles = conn.execute(sa.text("SELECT title FROM titles ORDER BY id")).scalars().all()
    assert tuple(titles) == DEFAULT_TITLES


def test_migrations_downgrade_to_the_first_revision_and_up_again(tmp_path):
    from alembic import command

    from pillbox.store.engine import create_engine

    engine = create_engine(f"sqlite:///{tmp_path}/round.db")
    migrate.upgrade(engine)
    command.downgrade(migrate.alembic_config(engine), "0001")
    assert migrate.current_revision(engine) == "0001"
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)
