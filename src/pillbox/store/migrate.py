"""Alembic, driven from code: upgrade a database and tell whether it is at the latest revision.

Telling needs no Alembic: the server asks at every start, and importing Alembic (with Mako and
Pygments behind it) would cost more than the rest of the start. The latest revision is read from
the migration files' `revision`/`down_revision` lines, the database's from `alembic_version`.
"""

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
_REVISION = re.compile(r"^(down_revision|revision)\b[^=\n]*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M)


def alembic_config(engine: sa.Engine) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    from alembic import command

    from pillbox.store.engine import update_statistics

    before = current_revision(engine)
    command.upgrade(alembic_config(engine), revision)
    if before is not None and current_revision(engine) != before:
        # An index a migration added has no statistics, and SQLite's planner takes one without
        # them for the best: after 0026 it listed 100,000 parties through the name index and
        # sorted them (7.5 ms a page, from 0.03) until statistics were next gathered.
        with engine.connect() as conn:
            update_statistics(conn)


def head_revision(engine: sa.Engine | None = None) -> str | None:
    """The revision no migration builds on (the same for every database)."""
    return _head(MIGRATIONS / "versions")


@cache
def _head(versions: Path) -> str | None:
    revisions: set[str] = set()
    built_on: set[str] = set()
    for script in versions.glob("*.py"):
        found = dict((kind, value) for kind, value in _REVISION.findall(script.read_text()))
        if "revision" in found:
            revisions.add(found["revision"])
            if found.get("down_revision"):
                built_on.add(found["down_revision"])
    heads = revisions - built_on
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current_revision(engine: sa.Engine) -> str | None:
    """The database's revision; None when it has never been migrated."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table(VERSION_TABLE):
            return None
        found = connection.scalar(sa.text(f"SELECT version_num FROM {VERSION_TABLE}"))
        return str(found) if found is not None else None


def is_up_to_date(engine: sa.Engine) -> bool:
    return current_revision(engine) == head_revision(engine)
