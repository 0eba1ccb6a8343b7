"""Notes and tasks on seeded records, spread over each record's life.

A note is logged when it happens (`createdAt` = `entryAt`) and, as through the API, moves its
record's `lastContactedAt` forward when its activity type says so (a person's organisation's
too). A task is created some time in its record's life and falls due days or weeks later. Those
that fell due before the base date were completed around then, but for a third of last month's
(and a few older ones): those are overdue. Tasks due after the base date are upcoming.
Completing a task files the "Task completed" entry the API files, on the same record, and the
task points to it.
"""

from typing import Any

from pillbox.domain.activity_types import BUILT_IN
from pillbox.domain.entries import TASK_COMPLETED_TYPE
from pillbox.seed import phrases
from pillbox.seed.clock import DAY, HOUR
from pillbox.seed.world import Record, Weights, World
from pillbox.store.tables.entries import entries
from pillbox.store.tables.tasks import tasks

NOTE_WEIGHTS = Weights((5, 2, 3))  # of phrases.NOTE_TYPES: notes, meetings, calls
CATEGORY_NAMES = tuple(name for name, _ in phrases.CATEGORIES)
# Of the tasks due in the last month, a third are still open (overdue); of older ones, few.
OVERDUE_SHARE, OVERDUE_WINDOW = 0.35, 30 * DAY
_LINKS = {"party_id": None, "opportunity_id": None, "kase_id": None}


def notes(world: World, record: Record, count: int) -> None:
    rng = world.rng
    for _ in range(count):
        type_id = phrases.NOTE_TYPES[NOTE_WEIGHTS.draw(rng)]
        content = rng.choice(phrases.NOTES[type_id]).format_map(record.words)
        creator = record.owner if world.chance(0.75) else world.user()
        at = world.clock.stamp(world.between(record.since, record.until))
        _entry(world, record, "note", type_id, content, at, creator)
        if BUILT_IN[type_id].update_last_contacted:
            for row in record.contacted:
                if row["last_contacted_at"] is None or row["last_contacted_at"] < at:
                    row["last_contacted_at"] = at


def tasks_in_life(world: World, record: Record, count: int) -> None:
    """Tasks created during the record's life, each due within six weeks of its creation."""
    for _ in range(count):
        created = world.between(record.since, record.until)
        _task(world, record, created, created + DAY * (1 + int(world.rng.random() * 42)))


def next_task(world: World, record: Record) -> None:
    """An upcoming task, set in the last three weeks, due within three months."""
    created = world.between(max(record.since, -21 * DAY), -HOUR)
    _task(world, record, created, DAY * (1 + int(world.rng.random() * 90)))


def _entry(
    world: World, record: Record, kind: str, type_id: int, content: str, at: str, creator: int
) -> int:
    entry_id = world.entry_ids.take()
    row = {
        "id": entry_id,
        "account_id": world.account.id,
        "type": kind,
        **_LINKS,
        record.column: record.id,
        "creator_id": creator,
        "activity_type_id": type_id,
        "subject": None,
        "content": content,
        "entry_at": at,
        "created_at": at,
        "updated_at": at,
    }
    world.bulk.add(entries, row)
    return entry_id


def _task(world: World, record: Record, created: int, due: int) -> None:
    rng, clock = world.rng, world.clock
    category = rng.choice(CATEGORY_NAMES) if world.chance(0.85) else None
    if record.column == "kase_id":
        description = rng.choice(phrases.PROJECT_TASKS).format_map(record.words)
    else:
        description = rng.choice(phrases.TASKS[category or "Follow-up"]).format_map(record.words)
    row: dict[str, Any] = {
        "account_id": world.account.id,
        "description": description,
        "detail": None,
        "category_id": world.account.categories[category] if category else None,
        "due_on": clock.day(due),
        "due_time": _due_time(world),
        "status": "OPEN",
        **_LINKS,
        record.column: record.id,
        "owner_id": record.owner,
        "completed_by_id": None,
        "completed_at": None,
        "completion_entry_id": None,
        "day_delay_rule": "TRACK_DAYS",
        "created_at": clock.stamp(created),
        "updated_at": clock.stamp(created),
    }
    if due < 0 and not world.chance(OVERDUE_SHARE if due > -OVERDUE_WINDOW else 0.03):
        _complete(world, record, row, created, due)
    world.bulk.add(tasks, row)


def _due_time(world: World) -> str | None:
    if not world.chance(0.3):
        return None
    minutes = 8 * 60 + 15 * int(world.rng.random() * 40)  # 08:00 to 17:45
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _complete(world: World, record: Record, row: dict[str, Any], created: int, due: int) -> None:
    """Completed within two days of falling due, and always before the base date."""
    moment = min(max(world.between(due - 2 * DAY, due + 2 * DAY), created + HOUR), -HOUR)
    at = world.clock.stamp(moment)
    entry_id = _entry(
        world, record, "task", TASK_COMPLETED_TYPE, row["description"], at, record.owner
    )
    row.update(
        status="COMPLETED",
        completed_by_id=record.owner,
        completed_at=at,
        completion_entry_id=entry_id,
        updated_at=at,
    )
