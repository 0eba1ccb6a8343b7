"""The phases of an import, in the order that puts every record after what it refers to, and
what each one reads from Capsule and how it converts it.

A phase reads one list page by page (every embed it needs asked for at once). A few records
need more than their list shows: an opportunity's or project's additional parties, an entry's
attachment files, the tracks on a record; those are read with the page that lists the record,
and written in the same transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pillbox.capsule_import import activity, anonymiser, records, vocabulary
from pillbox.capsule_import.client import CapsuleClient
from pillbox.capsule_import.report import Report
from pillbox.capsule_import.rows import Record, ref
from pillbox.store.files import FileStore

Wire = dict[str, Any]


@dataclass
class Context:
    """What converting a page may need besides the page."""

    client: CapsuleClient
    files: FileStore
    report: Report
    now: str  # when the run started: the date of rows Capsule shows none for
    anonymise: bool
    usernames: dict[str, int] = field(default_factory=dict)  # Capsule user id by username
    files_written: list[str] = field(default_factory=list)  # storage keys, of the page under way


Convert = Callable[[Context, Wire], Record | None]


@dataclass(frozen=True)
class Phase:
    name: str  # also the summary's type name
    path: str
    key: str  # the list's envelope
    convert: Convert
    params: dict[str, str] = field(default_factory=dict)
    since: bool = False  # the list takes `since`
    deleted: str | None = None  # the collection whose /deleted feed --since-last reads
    updated_filter: bool = False  # no `since`: --since-last reads all, writes what changed


def _plain(convert: Callable[[Wire, str], Record | None]) -> Convert:
    return lambda ctx, wire: convert(wire, ctx.now)


def _user(ctx: Context, wire: Wire) -> Record:
    ctx.usernames[str(wire.get("username"))] = wire["id"]
    return vocabulary.user(anonymiser.user(wire) if ctx.anonymise else wire, ctx.now)


def _party(ctx: Context, wire: Wire) -> Record:
    return records.party(anonymiser.party(wire) if ctx.anonymise else wire, ctx.now)


def _additional_parties(ctx: Context, collection: str, record_id: int) -> list[int]:
    found: list[int] = []
    page, more = 1, True
    while more:
        listed = ctx.client.page(f"/{collection}/{record_id}/parties", "parties", page, {})
        found += [p for p in (ref(item) for item in listed.items) if p is not None]
        page, more = page + 1, listed.has_more
    return found


def _opportunity(ctx: Context, wire: Wire) -> Record:
    parties = _additional_parties(ctx, "opportunities", wire["id"])
    return records.opportunity(anonymiser.opportunity(wire) if ctx.anonymise else wire, parties)


def _kase(ctx: Context, wire: Wire) -> Record:
    parties = _additional_parties(ctx, "kases", wire["id"])
    return records.kase(anonymiser.kase(wire) if ctx.anonymise else wire, parties)


def _entry(ctx: Context, wire: Wire) -> Record:
    files = {}
    for attachment in wire.get("attachments") or []:
        if ctx.anonymise:
            content = anonymiser.attachment_content(attachment["id"], attachment.get("size") or 0)
        else:
            content = ctx.client.download(f"/attachments/{attachment['id']}")
        key = ctx.files.new_key()
        ctx.files_written.append(key)
        with ctx.files.open_for_writing(key) as handle:
            handle.write(content)
        files[attachment["id"]] = key
    return activity.entry(anonymiser.entry(wire) if ctx.anonymise else wire, files)


def _task(ctx: Context, wire: Wire) -> Record:
    if wire.get("hasTrack"):
        for collection, link in (("parties", "party"), ("opportunities", "opportunity")):
            _note_track_record(ctx, collection, ref(wire.get(link)))
        _note_track_record(ctx, "kases", ref(wire.get("kase")))
    return activity.task(anonymiser.task(wire) if ctx.anonymise else wire, ctx.usernames)


def _note_track_record(ctx: Context, collection: str, record_id: int | None) -> None:
    if record_id is not None and [collection, record_id] not in ctx.report.track_records:
        ctx.report.track_records.append([collection, record_id])


def _tags(entity: str) -> Phase:
    return Phase(f"{entity} tags", f"/{entity}/tags", "tags", _plain(vocabulary.tag(entity)))


def _definitions(entity: str) -> Phase:
    return Phase(
        f"{entity} field definitions",
        f"/{entity}/fields/definitions",
        "definitions",
        _plain(vocabulary.field_definition(entity)),
    )


RECORD_EMBEDS = {"embed": "tags,fields"}

PHASES = (
    Phase("users", "/users", "users", _user),
    Phase("teams", "/teams", "teams", _plain(vocabulary.team), {"embed": "memberships"}),
    *(_tags(entity) for entity in ("parties", "opportunities", "kases")),
    *(_definitions(entity) for entity in ("parties", "opportunities", "kases")),
    Phase("pipelines", "/pipelines", "pipelines", _plain(vocabulary.pipeline)),
    Phase("milestones", "/milestones/all", "milestones", _plain(vocabulary.milestone)),
    Phase("lost reasons", "/lostreasons", "lostReasons", _plain(vocabulary.lost_reason)),
    Phase("boards", "/boards", "boards", _plain(vocabulary.board)),
    Phase("stages", "/stages", "stages", _plain(vocabulary.stage)),
    Phase("task categories", "/categories", "categories", _plain(vocabulary.category)),
    Phase("activity types", "/activitytypes", "activityTypes", _plain(vocabulary.activity_type)),
    Phase(
        "track definitions",
        "/trackdefinitions",
        "trackDefinitions",
        _plain(vocabulary.track_definition),
    ),
    Phase("parties", "/parties", "parties", _party, RECORD_EMBEDS, True, "parties"),
    Phase(
        "opportunities",
        "/opportunities",
        "opportunities",
        _opportunity,
        RECORD_EMBEDS,
        True,
        "opportunities",
    ),
    Phase("projects", "/kases", "kases", _kase, RECORD_EMBEDS, True, "kases"),
    Phase("entries", "/entries", "entries", _entry, {"embed": "attachments"}, updated_filter=True),
    Phase("tasks", "/tasks", "tasks", _task, {"status": "open,completed,pending"}, True),
)
BY_NAME = {phase.name: phase for phase in PHASES}
TRACKS = "tracks"  # the phase after the lists: the tracks on the records noted by `_task`
ESTIMATED = ("parties", "opportunities", "projects", "entries", "tasks")
