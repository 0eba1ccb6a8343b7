"""`pillbox export csv`: every record of one type as a CSV file that `import csv` reads back."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from pillbox.commands.common import administrator, engine, refuse
from pillbox.transfer.exporter import export
from pillbox.transfer.plan import ENTITIES

export_app = typer.Typer(
    help="Take data out: CSV files and account archives.", no_args_is_help=True
)


@export_app.command("csv")
def export_csv(
    account: Annotated[str, typer.Option(help="Account name.")],
    type: Annotated[str, typer.Option(help="parties, opportunities, projects or tasks.")],
    out: Annotated[Path | None, typer.Option(help="Write here (default: standard output).")] = None,
) -> None:
    """Export every record of one type, one row each, in columns `import csv` reads."""
    database = engine()
    with database.connect() as conn, conn.begin():
        actor = administrator(conn, account)
        if type not in ENTITIES:
            refuse(f"--type must be one of {', '.join(ENTITIES)}.")
        if out is None:
            count = export(conn, actor, ENTITIES[type], sys.stdout)
        else:
            try:
                with open(out, "w", newline="", encoding="utf-8") as file:
                    count = export(conn, actor, ENTITIES[type], file)
            except OSError as error:
                refuse(f"Cannot write {str(out)!r}: {error.strerror}.")
    typer.echo(f"Exported {count} {type}.", err=True)
