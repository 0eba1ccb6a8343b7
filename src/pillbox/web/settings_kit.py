"""What the account's settings screens share: for administrators only, each lists the items of
one or more collections, with a form to add an item, a form per item to change it, and a page
that asks before deleting one.

A screen is a `SettingsPage` of `Collection`s; a collection declares its inputs (named as the
API's body names them), how to read its items, and the domain functions that write them. A
form becomes the API's body and is parsed by the API's input model, so a refusal is the API's
422, shown beside its field with what was typed kept, and nothing changes.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain.base import InputModel, require_admin
from pillbox.errors import NotFound, ValidationFailed
from pillbox.numbers import whole_number
from pillbox.store.accounts import Principal
from pillbox.web.forms import FieldErrors, as_input, optional, texts
from pillbox.web.kit import Handler, Viewer, database, path_id, redirect, render, screen

Choices = list[tuple[str, str]]  # (value, label)


def _text(form: FormData, name: str) -> Any:
    return optional(form, name)


def _number(form: FormData, name: str) -> Any:
    raw = optional(form, name)
    # What is not a whole number goes to the input model as typed, which refuses it.
    number = whole_number(raw)
    return number if number is not None else raw


def _checkbox(form: FormData, name: str) -> Any:
    return form.get(name) is not None


def _lines(form: FormData, name: str) -> Any:
    return [line.strip() for line in (optional(form, name) or "").splitlines() if line.strip()]


READERS: dict[str, Callable[[FormData, str], Any]] = {
    "text": _text,
    "textarea": _text,
    "password": _text,
    "email": _text,
    "colour": _text,
    "select": _text,
    "number": _number,
    "checkbox": _checkbox,
    "lines": _lines,
    "multiselect": texts,
}


def reference(form: FormData, name: str) -> Any:
    """A select naming another record: {"id": N}."""
    raw = optional(form, name)
    record_id = whole_number(raw)
    return {"id": record_id} if record_id is not None else raw


def admin_screen(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A screen for the account's administrators: anyone else gets the 403 page, whatever the
    address names (so it says nothing of what exists)."""

    async def for_administrators(request: Request, viewer: Viewer) -> Response:
        require_admin(viewer.principal)
        return await handler(request, viewer)

    for_administrators.__name__ = handler.__name__
    return screen(for_administrators)


@dataclass(frozen=True)
class Input:
    """One field of an item's form. `name` is the API's body property; `read` turns the form
    into its value (by `kind` unless given); `errors` are the 422 fields shown beside it."""

    name: str
    label: str
    kind: str = "text"  # a key of READERS
    read: Callable[[FormData, str], Any] | None = None
    choices: Choices = field(default_factory=list)  # for a select; else loaded by the page
    on_create: bool = True
    on_edit: bool = True
    errors: tuple[str, ...] = ()

    def value(self, form: FormData) -> Any:
        return (self.read or READERS[self.kind])(form, self.name)

    @property
    def error_fields(self) -> tuple[str, ...]:
        return (self.name, *self.errors)


@dataclass(frozen=True)
class Item:
    """An item as the screen shows it: its values by input name, columns only to read, and
    whether it can be changed or deleted at all (built-in ones cannot)."""

    id: int
    label: str
    values: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    link: tuple[str, str] | None = None  # (address, text) of a page of its own
    locked: bool = False


Load = Callable[[sa.Connection, Principal], list[Item]]
LoadChoices = Callable[[sa.Connection, Principal], dict[str, Choices]]


@dataclass(frozen=True)
class Collection:
    key: str  # unique on the site; in addresses and element ids
    title: str
    noun: str  # "pipeline": "Add a pipeline", "Delete pipeline …?"
    resource: str  # the input model's resource in its 422s
    model: type[InputModel]
    inputs: tuple[Input, ...]
    load: Load
    create: Callable[[sa.Connection, Principal, Any], Any] | None = None
    update: Callable[[sa.Connection, Principal, int, Any], Any] | None = None
    delete: Callable[[sa.Connection, Principal, int], Any] | None = None
    delete_verb: str = "Delete"
    delete_warning: str = ""
    load_choices: LoadChoices | None = None
    edit_model: type[InputModel] | None = None  # when changing takes another body than adding

    @property
    def path(self) -> str:
        return f"/settings/items/{self.key}"

    def body(self, form: FormData, creating: bool) -> dict[str, Any]:
        shown = [i for i in self.inputs if (i.on_create if creating else i.on_edit)]
        return {i.name: i.value(form) for i in shown}

    def entered(self, form: FormData) -> dict[str, Any]:
        """What was typed, to show again after a refusal."""
        return {
            i.name: texts(form, i.name) if i.kind == "multiselect" else form.get(i.name)
            for i in self.inputs
        }


@dataclass(frozen=True)
class Failure:
    """A refused write: which form (a collection's add form when `item_id` is None), its
    messages by field, and what was typed."""

    key: str
    item_id: int | None
    errors: FieldErrors
    entered: dict[str, Any]

    def is_for(self, key: str, item_id: int | None) -> bool:
        return self.key == key and self.item_id == item_id

    def elsewhere(self, collection: Collection) -> list[str]:
        """Messages about no input of the form (e.g. "milestone is in use")."""
        known = {f for i in collection.inputs for f in i.error_fields}
        return [m for name, ms in self.errors.items() if name not in known for m in ms]


@dataclass(frozen=True)
class SettingsPage:
    path: str
    title: str
    intro: str
    collections: tuple[Collection, ...]


@dataclass
class Section:
    collection: Collection
    items: list[Item]
    choices: dict[str, Choices]


def _read_sections(conn: sa.Connection, who: Principal, page: SettingsPage) -> list[Section]:
    require_admin(who)
    return [
        Section(c, c.load(conn, who), c.load_choices(conn, who) if c.load_choices else {})
        for c in page.collections
    ]


async def show_page(
    request: Request, viewer: Viewer, page: SettingsPage, failure: Failure | None = None
) -> Response:
    sections = await database(request).read(_read_sections, viewer.principal, page)
    return render(
        request,
        "settings_page.html",
        viewer,
        status=422 if failure else 200,
        page=page,
        sections=sections,
        failure=failure,
    )


def _parse(collection: Collection, form: FormData, creating: bool) -> Any:
    model = collection.model if creating else (collection.edit_model or collection.model)
    return as_input(model, collection.body(form, creating), collection.resource)


async def _refused(
    request: Request,
    viewer: Viewer,
    page: SettingsPage,
    collection: Collection,
    item_id: int | None,
    refusal: ValidationFailed,
) -> Response:
    """The page again, with the refused form's messages and what was typed in it."""
    entered = collection.entered(await request.form())
    failure = Failure(collection.key, item_id, FieldErrors.of_failure(refusal), entered)
    return await show_page(request, viewer, page, failure)


async def _create(
    request: Request, viewer: Viewer, page: SettingsPage, collection: Collection
) -> Response:
    assert collection.create is not None
    try:
        data = _parse(collection, await request.form(), creating=True)
        await database(request).write(collection.create, viewer.principal, data)
    except ValidationFailed as refusal:
        return await _refused(request, viewer, page, collection, None, refusal)
    return redirect(page.path)


async def _update(
    request: Request, viewer: Viewer, page: SettingsPage, collection: Collection
) -> Response:
    assert collection.update is not None
    item_id = path_id(request)
    try:
        data = _parse(collection, await request.form(), creating=False)
        await database(request).write(collection.update, viewer.principal, item_id, data)
    except ValidationFailed as refusal:
        return await _refused(request, viewer, page, collection, item_id, refusal)
    return redirect(f"{page.path}#{collection.key}-{item_id}")


async def _ask_to_delete(
    request: Request, viewer: Viewer, page: SettingsPage, collection: Collection
) -> Response:
    return await _confirm(request, viewer, page, collection, path_id(request))


async def _delete(
    request: Request, viewer: Viewer, page: SettingsPage, collection: Collection
) -> Response:
    assert collection.delete is not None
    item_id = path_id(request)
    try:
        await database(request).write(collection.delete, viewer.principal, item_id)
    except ValidationFailed as refusal:
        messages = [error.message for error in refusal.errors]
        return await _confirm(request, viewer, page, collection, item_id, messages)
    return redirect(page.path)


Action = Callable[[Request, Viewer, SettingsPage, Collection], Awaitable[Response]]


def _endpoint(
    action: Action, page: SettingsPage, collection: Collection
) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request, viewer: Viewer) -> Response:
        return await action(request, viewer, page, collection)

    handle.__name__ = f"{action.__name__.strip('_')}_{collection.key.replace('-', '_')}"
    return admin_screen(handle)


def _routes(page: SettingsPage, collection: Collection) -> list[Route]:
    path, routes = collection.path, []
    if collection.create:
        routes.append(Route(path, _endpoint(_create, page, collection), methods=["POST"]))
    if collection.update:
        routes.append(Route(path + "/{id}", _endpoint(_update, page, collection), methods=["POST"]))
    if collection.delete:
        routes += [
            Route(
                path + "/{id}/delete", _endpoint(_ask_to_delete, page, collection), methods=["GET"]
            ),
            Route(path + "/{id}/delete", _endpoint(_delete, page, collection), methods=["POST"]),
        ]
    return routes


def _one_item(conn: sa.Connection, who: Principal, collection: Collection, item_id: int) -> Item:
    require_admin(who)
    for item in collection.load(conn, who):
        if item.id == item_id and not item.locked:
            return item
    raise NotFound()


async def _confirm(
    request: Request,
    viewer: Viewer,
    page: SettingsPage,
    collection: Collection,
    item_id: int,
    refusals: list[str] | None = None,
) -> Response:
    item = await database(request).read(_one_item, viewer.principal, collection, item_id)
    return render(
        request,
        "settings_delete.html",
        viewer,
        status=422 if refusals else 200,
        page=page,
        collection=collection,
        item=item,
        refusals=refusals or [],
    )


def page_routes(page: SettingsPage) -> list[Route]:
    """The page, and for each collection: add, change, and delete after asking."""

    async def show(request: Request, viewer: Viewer) -> Response:
        return await show_page(request, viewer, page)

    show.__name__ = "show_" + page.path.rsplit("/", 1)[-1].replace("-", "_")
    routes = [Route(page.path, admin_screen(show), methods=["GET"])]
    for collection in page.collections:
        routes += _routes(page, collection)
    return routes
