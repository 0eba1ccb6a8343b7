"""Activity types: what an entry records (a note, a meeting, a call, …).

Capsule's built-in types have negative ids and are the same for every account; they cannot be
changed or deleted. Administrators add their own, each with an icon from the catalogue below and
a choice of whether logging one updates a record's `lastContactedAt`.
"""

from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field, StrictBool

from pillbox.domain.base import InputModel, require_admin, required_name
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import activity_types as store
from pillbox.store import entries as entry_store
from pillbox.store.accounts import Principal

RESOURCE = "activityType"
NOTE = -1


@dataclass(frozen=True)
class Icon:
    order: int
    id: str
    display_name: str
    icon_name: str
    is_system: bool


# Capsule does not publish its icon list; these are the icons its built-in types use, then
# common activities.
ICONS = {
    icon.id: icon
    for icon in (
        Icon(1, "NOTE", "Note", "note", True),
        Icon(2, "MEETING", "Meeting", "meeting", True),
        Icon(3, "PHONE", "Call", "phone", True),
        Icon(4, "TASK", "Task", "task", True),
        Icon(5, "EMAIL", "Email", "email", True),
        Icon(6, "COFFEE", "Coffee", "coffee", False),
        Icon(7, "LUNCH", "Lunch", "lunch", False),
        Icon(8, "DEMO", "Demo", "demo", False),
        Icon(9, "PRESENTATION", "Presentation", "presentation", False),
        Icon(10, "VIDEO_CALL", "Video call", "video-call", False),
        Icon(11, "TEXT_MESSAGE", "Text message", "text-message", False),
        Icon(12, "SOCIAL_MEDIA", "Social media", "social-media", False),
        Icon(13, "TRAVEL", "Travel", "travel", False),
        Icon(14, "OTHER", "Other", "other", False),
    )
}


@dataclass(frozen=True)
class BuiltIn:
    id: int
    name: str
    icon_id: str
    update_last_contacted: bool


BUILT_IN = {
    t.id: t
    for t in (
        BuiltIn(-1, "Note", "NOTE", True),
        BuiltIn(-2, "Meeting", "MEETING", True),
        BuiltIn(-3, "Call", "PHONE", True),
        BuiltIn(-4, "Task completed", "TASK", False),
        BuiltIn(-5, "Email sent", "EMAIL", True),
    )
}
BUILT_IN_IDS = list(BUILT_IN)  # -1, -2, …: listed before an account's own types


class IconIn(InputModel):
    id: Annotated[str, Field(max_length=30)] | None = None


class ActivityTypeInput(InputModel):
    name: Annotated[str, Field(max_length=200)] | None = None
    icon: IconIn | None = None
    update_last_contacted: StrictBool | None = None


def _icon_id(icon: IconIn | None) -> str:
    if icon is None or icon.id is None:
        raise ValidationFailed.single("icon is required", RESOURCE, "icon")
    if icon.id.upper() not in ICONS:
        raise ValidationFailed.single("icon is invalid", RESOURCE, "icon.id")
    return icon.id.upper()


def create_activity_type(conn: sa.Connection, who: Principal, data: ActivityTypeInput) -> int:
    require_admin(who)
    name = required_name(data.name, RESOURCE)
    icon_id = _icon_id(data.icon) if data.icon is not None else "NOTE"
    return store.create(conn, who.account_id, name, icon_id, bool(data.update_last_contacted))


def _own(conn: sa.Connection, who: Principal, type_id: int) -> None:
    if type_id in BUILT_IN:
        require_admin(who)
        raise ValidationFailed.single("built-in activity types cannot change", RESOURCE, "id")
    if not store.load(conn, who.account_id, [type_id]):
        raise NotFound()
    require_admin(who)


def update_activity_type(
    conn: sa.Connection, who: Principal, type_id: int, data: ActivityTypeInput
) -> None:
    _own(conn, who, type_id)
    values: dict[str, Any] = {}
    if data.sent("name"):
        values["name"] = required_name(data.name, RESOURCE)
    if data.sent("icon"):
        values["icon_id"] = _icon_id(data.icon)
    if data.sent("update_last_contacted"):
        values["update_last_contacted"] = bool(data.update_last_contacted)
    if values:
        store.update(conn, who.account_id, type_id, values)


def delete_activity_type(conn: sa.Connection, who: Principal, type_id: int) -> None:
    """Entries of the deleted type are kept, as plain notes."""
    _own(conn, who, type_id)
    entry_store.reassign_activity_type(conn, type_id, NOTE)
    store.delete(conn, who.account_id, type_id)
