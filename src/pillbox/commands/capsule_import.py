"""`pillbox import capsule`: a Capsule account read through its API (src/pillbox/capsule_import,
docs/capsule-import.md); cli.py adds it to the `import` group."""

import sys
import time
from collections.abc import Callable
from typing import Annotated, TextIO
from urllib.parse import urlsplit

import typer

DEFAULT_ORIGIN = "https://api.capsulecrm.com"


class PhaseProgress:
    """A line per phase on stderr: records done (of how many, when known), the rate, and the
    time left. On a terminal it is redrawn in place twice a second; in a log, a line is written
    every `LOG_EVERY` seconds and when the phase ends."""

    LOG_EVERY = 30.0

    def __init__(self, out: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.out, self.clock = out, clock
        self.totals: dict[str, int] = {}
        self.name, self.done, self.started, self.drawn = "", 0, 0.0, 0.0
        self.live = out.isatty()

    def phase(self, name: str, done: int) -> None:
        if name != self.name:
            self.finish()
            self.name, self.done = name, done
            self.started = self.drawn = self.clock()

    def advance(self, count: int) -> None:
        self.done += count
        if self.clock() - self.drawn >= (0.5 if self.live else self.LOG_EVERY):
            self._draw()

    def finish(self) -> None:
        """Writes the phase's last line."""
        if self.name:
            self._draw()
            if self.live:
                self.out.write("\n")
        self.name = ""

    def line(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-6)
        rate = self.done / elapsed
        total = self.totals.get(self.name)
        text = f"{self.name}: {self.done:,}" + (f" of {total:,}" if total else "")
        text += f", {rate:,.1f} a second"
        if total and rate > 0 and self.done < total:
            text += f", about {_duration((total - self.done) / rate)} left"
        return text

    def _draw(self) -> None:
        self.drawn = self.clock()
        self.out.write("\r\033[K" + self.line() if self.live else self.line() + "\n")
        self.out.flush()


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes >= 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes} min {int(seconds % 60):02d} s" if minutes else f"{int(seconds)} s"


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise typer.BadParameter("must be an origin such as https://api.capsulecrm.com")
    return f"{parts.scheme}://{parts.netloc}"


def import_capsule(
    account: Annotated[str, typer.Option(help="Account to import into (created when missing).")],
    token: Annotated[str, typer.Option(help="A Capsule API token of the account to read.")],
    url: Annotated[str, typer.Option(help="Capsule's origin.")] = DEFAULT_ORIGIN,
    anonymise: Annotated[
        bool, typer.Option(help="Replace personal data with synthetic data of the same shape.")
    ] = False,
    since_last: Annotated[
        bool, typer.Option(help="Read only what changed since the last finished import.")
    ] = False,
) -> None:
    """Import a Capsule account through its API, keeping its ids; run again to resume."""
    from pillbox.capsule_import.client import CapsuleClient, CapsuleUnavailable
    from pillbox.capsule_import.estimate import estimate
    from pillbox.capsule_import.importer import Importer, ImportRefused, Options
    from pillbox.capsule_import.vocabulary import PLACEHOLDER_DOMAIN
    from pillbox.commands.console import settings as configured
    from pillbox.commands.database import database
    from pillbox.domain import changes
    from pillbox.store.files import open_store

    engine = database()
    settings = configured()
    origin = _origin(url)
    if not 0 < len(account.strip()) == len(account) <= 200:
        raise typer.BadParameter("must be a name of 1 to 200 characters", param_hint="'--account'")
    client = CapsuleClient(origin, token, on_wait=_say)
    options = Options(account, origin, anonymise=anonymise, since_last=since_last)
    progress = PhaseProgress(sys.stderr)
    importer = Importer(
        engine,
        client,
        open_store(settings.attachments_url, settings.attachments_dir),
        options,
        progress,
        _say,
    )
    try:
        current = importer.prepare()
        if not importer.resumed:
            found = estimate(client, current.report.since)
            progress.totals = found.records
            _say(found.line())
        with changes.via("capsule-import"):  # deletions it makes go through the domain
            report = importer.run()
    except (CapsuleUnavailable, ImportRefused) as reason:
        progress.finish()
        _fail(str(reason))
    except KeyboardInterrupt:
        progress.finish()
        typer.echo("Stopped. Run the same command again to go on from where it stopped.", err=True)
        raise typer.Exit(130) from None
    finally:
        client.close()
    progress.finish()
    for line in report.lines():
        typer.echo(line)
    typer.echo(
        "Imported users cannot sign in yet: Capsule's API does not show their email addresses, "
        f"so each has user-<Capsule id>@{PLACEHOLDER_DOMAIN} and no password until an "
        "administrator gives them theirs (pillbox users email, pillbox users password)."
    )


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)
