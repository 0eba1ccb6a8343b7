"""UTC timestamps in the one textual form the API and the store share: 2015-11-30T16:20:05Z."""

from datetime import UTC, datetime

from pillbox import clock

FORMAT = "%Y-%m-%dT%H:%M:%SZ"


_last: tuple[datetime, str] = (datetime.min.replace(tzinfo=UTC), "")


def now() -> str:
    """The current time, second precision, in wire form (formatted once a second: a write
    stamps several rows)."""
    global _last
    moment = clock.now().replace(microsecond=0)
    shown = _last
    if shown[0] != moment:
        shown = _last = (moment, moment.strftime(FORMAT))
    return shown[1]


def parse(value: str) -> str:
    """Normalise any ISO 8601 date-time (a date alone means midnight UTC) to wire form.

    Naive values are taken as UTC, as Capsule documents for `since`. Raises ValueError.
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(FORMAT)


def format_epoch(seconds: float) -> str:
    """Epoch seconds in wire form."""
    return datetime.fromtimestamp(seconds, UTC).strftime(FORMAT)


def parse_epoch(stored: str) -> float:
    """Epoch seconds of a stored timestamp (`2015-11-30T16:20:05Z`)."""
    return datetime.strptime(stored, FORMAT).replace(tzinfo=UTC).timestamp()
