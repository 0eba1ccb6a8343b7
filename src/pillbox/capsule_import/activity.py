"""Converters for entries (notes, emails, completed tasks) with their attachments, participants
and filed parties, for tasks, and for tracks (which tasks belong to which, in order)."""

from typing import Any

from pillbox.capsule_import.rows import Record, Row, object_of, ref


def entry(wire: dict[str, Any], files: dict[int, str]) -> Record:
    """`files`: the storage key of each attachment's downloaded file, by attachment id."""
    activity_type = ref(wire.get("activityType"))
    row: Row = {
        "id": wire["id"],
        "type": wire["type"],
        "party_id": ref(wire.get("party")),
        "opportunity_id": ref(wire.get("opportunity")),
        "kase_id": ref(wire.get("kase")),
        "creator_id": ref(wire.get("creator")),
        "activity_type_id": activity_type if activity_type is not None else -1,
        "subject": wire.get("subject"),
        "content": wire.get("content"),
        "entry_at": wire["entryAt"],
        "created_at": wire["createdAt"],
        "updated_at": wire["updatedAt"],
    }
    children: list[tuple[str, Row]] = []
    for item in wire.get("attachments") or []:
        if item["id"] in files:
            attachment = {
                "id": item["id"],
                "entry_id": wire["id"],
                "filename": item.get("filename") or f"attachment-{item['id']}",
                "content_type": item.get("contentType") or "application/octet-stream",
                "size": item.get("size") or 0,
                "storage_key": files[item["id"]],
                "created_at": wire["createdAt"],
            }
            children.append(("attachments", attachment))
    for item in wire.get("participants") or []:
        participant = {
            "id": item["id"],
            "entry_id": wire["id"],
            "address": item.get("address") or "",
            "name": item.get("name"),
            "role": item.get("role") or "TO",
        }
        children.append(("entry_participants", participant))
    for party in wire.get("parties") or []:
        if ref(party) is not None:
            children.append(("entry_parties", {"entry_id": wire["id"], "party_id": party["id"]}))
    return Record("entries", row, children)


def task(wire: dict[str, Any], users: dict[str, int]) -> Record:
    """`users`: Capsule's user ids by username (a task names who completed it by username)."""
    repeat = object_of(wire.get("repeat"))
    completed_by = wire.get("completedBy")
    row: Row = {
        "id": wire["id"],
        "description": wire["description"],
        "detail": wire.get("detail"),
        "category_id": ref(wire.get("category")),
        "due_on": wire["dueOn"],
        "due_time": wire.get("dueTime"),
        "status": wire.get("status") or "OPEN",
        "party_id": ref(wire.get("party")),
        "opportunity_id": ref(wire.get("opportunity")),
        "kase_id": ref(wire.get("kase")),
        "owner_id": ref(wire.get("owner")),
        "completed_by_id": users.get(completed_by) if isinstance(completed_by, str) else None,
        "completed_at": wire.get("completedAt"),
        "days_after": wire.get("daysAfter"),
        "task_delay_rule": wire.get("taskDelayRule"),
        "day_delay_rule": wire.get("taskDayDelayRule") or "TRACK_DAYS",
        "repeat_frequency": repeat.get("frequency"),
        "repeat_interval": repeat.get("interval"),
        "repeat_on": repeat.get("on"),
        "created_at": wire["createdAt"],
        "updated_at": wire["updatedAt"],
    }
    return Record("tasks", row)


def track(wire: dict[str, Any], link: str, record_id: int) -> Record:
    """A track listed on a record; `link` is the record's column (`party_id`, …). Capsule shows
    no dates for a track: it takes its first task's."""
    tasks = [t for t in wire.get("tasks") or [] if ref(t) is not None]
    first = min((t.get("createdAt") for t in tasks if t.get("createdAt")), default=None)
    row: Row = {
        "id": wire["id"],
        "definition_id": None,
        "description": wire.get("description") or "",
        "direction": wire.get("direction") or "START_DATE",
        "track_date_on": wire.get("trackDateOn"),
        "party_id": None,
        "opportunity_id": None,
        "kase_id": None,
        "created_at": first,
        "updated_at": first,
    }
    row[link] = record_id
    return Record("tracks", row)
