"""Rules opportunities and projects share: the main party they belong to, and their dates."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from pillbox.domain.base import Ref
from pillbox.errors import ValidationFailed
from pillbox.store import parties as party_store


def main_party_id(conn: sa.Connection, account_id: int, ref: Ref | None, resource: str) -> int:
    """The party a record belongs to: required, and one of the account's."""
    if ref is None:
        raise ValidationFailed.single("party is required", resource, "party")
    if ref.id is None or party_store.find(conn, account_id, ref.id) is None:
        raise ValidationFailed.single("party not found", resource, "party")
    return ref.id


def optional_date(raw: str | None, resource: str, field: str) -> str | None:
    """A `YYYY-MM-DD` date, or None for null or an empty string."""
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        message = f"{field} must be a date (YYYY-MM-DD)"
        raise ValidationFailed.single(message, resource, field) from None


def today() -> str:
    """Today's date in UTC: what `closedOn` becomes when a record closes."""
    return datetime.now(UTC).date().isoformat()
