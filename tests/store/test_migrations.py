"""The schema comes from migrations; the table metadata must describe exactly what they build."""

import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from pillbox.store import migrate, search
from pillbox.store.engine import create_engine
from pillbox.store.tables.base import metadata
from tests.conftest import BACKENDS, POSTGRES_URL

# Search indexes, created per dialect by their migrations (FTS5 on SQLite; their columns are
# checked below), and SQLite's own FTS5 shadow tables.
DIALECT_SPECIFIC = {
    name for name, table in metadata.tables.items() if table.info.get("dialect_specific")
}


# Indexes over expressions (lower(city)), which SQLAlchemy does not reflect on SQLite: they are
# checked by name instead.
EXPRESSION_INDEXES = {
    index.name
    for table in metadata.tables.values()
    for index in table.indexes
    if any(not isinstance(e, sa.Column) for e in index.expressions)
}


def _include(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    if type_ == "table":
        shadow = any((name or "").startswith(f"{table}_") for table in DIALECT_SPECIFIC)
        return name not in DIALECT_SPECIFIC and not shadow
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def test_expression_indexes_exist(engine):
    listing = (
        "SELECT name FROM sqlite_master WHERE type = 'index'"
        if engine.dialect.name == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    )
    with engine.connect() as conn:
        existing = set(conn.scalars(sa.text(listing)))
    assert EXPRESSION_INDEXES
    assert EXPRESSION_INDEXES.issubset(existing)


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migrations_and_metadata_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _include})
        assert compare_metadata(context, metadata) == []


def test_database_is_at_the_latest_revision(engine):
    assert migrate.is_up_to_date(engine)


def test_the_latest_revision_read_from_the_files_is_alembics_head(engine):
    scripts = ScriptDirectory.from_config(migrate.alembic_config(engine))
    assert migrate.head_revision(engine) == scripts.get_current_head()


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


def test_an_upgrade_gathers_statistics_for_the_indexes_it_adds(tmp_path):
    import sqlalchemy as sa

    from pillbox.store.engine import create_engine, update_statistics

    engine = create_engine(f"sqlite:///{tmp_path}/stats.db")
    migrate.upgrade(engine, "0025")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO accounts (name, created_at) VALUES ('old', 'x')"))
        for number in range(20):
            conn.execute(
                sa.text(
                    "INSERT INTO parties (account_id, type, first_name, created_at, updated_at) "
                    "VALUES (1, 'person', :name, 'x', 'x')"
                ),
                {"name": f"P{number}"},
            )
        update_statistics(conn)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        analysed = set(conn.scalars(sa.text("SELECT idx FROM sqlite_stat1")))
    assert {"ix_parties_lower_name", "ix_parties_account_id_created_at"} <= analysed
    engine.dispose()


def test_migrations_downgrade_to_the_first_revision_and_up_again(tmp_path):
    from alembic import command

    from pillbox.store.engine import create_engine

    engine = create_engine(f"sqlite:///{tmp_path}/round.db")
    migrate.upgrade(engine)
    command.downgrade(migrate.alembic_config(engine), "0001")
    assert migrate.current_revision(engine) == "0001"
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)


# -- 0009: ranked search indexes ------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def fresh_engine(request, tmp_path):  # type: ignore[no-untyped-def]
    """An empty database of its own (a new schema on PostgreSQL), for migrating up and down."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path}/fresh.db")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("postgres_engine")  # skips when PostgreSQL is not reachable
    schema = f"pillbox_migrate_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = create_engine(POSTGRES_URL + f"?options=-csearch_path%3D{schema},public")
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


def _add_records(engine: sa.Engine) -> dict[str, int]:
    """A person, an organisation, an opportunity and a project with text custom fields."""
    from unittest import mock

    from pillbox.domain import changes
    from pillbox.domain.kases import KaseInput, create_kase
    from pillbox.domain.opportunities import OpportunityInput, create_opportunity
    from pillbox.domain.parties import PartyInput, create_party
    from pillbox.store import accounts, field_definitions
    from pillbox.store.accounts import Principal

    # These schemas predate the change history (0018): the records are written without it.
    no_history = mock.patch.object(changes, "record_many", lambda *args, **kwargs: None)
    with no_history, engine.begin() as conn:
        account_id = accounts.create_account(conn, "old")
        user_id = accounts.create_user(
            conn, account_id, email="a@example.com", name="A", username="a", admin=True
        )
        who = Principal(user_id, account_id, "write", True)
        nickname = field_definitions.create_definition(
            conn, account_id, "parties", name="Nickname", type="text"
        )
        source = field_definitions.create_definition(
            conn, account_id, "opportunities", name="Source", type="text"
        )
        person = PartyInput.model_validate(
            {
                "type": "person",
                "firstName": "Zoë",
                "lastName": "Müller",
                "emailAddresses": [{"address": "zoe@example.com"}],
                "phoneNumbers": [{"number": "+44 20 7946 0018"}],
                "fields": [{"definition": nickname, "value": "Bärbel"}],
            }
        )
        zoe = create_party(conn, who, person)
        acme = create_party(
            conn, who, PartyInput.model_validate({"type": "organisation", "name": "Müllerei"})
        )
        milestone = conn.execute(sa.text("SELECT min(id) FROM milestones")).scalar_one()
        deal = OpportunityInput.model_validate(
            {
                "name": "Café Rollout",
                "party": acme,
                "milestone": milestone,
                "fields": [{"definition": source, "value": "Trade Fair"}],
            }
        )
        project = KaseInput.model_validate(
            {"name": "Audit", "description": "Rollout at the Café", "party": acme}
        )
        return {
            "account": account_id,
            "zoe": zoe,
            "acme": acme,
            "deal": create_opportunity(conn, who, deal),
            "project": create_kase(conn, who, project),
        }


def _search(
    engine: sa.Engine, account_id: int, q: str, index: search.SearchIndex = search.PARTIES
) -> list[int]:
    with engine.connect() as conn:
        return search.search_ids(conn, account_id, q.split(), 0, 10, index)


def test_0009_reindexes_existing_records_and_its_downgrade_restores_the_old_index(fresh_engine):
    migrate.upgrade(fresh_engine)
    made = _add_records(fresh_engine)
    command.downgrade(migrate.alembic_config(fresh_engine), "0008")
    with fresh_engine.connect() as conn:
        old = conn.execute(sa.text("SELECT text FROM party_search ORDER BY party_id")).scalars()
        assert list(old) == [
            "Zoë Müller zoe@example.com +44 20 7946 0018 442079460018",
            "Müllerei",
        ]
        kase = conn.execute(sa.text("SELECT text FROM kase_search")).scalar_one()
        assert kase == "Audit Rollout at the Café"
    migrate.upgrade(fresh_engine)
    account = made["account"]
    assert _search(fresh_engine, account, "MULLER") == [made["zoe"], made["acme"]]
    assert _search(fresh_engine, account, "zoe muller") == [made["zoe"]]
    assert _search(fresh_engine, account, "barbel") == [made["zoe"]]
    assert _search(fresh_engine, account, "2079460018") == [made["zoe"]]
    assert _search(fresh_engine, account, "cafe", search.OPPORTUNITIES) == [made["deal"]]
    assert _search(fresh_engine, account, "trade fair", search.OPPORTUNITIES) == [made["deal"]]
    assert _search(fresh_engine, account, "cafe", search.KASES) == [made["project"]]
    assert _index_rows(fresh_engine) == _index_rows_as_reindexed(fresh_engine, made)


def _index_rows(engine: sa.Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            index.table.name: [
                tuple(row) for row in conn.execute(sa.select(index.table).order_by(sa.text("1")))
            ]
            for index in search.BY_ENTITY.values()
        }


def _index_rows_as_reindexed(
    engine: sa.Engine, made: dict[str, int]
) -> dict[str, list[tuple[object, ...]]]:
    """The index rows that the application writes for the same records."""
    records = [("zoe", search.PARTIES), ("acme", search.PARTIES)]
    records += [("deal", search.OPPORTUNITIES), ("project", search.KASES)]
    with engine.begin() as conn:
        for name, index in records:
            search.reindex(conn, made["account"], made[name], index)
    return _index_rows(engine)


@pytest.mark.parametrize("table", ["party_search", "opportunity_search", "kase_search"])
def test_search_index_columns_match_the_metadata(engine, table):
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(sa.text(f"PRAGMA table_info({table})"))
            built = [row.name for row in rows]
        else:
            built = [column["name"] for column in sa.inspect(conn).get_columns(table)]
    assert built == list(metadata.tables[table].columns.keys())


# -- 0014: ids never reused -----------------------------------------------------------------------


def test_0014_keeps_every_row_and_numbers_past_deleted_ids(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/old.db")
    migrate.upgrade(engine, "0013")
    made = _add_records(engine)
    with engine.begin() as conn:
        newest = conn.execute(sa.text("SELECT max(id) FROM parties")).scalar_one()
        conn.execute(sa.text("DELETE FROM parties WHERE id = :id"), {"id": newest})
        conn.execute(
            sa.text(
                "INSERT INTO tombstones (account_id, entity, record_id, deleted_at)"
                " VALUES (:account, 'parties', :id, '2026-01-01T00:00:00Z')"
            ),
            {"account": made["account"], "id": newest},
        )
        before = _row_counts(conn)
    migrate.upgrade(engine, "0014")
    with engine.begin() as conn:
        # no cascade ran while tables were rebuilt
        assert _row_counts(conn) == {**before, "seeded_id_blocks": 0}
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
        conn.execute(
            sa.text(
                "INSERT INTO parties (account_id, type, name, created_at, updated_at)"
                " VALUES (:account, 'organisation', 'New', 'x', 'x')"
            ),
            {"account": made["account"]},
        )
        assert conn.execute(sa.text("SELECT max(id) FROM parties")).scalar_one() == newest + 1
    engine.dispose()


def _row_counts(conn: sa.Connection) -> dict[str, int]:
    names = conn.execute(
        sa.text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ).scalars()
    return {
        name: conn.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names
    }


def test_every_table_numbered_by_id_never_reuses_ids_on_sqlite(sqlite_template):
    engine = create_engine(f"sqlite:///{sqlite_template}")
    with engine.connect() as conn:
        definitions = dict(
            conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all()
        )
    engine.dispose()
    numbered = [
        table.name
        for table in metadata.sorted_tables
        if [c.name for c in table.primary_key.columns] == ["id"]
        and isinstance(table.c.id.type, sa.Integer)
    ]
    assert "parties" in numbered and "party_email_addresses" in numbered
    assert [name for name in numbered if "AUTOINCREMENT" not in definitions[name]] == []
