"""The database a command works on: opened from PILLBOX_DATABASE_URL, reachable, migrated.

Each way it can be wrong is one line naming the database (its password hidden) and what to do:
a URL that does not parse or names no known database, a server that does not answer, a schema
that is not the latest (`pillbox db upgrade`). `db upgrade` says which migrations it applied.
"""

from pathlib import Path

import click
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from pillbox.commands.console import fail, settings
from pillbox.store import migrate
from pillbox.store.engine import create_engine


def shown(url: str) -> str:
    """The URL as it may be shown: its password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def database(migrated: bool = True) -> sa.Engine:
    """An engine on the configured database, which answers (and is at the latest schema when
    `migrated`); anything else ends the command with one line."""
    url = settings().database_url
    engine = _engine(url)
    command = click.get_current_context(silent=True)
    if command is not None:  # its connections close with the command, not when collected
        command.call_on_close(engine.dispose)
    try:
        current = migrate.current_revision(engine)
    except sa.exc.DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        fail(f"Cannot reach the database {shown(url)}: {reason}")
    if migrated and current != migrate.head_revision(engine):
        state = "has no schema yet" if current is None else "is not at the latest schema version"
        fail(f"The database {shown(url)} {state}. Run `pillbox db upgrade` first.")
    return engine


def _engine(url: str) -> sa.Engine:
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ValueError, ImportError) as error:
        fail(f"PILLBOX_DATABASE_URL={shown(url)!r} is not a database URL Pillbox can use: {error}")
    except OSError as error:
        fail(f"Cannot create the directory of the database {shown(url)}: {error.strerror}")


def upgrade() -> list[str]:
    """Applies every pending migration; returns each one applied, as `0020 its summary`."""
    engine = database(migrated=False)
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config(engine))
    before = migrate.current_revision(engine)
    migrate.upgrade(engine)
    applied = scripts.iterate_revisions(migrate.current_revision(engine), before)
    return [f"{script.revision} {_summary(script.doc)}" for script in reversed(list(applied))]


def _summary(doc: str) -> str:
    """A migration's first paragraph, on one line."""
    return " ".join(doc.split("\n\n")[0].split())
