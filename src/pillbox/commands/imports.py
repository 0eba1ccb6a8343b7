"""`pillbox import csv`: people, organisations, opportunities, projects or tasks from a CSV file."""

import contextlib
import sys
from pathlib import Path
from typing import IO, Annotated

import typer

from pillbox.commands.common import administrator, engine, refuse
from pillbox.transfer import csv_files, importer
from pillbox.transfer.plan import ENTITIES, ImportRefused, Options, Plan, parse_mapping

import_app = typer.Typer(
    help="Bring data in: CSV files and account archives.", no_args_is_help=True
)


@import_app.command("csv")
def import_csv(
    file: Annotated[Path, typer.Argument(help="The CSV file (UTF-8; , ; or tab).")],
    account: Annotated[str, typer.Option(help="Account name.")],
    type: Annotated[str, typer.Option(help="parties, opportunities, projects or tasks.")],
    map: Annotated[
        list[str] | None,
        typer.Option(help='"CSV column=field" for a column not recognised; repeat for several.'),
    ] = None,
    match: Annotated[
        str | None,
        typer.Option(help="email, name, id or none (default: email if there is one, else name)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option(help="Report what would happen; change nothing.")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="Write the refused rows here, with their row and error.")
    ] = None,
    batch: Annotated[int, typer.Option(min=1, max=100_000, help="Rows per transaction.")] = 500,
) -> None:
    """Import rows through the same rules as the API; matching rows update, others are created.

    Exit status: 0 when every row went in, 1 when some were refused, 2 when nothing could run."""
    database = engine()
    with database.connect() as conn:
        actor = administrator(conn, account)
    if type not in ENTITIES:
        refuse(f"--type must be one of {', '.join(ENTITIES)}.")
    if not file.is_file():
        refuse(f"No file {str(file)!r}.")
    try:
        options = Options(ENTITIES[type], parse_mapping(map or []), match)
    except ImportRefused as error:
        refuse(str(error))
    try:
        _report_plan(importer.check(database, actor, file, options))
    except ImportRefused as error:
        refuse(str(error))
    except csv_files.UnreadableCsv as error:
        refuse(f"{file}: {error}.")
    total = _count(file)
    bar = typer.progressbar(length=total, label="Importing", file=sys.stderr)
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(bar)
            out = stack.enter_context(_open(rejects)) if rejects else None
            counts = importer.run(
                database,
                actor,
                file,
                options,
                dry_run=dry_run,
                batch_size=batch,
                progress=bar.update,
                rejects=out,
            )
    except ImportRefused as error:
        refuse(str(error))
    except csv_files.UnreadableCsv as error:
        refuse(f"{file}: {error}.")
    except KeyboardInterrupt:
        refuse("Interrupted: every finished batch is in; the same command again finishes the file.")
    if counts.organisations:
        typer.echo(f"organisations created {counts.organisations}")
    if dry_run:
        typer.echo("Dry run: nothing was changed.", err=True)
    typer.echo(counts.summary())
    raise typer.Exit(1 if counts.failed else 0)


def _open(path: Path) -> IO[str]:
    try:
        return open(path, "w", newline="", encoding="utf-8")
    except OSError as error:
        refuse(f"Cannot write {str(path)!r}: {error.strerror}.")


def _count(file: Path) -> int:
    try:
        return csv_files.count_rows(file)
    except csv_files.UnreadableCsv as error:
        refuse(f"{file}: {error}.")


def _report_plan(plan: Plan) -> None:
    if plan.ignored:
        typer.echo(f"Ignoring columns: {', '.join(plan.ignored)}", err=True)
    typer.echo(f"Matching by {plan.match}.", err=True)
