"""API v1 list parameters: paging by `start`/`limit`, `lastmodified`, and plain text filters.

- `start` is the 0-based index of the first record, `limit` the most records answered. Capsule
  documented neither a default nor a maximum; here a list answers at most `MAX_LIMIT` records
  (also when `limit` is absent), and out-of-range numbers are clamped. A value that is not an
  integer is a 400.
- `lastmodified` is `YYYYMMDDTHHMMSS` in UTC; an ISO 8601 date-time is taken as well.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.datastructures import QueryParams

from pillbox import timestamps
from pillbox.api.kit.params import MAX_PAGE
from pillbox.errors import InvalidBody

MAX_LIMIT = 1000
LASTMODIFIED = "%Y%m%dT%H%M%S"


class InvalidParameter(InvalidBody):
    """A query parameter v1 cannot read: a 400, as a malformed body is."""


@dataclass(frozen=True)
class Window:
    start: int
    limit: int


def window(query: QueryParams) -> Window:
    start = _integer(query, "start", 0)
    limit = _integer(query, "limit", MAX_LIMIT)
    return Window(min(max(start, 0), MAX_PAGE), min(max(limit, 1), MAX_LIMIT))


def _integer(query: QueryParams, name: str, default: int) -> int:
    raw = (query.get(name) or "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidParameter(f"{name} must be an integer") from None


def last_modified(query: QueryParams) -> str | None:
    """`lastmodified` in the store's timestamp form, or None."""
    raw = (query.get("lastmodified") or "").strip()
    if not raw:
        return None
    try:
        moment = datetime.strptime(raw, LASTMODIFIED).replace(tzinfo=UTC)
        return moment.strftime(timestamps.FORMAT)
    except ValueError:
        pass
    try:
        return timestamps.parse(raw)
    except (ValueError, OverflowError):
        raise InvalidParameter("lastmodified must be YYYYMMDDTHHMMSS") from None


def text(query: QueryParams, name: str) -> str | None:
    """A text filter, trimmed; absent or blank is None."""
    value = (query.get(name) or "").replace("\x00", "").strip()
    return value or None
