"""`pillbox seed`: an account filled with synthetic data (pillbox/seed)."""

import sys
import time
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from pillbox.commands.common import new_token
from pillbox.commands.console import fail
from pillbox.commands.database import database
from pillbox.store import accounts as store


def seed_command(
    parties: Annotated[
        int, typer.Option(min=1, max=10_000_000, help="People and organisations to create.")
    ] = 1_000,
    seed: Annotated[int, typer.Option(help="The same seed gives the same data.")] = 1,
    profile: Annotated[str, typer.Option(help="The kind of account: smallbiz.")] = "smallbiz",
    account: Annotated[
        str | None,
        typer.Option(help="Seed this account (created if missing); default: a new account."),
    ] = None,
    base_date: Annotated[
        str | None,
        typer.Option(help="YYYY-MM-DD the data is dated around (default: today, UTC)."),
    ] = None,
) -> None:
    """Fill an account with synthetic data; prints a write token of its administrator."""
    from pillbox.seed import SeedRefused, seed_account
    from pillbox.store.engine import WRITE, update_statistics

    base = _seed_base_date(profile, account, base_date)
    engine = database()
    started = time.monotonic()
    bar = typer.progressbar(length=parties, label="Seeding parties", file=sys.stderr)
    with bar, engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        try:
            seeded = seed_account(
                conn,
                profile=profile,
                parties=parties,
                seed=seed,
                base_date=base,
                account_name=account,
                progress=bar.update,
            )
        except SeedRefused as refusal:
            fail(str(refusal))
        token = new_token()
        store.create_token(conn, seeded.admin_id, token, "write")
    with engine.connect() as conn:
        update_statistics(conn)
    rows = seeded.rows
    typer.echo(
        f"Seeded {rows['parties']:,} parties, {rows['opportunities']:,} opportunities, "
        f"{rows['kases']:,} projects, {rows['entries']:,} entries and {rows['tasks']:,} tasks "
        f"into account {seeded.account_name!r} in {time.monotonic() - started:.1f} s. "
        "A write token of its administrator:",
        err=True,
    )
    typer.echo(token)


def _seed_base_date(profile: str, account: str | None, base_date: str | None) -> date:
    """Checks the options of `pillbox seed`; returns the base date (today when not given)."""
    from pillbox.seed import PROFILES

    if profile not in PROFILES:
        raise typer.BadParameter(
            f"the profiles are: {', '.join(PROFILES)}", param_hint="'--profile'"
        )
    if account is not None and not 0 < len(account.strip()) == len(account) <= 200:
        message = "must be a name of 1 to 200 characters, without spaces around it"
        raise typer.BadParameter(message, param_hint="'--account'")
    try:
        return date.fromisoformat(base_date) if base_date else datetime.now(UTC).date()
    except ValueError:
        message = "must be a date written YYYY-MM-DD"
        raise typer.BadParameter(message, param_hint="'--base-date'") from None
