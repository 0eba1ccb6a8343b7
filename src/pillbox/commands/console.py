"""How the `pillbox` command talks to its user.

- An ordinary mistake (a bad option, a missing account, an unreachable database, a setting that
  does not parse) is one line on stderr and exit status 2: `fail()` for the commands' own
  checks, `OneLineErrors` for what click finds while parsing the command line (usage, hint
  and a boxed message otherwise).
- Help shows each option's value by name (`--account ACCOUNT`), not by Python type (`<str>`),
  and flags without a type at all.
"""

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from typer.core import TyperArgument, TyperGroup, TyperOption

from pillbox.settings import Settings

USAGE_STATUS = 2


def fail(message: str) -> NoReturn:
    """Ends the command with `message` as its one line on stderr, and status 2."""
    typer.echo(message, err=True)
    raise typer.Exit(USAGE_STATUS)


def settings() -> Settings:
    """The settings from the environment; a value that does not parse ends the command."""
    try:
        return Settings()
    except ValidationError as error:
        problem = error.errors()[0]
        name = "PILLBOX_" + "_".join(str(part) for part in problem["loc"]).upper()
        fail(f"{name}={problem['input']!r} is not valid: {problem['msg']}.")


class OneLineErrors(TyperGroup):
    """The root command: a command line that does not parse is one line and status 2."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        plain_metavars(self)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            status = super().main(args, prog_name, complete_var, False, **extra)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        except typer.TyperException as error:  # click's usage errors, as Typer ships click
            message = _message(error)
            if message:  # none after the help shown for a bare `pillbox`
                typer.echo(f"Error: {message}", err=True)
            sys.exit(USAGE_STATUS)
        sys.exit(status if isinstance(status, int) else 0)


def _no_label(ctx: Any) -> None:
    return None


def _message(error: Exception) -> str:
    format_message = getattr(error, "format_message", None)
    return str(format_message() if format_message else error)


def plain_metavars(command: Any) -> None:
    """Names option values after their option, and gives flags no value label at all."""
    help_option = command.get_help_option(typer.Context(command))  # made once, then kept
    for param in [*command.params, *([help_option] if help_option else [])]:
        if isinstance(param, TyperArgument):
            # Typer labels an argument by type whatever its metavar: `NAME <str>`.
            setattr(param, "display_type_rich", _no_label)  # noqa: B010 (an instance's own)
        if isinstance(param, TyperOption) and (param.is_flag or param.count):
            param.metavar = ""
        elif param.metavar is None and param.name:
            param.metavar = param.name.upper()
    for sub in getattr(command, "commands", {}).values():
        plain_metavars(sub)
