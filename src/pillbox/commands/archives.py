"""`pillbox export account`, `pillbox import account` and `pillbox backup`: whole accounts and
whole databases, for backups, restores and moving from SQLite to PostgreSQL."""

import sqlite3
from pathlib import Path
from typing import Annotated

import sqlalchemy as sa
import typer
from sqlalchemy.engine import make_url

from pillbox.commands.common import engine, refuse
from pillbox.commands.console import settings
from pillbox.commands.exports import export_app
from pillbox.commands.imports import import_app
from pillbox.store import accounts as account_store
from pillbox.store import migrate
from pillbox.store.engine import WRITE
from pillbox.store.files import open_store
from pillbox.transfer import archive


@export_app.command("account")
def export_account(
    account: Annotated[str, typer.Option(help="Account name.")],
    out: Annotated[Path, typer.Option(help="The archive file to write.")],
) -> None:
    """Write every row of the account (users, tokens, settings, records, history, hooks) and
    its attachments' bytes to one archive file."""
    database = engine()
    if out.exists():
        refuse(f"{out} exists already; choose a new file.")
    revision = migrate.current_revision(database) or ""
    configured = settings()
    files = open_store(configured.attachments_url, configured.attachments_dir)
    options = (
        {"isolation_level": "REPEATABLE READ"} if database.dialect.name == "postgresql" else {}
    )
    with database.connect().execution_options(**options) as conn, conn.begin():
        account_id = account_store.account_id_by_name(conn, account)
        if account_id is None:
            refuse(f"No account named {account!r}.")
        try:
            rows = archive.write(conn, account_id, revision, out, files)
        except OSError as error:
            out.unlink(missing_ok=True)
            refuse(f"Cannot write {str(out)!r}: {error.strerror}.")
    typer.echo(f"Wrote {rows:,} rows of account {account!r} to {out}.", err=True)


@import_app.command("account")
def import_account(
    file: Annotated[Path, typer.Argument(help="An archive written by `pillbox export account`.")],
    as_name: Annotated[
        str | None, typer.Option("--as", help="Restore under this account name instead.")
    ] = None,
) -> None:
    """Restore an account archive into this database, SQLite or PostgreSQL, under the same
    ids; refused, naming the first clash, where an id is taken."""
    database = engine()
    if not file.is_file():
        refuse(f"No file {str(file)!r}.")
    revision = migrate.current_revision(database) or ""
    configured = settings()
    files = open_store(configured.attachments_url, configured.attachments_dir)
    try:
        with database.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
            restored = archive.restore(conn, file, revision, files, as_name)
    except archive.ArchiveRefused as error:
        refuse(f"Not restored: {error}.")
    except sa.exc.DBAPIError as error:  # a database the archive's rows do not fit
        refuse(f"Not restored: {error.orig}.")
    typer.echo(
        f"Restored account {restored.name!r} ({restored.rows:,} rows) from {file}.", err=True
    )


def backup(
    out: Annotated[Path, typer.Option(help="The copy to write (a new SQLite database file).")],
) -> None:
    """Copy a SQLite database while it is in use (sqlite3's online backup): the copy is a
    database `pillbox serve` can open. For PostgreSQL use pg_dump."""
    engine()  # a database Pillbox can use, migrated: else one line saying what is wrong
    url = make_url(settings().database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        refuse("pillbox backup copies a SQLite database file; for PostgreSQL use pg_dump.")
    if out.exists():
        refuse(f"{out} exists already; choose a new file.")
    source_path = Path(str(url.database))
    if not source_path.is_file():
        refuse(f"No database file {str(source_path)!r}.")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(out)
        with target:
            source.backup(target, pages=1024)
        target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        target.close()
    except sqlite3.Error as error:
        out.unlink(missing_ok=True)
        refuse(f"Backup failed: {error}.")
    finally:
        source.close()
    typer.echo(f"Backed up {source_path} to {out}.", err=True)
