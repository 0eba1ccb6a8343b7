"""/tasks: my tasks or everyone's, by due date, filtered by category and status; add, complete
and reopen a task (also from the start page and record pages, which come back here to write)."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import tasks as domain
from pillbox.errors import ValidationFailed
from pillbox.numbers import whole_number
from pillbox.store import task_categories
from pillbox.store import tasks as store
from pillbox.store.listing import Listing
from pillbox.web.forms import FieldErrors, as_input, optional, text
from pillbox.web.kit import Viewer, database, local_path, path_id, redirect, render, screen
from pillbox.web.paging import Paging, paging

MAX_CATEGORIES = 1000  # a form's choices
STATUSES = {"open": ["OPEN"], "completed": ["COMPLETED"], "all": ["OPEN", "COMPLETED"]}


@dataclass(frozen=True)
class TaskFilter:
    mine: bool
    status: str
    category_id: int | None


def task_rows(conn: sa.Connection, account_id: int, ids: list[int]) -> list[Any]:
    """The tasks with their category, owner and record names: one query for any number."""
    rows = store.load(conn, account_id, ids) if ids else {}
    return [rows[i] for i in ids if i in rows]


def categories(conn: sa.Connection, account_id: int) -> list[Any]:
    return task_categories.listed(conn, account_id, MAX_CATEGORIES)


def open_task_ids(
    conn: sa.Connection, account_id: int, owner_id: int | None, limit: int, **related: int
) -> list[int]:
    """Open tasks in due order: the owner's, or those on one record (`party=5`)."""
    listing = Listing(None, 0, limit, params={"status": ["OPEN"], "owner": owner_id})
    if related:
        ((link, record_id),) = related.items()
        return store.record_page_ids(conn, account_id, listing, link, record_id)
    return store.page_ids(conn, account_id, listing)


def _filter(request: Request) -> TaskFilter:
    query = request.query_params
    raw_category = query.get("category", "")
    status = query.get("status", "open")
    return TaskFilter(
        mine=query.get("who", "mine") != "everyone",
        status=status if status in STATUSES else "open",
        category_id=whole_number(raw_category),
    )


async def list_tasks(request: Request, viewer: Viewer) -> Response:
    wanted, page = _filter(request), paging(request, ("who", "status", "category"))

    def load(conn: sa.Connection) -> tuple[Paging, list[Any], list[Any]]:
        params = {
            "status": STATUSES[wanted.status],
            "owner": viewer.user.user_id if wanted.mine else None,
            "category": wanted.category_id,
        }
        listing = Listing(None, page.offset, page.fetch, params=params)
        shown, ids = page.trim(store.page_ids(conn, viewer.account_id, listing))
        return shown, task_rows(conn, viewer.account_id, ids), categories(conn, viewer.account_id)

    shown, rows, all_categories = await database(request).read(load)
    return render(
        request,
        "tasks.html",
        viewer,
        tasks=rows,
        paging=shown,
        wanted=wanted,
        categories=all_categories,
        errors=FieldErrors(),
        entered={},
        back=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    )


def _record_of(form: Any) -> tuple[str, str] | None:
    """The record a task form was for, as (link, id), to post the form again for it."""
    for link in ("party", "opportunity", "kase"):
        if text(form, link):
            return link, text(form, link)
    return None


def _task_body(form: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"description": text(form, "description"), "dueOn": text(form, "dueOn")}
    if optional(form, "dueTime"):
        body["dueTime"] = text(form, "dueTime")
    if (category_id := whole_number(text(form, "category"))) is not None:
        body["category"] = {"id": category_id}
    for link in ("party", "opportunity", "kase"):  # the record it is on, if any
        if (record_id := whole_number(text(form, link))) is not None:
            body[link] = {"id": record_id}
    return body


async def add_task(request: Request, viewer: Viewer) -> Response:
    form = await request.form()
    back = local_path(text(form, "back"), "/tasks")
    body = _task_body(form)

    def create(conn: sa.Connection) -> int:
        return domain.create_task(conn, viewer.principal, as_input(domain.TaskInput, body, "task"))

    try:
        await database(request).write(create)
    except ValidationFailed as failure:
        all_categories = await database(request).read(categories, viewer.account_id)
        return render(
            request,
            "task_form.html",
            viewer,
            status=422,
            errors=FieldErrors.of_failure(failure),
            entered={k: text(form, k) for k in ("description", "dueOn", "dueTime", "category")},
            record=_record_of(form),
            categories=all_categories,
            back=back,
        )
    return redirect(back)


def _status_change(status: str) -> Any:
    async def change(request: Request, viewer: Viewer) -> Response:
        task_id = path_id(request)
        form = await request.form()
        data = as_input(domain.TaskInput, {"status": status}, "task")
        await database(request).write(domain.update_task, viewer.principal, task_id, data)
        return redirect(local_path(text(form, "back"), "/tasks"))

    change.__name__ = f"mark_{status.lower()}"
    return change


ROUTES = [
    Route("/tasks", screen(list_tasks), methods=["GET"]),
    Route("/tasks", screen(add_task), methods=["POST"]),
    Route("/tasks/{id}/complete", screen(_status_change("COMPLETED")), methods=["POST"]),
    Route("/tasks/{id}/reopen", screen(_status_change("OPEN")), methods=["POST"]),
]
