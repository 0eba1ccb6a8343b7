"""Everything an account shows through its API v2, gathered for comparing two accounts record for
record: every list (all pages, every embed), what is listed per record (additional parties,
tracks), and the bytes of every attachment."""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from pillbox.store.tables.capsule_imports import capsule_import_ids

Get = Callable[[str, dict[str, str]], Any]  # (path under /api/v2, params) -> JSON body
Fetch = Callable[[str], bytes]

RECORD_EMBEDS = "tags,fields,organisation,missingImportantFields"
LISTS = {
    "/users": ("users", "users", {}),
    "/teams": ("teams", "teams", {"embed": "memberships"}),
    "/parties/tags": ("tags", "tags", {}),
    "/opportunities/tags": ("tags", "tags", {}),
    "/kases/tags": ("tags", "tags", {}),
    "/parties/fields/definitions": ("definitions", "field_definitions", {}),
    "/opportunities/fields/definitions": ("definitions", "field_definitions", {}),
    "/kases/fields/definitions": ("definitions", "field_definitions", {}),
    "/pipelines": ("pipelines", "pipelines", {}),
    "/milestones/all": ("milestones", "milestones", {}),
    "/lostreasons": ("lostReasons", "lost_reasons", {}),
    "/boards": ("boards", "boards", {}),
    "/stages": ("stages", "stages", {}),
    "/categories": ("categories", "task_categories", {}),
    "/activitytypes": ("activityTypes", "activity_types", {}),
    "/trackdefinitions": ("trackDefinitions", "track_definitions", {}),
    "/parties": ("parties", "parties", {"embed": RECORD_EMBEDS}),
    "/opportunities": ("opportunities", "opportunities", {"embed": "tags,fields"}),
    "/kases": ("kases", "kases", {"embed": "tags,fields"}),
    "/entries": ("entries", "entries", {"embed": "attachments,party,opportunity,kase"}),
    "/tasks": ("tasks", "tasks", {"status": "open,completed,pending"}),
}
# Where a nested object's id points, by the key holding it.
NESTED = {
    "owner": "users",
    "creator": "users",
    "user": "users",
    "party": "parties",
    "organisation": "parties",
    "parties": "parties",
    "opportunity": "opportunities",
    "kase": "kases",
    "milestone": "milestones",
    "lastOpenMilestone": "milestones",
    "pipeline": "pipelines",
    "lostReason": "lost_reasons",
    "stage": "stages",
    "board": "boards",
    "category": "task_categories",
    "team": "teams",
    "activityType": "activity_types",
    "tags": "tags",
    "tag": "tags",
    "fields": "field_values",
    "definition": "field_definitions",
    "emailAddresses": "party_email_addresses",
    "phoneNumbers": "party_phone_numbers",
    "addresses": "party_addresses",
    "websites": "party_websites",
    "attachments": "attachments",
    "participants": "entry_participants",
    "nextTask": "tasks",
    "tasks": "tasks",
    "taskDefinitions": "task_definitions",
}


def everything(get: Get) -> dict[str, Any]:
    """Every list, then the parties of each opportunity and project and the tracks of each
    record, keyed by path."""
    shown: dict[str, Any] = {}
    for path, (key, _table, params) in LISTS.items():
        shown[path] = all_pages(get, path, key, params)
    for collection in ("opportunities", "kases"):
        for record in shown[f"/{collection}"]:
            path = f"/{collection}/{record['id']}/parties"
            shown[path] = all_pages(get, path, "parties", {})
    for collection in ("parties", "opportunities", "kases"):
        for record in shown[f"/{collection}"]:
            path = f"/{collection}/{record['id']}/tracks"
            shown[path] = all_pages(get, path, "tracks", {})
    return shown


def all_pages(get: Get, path: str, key: str, params: dict[str, str]) -> list[Any]:
    items: list[Any] = []
    page = 1
    while True:
        body = get(path, {**params, "page": str(page), "perPage": "100"})
        items += body[key]
        if len(body[key]) < 100:
            return items
        page += 1


def attachment_bytes(shown: dict[str, Any], fetch: Fetch) -> dict[int, bytes]:
    return {
        attachment["id"]: fetch(f"/attachments/{attachment['id']}")
        for entry in shown["/entries"]
        for attachment in entry.get("attachments") or []
    }


IdPairs = dict[tuple[str, int], int]


def id_pairs(conn: sa.Connection, account_id: int) -> IdPairs:
    t = capsule_import_ids
    rows = conn.execute(sa.select(t).where(t.c.account_id == account_id))
    return {(row.entity, row.source_id): row.local_id for row in rows}


def translated(shown: dict[str, Any], pairs: IdPairs) -> dict[str, Any]:
    """What the source showed, with each Capsule id replaced by the local id it was given; lists
    in id order (ids given anew may sort differently)."""
    result: dict[str, Any] = {}
    for path, items in shown.items():
        table, local_path = _table_of(path, pairs)
        result[local_path] = _ordered(_translate(items, table, pairs))
    return result


def ordered(shown: dict[str, Any]) -> dict[str, Any]:
    return {path: _ordered(items) for path, items in shown.items()}


def _table_of(path: str, pairs: IdPairs) -> tuple[str, str]:
    parts = path.strip("/").split("/")
    if len(parts) == 3 and parts[1].isdigit():  # /{collection}/{id}/parties|tracks
        local = pairs.get((parts[0], int(parts[1])), int(parts[1]))
        return parts[2], f"/{parts[0]}/{local}/{parts[2]}"
    return LISTS[path][1], path


def _translate(value: Any, table: str | None, pairs: IdPairs) -> Any:
    if isinstance(value, list):
        return [_translate(item, table, pairs) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key == "id" and table is not None and isinstance(item, int):
            out[key] = pairs.get((table, item), item)
        elif key == "tagId":
            out[key] = pairs.get(("tags", item), item)
        else:
            out[key] = _translate(item, NESTED.get(key), pairs)
    return out


def _ordered(value: Any) -> Any:
    if isinstance(value, list):
        items = [_ordered(item) for item in value]
        if items and all(isinstance(i, dict) and isinstance(i.get("id"), int) for i in items):
            return sorted(items, key=lambda i: i["id"])
        return items
    if isinstance(value, dict):
        return {key: _ordered(item) for key, item in value.items()}
    return value


def differences(got: Any, expected: Any, where: str = "") -> list[str]:
    """Where two views differ, one line each (at most 10), for a readable failure."""
    if isinstance(got, dict) and isinstance(expected, dict):
        found = []
        for key in sorted(set(got) | set(expected), key=str):
            if key not in got or key not in expected:
                found.append(f"{where}/{key}: only in {'target' if key in got else 'source'}")
            else:
                found += differences(got[key], expected[key], f"{where}/{key}")
        return found[:10]
    if isinstance(got, list) and isinstance(expected, list) and len(got) == len(expected):
        found = []
        for n, (a, b) in enumerate(zip(got, expected, strict=True)):
            found += differences(a, b, f"{where}[{n}]")
        return found[:10]
    return [] if got == expected else [f"{where}: {got!r} != {expected!r}"]
