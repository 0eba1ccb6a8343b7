"""A user of the account as Capsule shows it."""

from typing import Any

from pillbox.store import users as store
from pillbox.wire.nested import PERSON_PICTURE_URL
from pillbox.wire.render import rows_render


def _short_party(row: Any) -> dict[str, Any] | None:
    if row.party_id is None:
        return None
    return {
        "id": row.party_id,
        "type": "person",
        "firstName": row.party_first_name,
        "lastName": row.party_last_name,
        "pictureURL": PERSON_PICTURE_URL,
    }


def to_wire(row: Any) -> dict[str, Any]:
    """A user in Capsule's key order; the writable preferences follow Capsule's example keys."""
    return {
        "id": row.id,
        "locale": row.locale,
        "currency": row.currency,
        "status": row.status,
        "party": _short_party(row),
        "username": row.username,
        "timezone": row.timezone,
        "lastLoginAt": row.last_login_at,
        "name": row.name,  # follows their person record's name (domain.parties)
        "taskReminder": bool(row.task_reminder),
        "emailPreference": row.email_preference,
        "clickToCallPreference": row.click_to_call_preference,
        "preferredEmailFromAddress": row.preferred_email_from_address,
    }


# Users with their short party; the full person record comes from `renderers`.
render = rows_render(store.load, to_wire)
