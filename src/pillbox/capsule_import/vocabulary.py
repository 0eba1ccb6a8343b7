"""Converters for what an account's records refer to: users, teams, tags, custom field
definitions, pipelines, milestones, lost reasons, boards, stages, task categories, activity types
and track definitions.

Capsule's API does not show some columns Pillbox keeps (when a tag or a category was created,
users' email addresses): those take the moment the import started, and users an address in the
reserved `.invalid` domain that no one can receive mail at, until an administrator gives them
their own (they cannot sign in before).
"""

from typing import Any

from pillbox.capsule_import.rows import Record, Row, object_of, ref

PLACEHOLDER_DOMAIN = "capsule-import.invalid"


def placeholder_email(user_id: int) -> str:
    return f"user-{user_id}@{PLACEHOLDER_DOMAIN}"


def user(wire: dict[str, Any], now: str) -> Record:
    row: Row = {
        "id": wire["id"],
        "username": wire.get("username") or f"user{wire['id']}",
        "name": wire.get("name") or wire.get("username") or "",
        "email": placeholder_email(wire["id"]),
        "is_admin": False,
        "deleted": wire.get("status") == "DELETED",
        "party_id": None,
        "status": wire.get("status") or "ACTIVE",
        "locale": wire.get("locale") or "en_GB",
        "currency": wire.get("currency") or "GBP",
        "timezone": wire.get("timezone") or "Europe/London",
        "task_reminder": bool(wire.get("taskReminder", True)),
        "email_preference": wire.get("emailPreference"),
        "click_to_call_preference": wire.get("clickToCallPreference"),
        "preferred_email_from_address": wire.get("preferredEmailFromAddress"),
        "last_login_at": wire.get("lastLoginAt"),
        "created_at": now,
        "updated_at": now,
    }
    party_id = ref(wire.get("party"))
    later = {"party_id": ("parties", party_id)} if party_id is not None else {}
    return Record("users", row, later=later)


def team(wire: dict[str, Any], now: str) -> Record:
    row = {"id": wire["id"], "name": wire["name"], **_dated(wire, now)}
    members = [
        ("team_members", {"team_id": wire["id"], "user_id": member})
        for member in (ref(m.get("user")) for m in wire.get("memberships") or [])
        if member is not None
    ]
    return Record("teams", row, members)


def tag(entity: str) -> Any:
    def convert(wire: dict[str, Any], now: str) -> Record:
        name = str(wire["name"])
        row = {
            "id": wire["id"],
            "entity": entity,
            "name": name,
            "name_key": name.strip().lower(),
            "description": wire.get("description"),
            "data_tag": bool(wire.get("dataTag")),
            "created_at": now,
            "updated_at": now,
        }
        return Record("tags", row)

    return convert


def field_definition(entity: str) -> Any:
    def convert(wire: dict[str, Any], now: str) -> Record:
        row = {
            "id": wire["id"],
            "entity": entity,
            "name": wire["name"],
            "type": wire["type"],
            "description": wire.get("description"),
            "options": wire.get("options"),
            "important": bool(wire.get("important")),
            "display_order": wire.get("displayOrder") or 0,
            "tag_id": ref(wire.get("tag")),
            "capture_rule": wire.get("captureRule"),
            "created_at": now,
            "updated_at": now,
        }
        return Record("field_definitions", row)

    return convert


def _dated(wire: dict[str, Any], now: str) -> Row:
    return {"created_at": wire.get("createdAt") or now, "updated_at": wire.get("updatedAt") or now}


def pipeline(wire: dict[str, Any], now: str) -> Record:
    row = {"id": wire["id"], "name": wire["name"], "description": wire.get("description")}
    return Record("pipelines", {**row, **_dated(wire, now), "archived_at": None})


def milestone(wire: dict[str, Any], now: str) -> Record:
    row = {
        "id": wire["id"],
        "pipeline_id": ref(wire.get("pipeline")),
        "name": wire["name"],
        "description": wire.get("description"),
        "probability": wire.get("probability") or 0,
        "complete": bool(wire.get("complete")),
        "days_until_stale": wire.get("daysUntilStale"),
        "display_order": wire.get("displayOrder") or 0,
    }
    return Record("milestones", {**row, **_dated(wire, now)})


def lost_reason(wire: dict[str, Any], now: str) -> Record:
    row = {
        "id": wire["id"],
        "name": wire["name"],
        "included_for_conversion": bool(wire.get("includedForConversion")),
    }
    return Record("lost_reasons", {**row, **_dated(wire, now)})


def board(wire: dict[str, Any], now: str) -> Record:
    row = {"id": wire["id"], "name": wire["name"], "description": wire.get("description")}
    return Record("boards", {**row, **_dated(wire, now), "archived_at": None})


def stage(wire: dict[str, Any], now: str) -> Record:
    row = {
        "id": wire["id"],
        "board_id": ref(wire.get("board")),
        "name": wire["name"],
        "description": wire.get("description"),
        "display_order": wire.get("displayOrder") or 0,
    }
    return Record("stages", {**row, **_dated(wire, now), "archived_at": None})


def category(wire: dict[str, Any], now: str) -> Record:
    row = {"id": wire["id"], "name": wire["name"], "colour": wire.get("colour")}
    return Record("task_categories", {**row, **_dated(wire, now)})


def activity_type(wire: dict[str, Any], now: str) -> Record | None:
    if wire["id"] < 0:  # Capsule's built-in types: every account has them already
        return None
    icon = object_of(wire.get("icon"))
    row = {
        "id": wire["id"],
        "name": wire["name"],
        "icon_id": icon.get("id") or "NOTE",
        "update_last_contacted": bool(wire.get("updateLastContacted")),
    }
    return Record("activity_types", {**row, **_dated(wire, now)})


def track_definition(wire: dict[str, Any], now: str) -> Record:
    row = {
        "id": wire["id"],
        "description": wire["description"],
        "tag": wire.get("tag"),
        "capture_rule": wire["captureRule"],
        "direction": wire["direction"],
    }
    tasks = [
        (
            "task_definitions",
            {
                "id": task["id"],
                "definition_id": wire["id"],
                "description": task["description"],
                "days_after_rule": task.get("daysAfterRule") or "TRACK_START",
                "days_after": task.get("daysAfter") or 0,
                "display_order": task.get("displayOrder") or 0,
                "day_delay_rule": task.get("dayDelayRule") or "TRACK_DAYS",
                "category_id": ref(task.get("category")),
                "assignee_type": assignee.get("assigneeType") or "ENTITY_OWNER",
                "assignee_id": ref(assignee.get("owner")),
                **_dated(task, now),
            },
        )
        for task in wire.get("taskDefinitions") or []
        for assignee in [task.get("trackTaskAssignee") or {}]
    ]
    return Record("track_definitions", {**row, **_dated(wire, now)}, tasks)
