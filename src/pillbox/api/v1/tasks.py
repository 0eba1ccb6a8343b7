"""API v1 tasks (`/api/task`, `/api/tasks`, and the tasks of a party, opportunity or case).

Every read renders the v2 task (wire.renderers.TASK) as a v1 `task` document, and every write
builds the v2 `TaskInput` for the v2 domain functions, so both APIs keep the same tasks under the
same rules: completing one files the "Task completed" entry on its record, reopening takes it
away. The mapping (reference §11 and §15):

- `description`, `detail`; `category` is a category name (any case; an unknown one is a 400);
  `owner` is a username (default: the token's user). An empty element clears the field, an
  absent one keeps it; a task's description, due date and owner cannot be cleared.
- Due dates: v2 keeps a date (`dueOn`) and an optional time of day in the owner's time zone
  (`dueTime`); v1 speaks UTC. A task without a time shows `dueDate` at midnight UTC of its date;
  one with a time shows `dueDateTime`, the owner's local time converted to UTC. `dueDateTime`
  sent is converted the other way, to the minute (seconds come back as `00`, as in Capsule), in
  the zone of the owner the task will have. `dueDateTime` wins when both are sent. Accepted
  forms (defensively, as clients wrote them): `2012-04-21T15:00:00Z`, with milliseconds or an
  offset, a space for the `T` and no zone (taken as UTC, the form one Ruby client sends), and a
  plain date `2012-04-21`; `dueDate` keeps the date as written, whatever time it carries.
- Read-only: `id`, `partyId`/`partyName`, `opportunityId`/`opportunityName`, `caseId`/`caseName`
  (a task is put on a record only by creating it under `/api/{party|opportunity|kase}/{id}/task`),
  `status` (changed by `POST …/complete` and `…/reopen`), `completedOn`, `createdOn`,
  `updatedOn`. `status` shows v2's values: `OPEN`, `COMPLETED`, and `PENDING` for a track task
  still waiting for the one before it.
- Lists (`/api/tasks` and a record's `…/tasks`) hold open tasks unless `status` asks otherwise
  (`OPEN`, `COMPLETED`, `PENDING`, any case, several comma-separated); `category` takes a
  category name and `user` a username (either naming none lists nothing); `start`/`limit` page
  them, soonest due first; the root carries `size`, the number of tasks in the answer.
- Completing a completed task or reopening an open one answers 200 and changes nothing. The
  bodies of `complete` and `reopen` are ignored. A task or record of another account is a 404.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit.body import parse
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.v1 import params
from pillbox.api.v1.documents import (
    DATE_TIME,
    Element,
    child_text,
    date_value,
    leaves,
    list_element,
    midnight,
    moment_value,
    sent,
    texts,
)
from pillbox.api.v1.http import (
    Handler,
    Route,
    created,
    document_response,
    done,
    path_id,
    read_document,
)
from pillbox.api.v1.records import (
    NO_EMBEDS,
    RECORD_TYPES,
    RecordType,
    check_record,
    delete_handler,
    owner_id,
    record_name,
)
from pillbox.domain import tasks as domain
from pillbox.errors import InvalidBody, NotFound
from pillbox.store import task_categories as category_store
from pillbox.store import tasks as store
from pillbox.store import users as user_store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing
from pillbox.wire import renderers

ROOT = "task"
STATUSES = ("OPEN", "COMPLETED", "PENDING")


# -- rendering: the v2 task as a v1 document ----------------------------------------------------


def task_element(wire: dict[str, Any], zones: dict[int, tzinfo]) -> Element:
    owner = wire["owner"]
    zone = zones.get(owner["id"], UTC) if owner else UTC
    category = wire["category"]
    values: list[tuple[str, Any]] = [
        ("id", wire["id"]),
        ("description", wire["description"]),
        ("detail", wire["detail"]),
        ("category", category and category["name"]),
        due_element(wire["dueOn"], wire["dueTime"], zone),
        ("owner", owner and owner["username"]),
        *_link_values(wire),
        ("status", wire["status"]),
        ("completedOn", wire["completedAt"]),
        ("createdOn", wire["createdAt"]),
        ("updatedOn", wire["updatedAt"]),
    ]
    return Element(ROOT, children=leaves(values))


def due_element(due_on: str, due_time: str | None, zone: tzinfo) -> tuple[str, str]:
    """`dueDate` at midnight UTC for a day, `dueDateTime` in UTC for a local time of day."""
    if due_time is None:
        return "dueDate", str(midnight(due_on))
    local = datetime.combine(date.fromisoformat(due_on), time.fromisoformat(due_time), zone)
    try:
        moment = local.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # at the very edge of the calendar: the time as kept
        return "dueDateTime", f"{due_on}T{due_time}Z"
    return "dueDateTime", moment.isoformat(timespec="seconds") + "Z"  # years < 1000 padded too


def _link_values(wire: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for kind in RECORD_TYPES:
        record = wire[kind.segment]
        if record is not None:
            yield kind.id_element, record["id"]
            yield kind.name_element, record_name(record)


@cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _owner_zones(conn: sa.Connection, account_id: int, owner_ids: set[int]) -> dict[int, tzinfo]:
    names = user_store.timezones(conn, account_id, owner_ids)
    return {user_id: _zone(name) for user_id, name in names.items()}


def documents(conn: sa.Connection, who: Principal, ids: list[int]) -> list[Element]:
    """The v1 documents of these tasks, in this order; the account's only."""
    wires = renderers.TASK(conn, who, ids, NO_EMBEDS)
    owner_ids = {wire["owner"]["id"] for wire in wires if wire["owner"]}
    zones = _owner_zones(conn, who.account_id, owner_ids)
    return [task_element(wire, zones) for wire in wires]


# -- reading: a v1 document as the v2 TaskInput -------------------------------------------------


def task_data(
    conn: sa.Connection,
    who: Principal,
    document: Element,
    current_owner: int | None,
    creating: bool,
) -> dict[str, Any]:
    """The v2 input properties of a v1 task document; `current_owner` is the owner the task has
    (or will have when the document names none); `dueDateTime` is read in the time zone of the
    owner it ends up with."""
    data: dict[str, Any] = texts(document, ("description", "detail"))
    category = sent(document, "category")
    if category is not None:
        data["category"] = {"name": category} if category else None
    if document.has("owner"):
        owner = owner_id(conn, who.account_id, child_text(document, "owner"), domain.RESOURCE)
        data["owner"] = None if owner is None else {"id": owner}
    else:
        owner = current_owner
    data.update(_due(document, lambda: _zone_of(conn, who.account_id, owner), creating))
    return data


def _zone_of(conn: sa.Connection, account_id: int, user_id: int | None) -> tzinfo:
    if user_id is None:
        return UTC
    return _owner_zones(conn, account_id, {user_id}).get(user_id, UTC)


def _due(document: Element, zone: Callable[[], tzinfo], creating: bool) -> dict[str, Any]:
    """dueOn and dueTime from dueDateTime (read in the owner's `zone`), else from dueDate."""
    timed = sent(document, "dueDateTime")
    dated = sent(document, "dueDate")
    if timed:
        local = moment_value(timed, "dueDateTime").replace(second=0, microsecond=0)
        try:
            local = local.astimezone(zone())
        except OverflowError:
            raise InvalidBody("dueDateTime is out of range") from None
        return {"dueOn": local.date().isoformat(), "dueTime": local.strftime("%H:%M:%S")}
    if dated:
        return {"dueOn": date_value(dated, "dueDate", DATE_TIME), "dueTime": None}
    if creating or timed is not None or dated is not None:
        raise InvalidBody("A task needs a dueDate or a dueDateTime")
    return {}


# -- lists --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskFilter:
    """What a task list asks for, as sent: names are looked up in the account later."""

    statuses: list[str]
    category: str | None
    username: str | None
    window: params.Window


def task_filter(query: QueryParams) -> TaskFilter:
    return TaskFilter(
        statuses=_statuses(params.text(query, "status")),
        category=params.text(query, "category"),
        username=params.text(query, "user"),
        window=params.window(query),
    )


def _statuses(raw: str | None) -> list[str]:
    if raw is None:
        return ["OPEN"]
    wanted = [part.strip().upper() for part in raw.split(",") if part.strip()]
    if not wanted or any(status not in STATUSES for status in wanted):
        raise params.InvalidParameter(f"status must be one of {', '.join(STATUSES)}")
    return wanted


def _listing(conn: sa.Connection, account_id: int, wanted: TaskFilter) -> Listing | None:
    """The store listing of a filter; None when the category or user it names does not exist."""
    values: dict[str, Any] = {"status": wanted.statuses}
    if wanted.category is not None:
        values["category"] = category_store.find(conn, account_id, None, wanted.category)
        if values["category"] is None:
            return None
    if wanted.username is not None:
        values["owner"] = user_store.user_with_username(conn, account_id, wanted.username)
        if values["owner"] is None:
            return None
    window = wanted.window
    return Listing(since=None, offset=window.start, limit=window.limit, params=values)


async def list_tasks(request: Request) -> Response:
    who = principal_of(request)
    wanted = task_filter(request.query_params)

    def run(conn: sa.Connection) -> list[Element]:
        listing = _listing(conn, who.account_id, wanted)
        ids = [] if listing is None else store.page_ids(conn, who.account_id, listing)
        return documents(conn, who, ids)

    found = await database(request).read(run)
    return document_response(request, list_element("tasks", found))


def record_list_handler(kind: RecordType) -> Handler:
    async def handle(request: Request) -> Response:
        record_id = path_id(request)
        who = principal_of(request)
        wanted = task_filter(request.query_params)

        def run(conn: sa.Connection) -> list[Element]:
            check_record(conn, who.account_id, kind, record_id)
            listing = _listing(conn, who.account_id, wanted)
            if listing is None:
                return []
            ids = store.record_page_ids(conn, who.account_id, listing, kind.segment, record_id)
            return documents(conn, who, ids)

        found = await database(request).read(run)
        return document_response(request, list_element("tasks", found))

    return handle


# -- one task -----------------------------------------------------------------------------------


def _one(conn: sa.Connection, who: Principal, task_id: int) -> Element:
    found = documents(conn, who, [task_id])
    if not found:
        raise NotFound()
    return found[0]


async def show_task(request: Request) -> Response:
    document = await database(request).read(_one, principal_of(request), path_id(request))
    return document_response(request, document)


def _create(
    conn: sa.Connection, who: Principal, document: Element, on: tuple[RecordType, int] | None
) -> int:
    on_record: dict[str, Any] = {}
    if on is not None:
        kind, record_id = on
        check_record(conn, who.account_id, kind, record_id)
        on_record[kind.segment] = {"id": record_id}
    data = {**task_data(conn, who, document, who.user_id, creating=True), **on_record}
    return domain.create_task(conn, who, parse(domain.TaskInput, data, domain.RESOURCE))


def create_handler(kind: RecordType | None) -> Handler:
    """`POST /task`, or (with `kind`) `POST /{party|opportunity|kase}/{id}/task`."""

    async def handle(request: Request) -> Response:
        on = None if kind is None else (kind, path_id(request))
        document = await read_document(request, ROOT)
        new_id = await database(request).write(_create, principal_of(request), document, on)
        return created(request, f"/task/{new_id}")

    return handle


def _update(conn: sa.Connection, who: Principal, task_id: int, document: Element) -> None:
    current = store.find(conn, who.account_id, task_id)
    if current is None:
        raise NotFound()
    data = task_data(conn, who, document, current.owner_id, creating=False)
    domain.update_task(conn, who, task_id, parse(domain.TaskInput, data, domain.RESOURCE))


async def update_task(request: Request) -> Response:
    task_id = path_id(request)
    document = await read_document(request, ROOT)
    await database(request).write(_update, principal_of(request), task_id, document)
    return done()


def status_handler(status: str) -> Handler:
    """`complete` and `reopen`: the v2 update setting the task's status."""

    async def handle(request: Request) -> Response:
        task_id = path_id(request)
        data = parse(domain.TaskInput, {"status": status}, domain.RESOURCE)
        await database(request).write(domain.update_task, principal_of(request), task_id, data)
        return done()

    return handle


def routes() -> list[Route]:
    """(method, path under /api, handler) of every task endpoint."""
    found: list[Route] = [
        ("GET", "/tasks", list_tasks),
        ("POST", "/task", create_handler(None)),
        ("GET", "/task/{id}", show_task),
        ("PUT", "/task/{id}", update_task),
        ("DELETE", "/task/{id}", delete_handler(domain.delete_task)),
        ("POST", "/task/{id}/complete", status_handler("COMPLETED")),
        ("POST", "/task/{id}/reopen", status_handler("OPEN")),
    ]
    for kind in RECORD_TYPES:
        found += [
            ("POST", f"/{kind.segment}/{{id}}/task", create_handler(kind)),
            ("GET", f"/{kind.segment}/{{id}}/tasks", record_list_handler(kind)),
        ]
    return found
