"""API v1 list parameters: paging by `start`/`limit`, `lastmodified`, and plain text filters.

- `start` is the 0-based index of the first record, `limit` the most records answered. Capsule
  documented neither a default nor a maximum; here a list answers at most `MAX_LIMIT` records
  (also when `limit` is absent), and out-of-range numbers are clamped. A value that is not an
  integer is a 400.
- `lastmodified` is `YYYYMMDDTHHMMSS` in UTC; an ISO 8601 date-time or a date is taken as well
  (read as a document's date-times are, documents.moment_value). So is the deleted
  opportunities' `since`, whose form Capsule left unconfirmed.
"""

from dataclasses import dataclass
from datetime import datetime

from starlette.datastructures import QueryParams

from pillbox import timestamps
from pillbox.api.kit.params import MAX_PAGE
from pillbox.api.v1.documents import timestamp_value
from pillbox.errors import InvalidBody
from pillbox.store.listing import Listing

MAX_LIMIT = 1000
LASTMODIFIED = "%Y%m%dT%H%M%S"


class InvalidParameter(InvalidBody):
    """A query parameter v1 cannot read: a 400, as a malformed body is."""


@dataclass(frozen=True)
class Window:
    start: int
    limit: int

    def listing(self) -> Listing:
        """The store's page of this window."""
        return Listing(since=None, offset=self.start, limit=self.limit)


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
    return moment(query, "lastmodified", "YYYYMMDDTHHMMSS")


def moment(query: QueryParams, name: str, expected: str) -> str | None:
    """Parameter `name` as a store timestamp (None when absent or blank): `YYYYMMDDTHHMMSS`,
    or any ISO 8601 date-time or date; 400 `{name} must be {expected}` otherwise."""
    raw = (query.get(name) or "").strip()
    if not raw:
        return None
    try:
        compact = datetime.strptime(raw, LASTMODIFIED)
    except ValueError:
        return timestamp_value(raw, name, expected)
    return compact.strftime(timestamps.FORMAT)


def text(query: QueryParams, name: str) -> str | None:
    """A text filter, trimmed; absent or blank is None."""
    value = (query.get(name) or "").replace("\x00", "").strip()
    return value or None
