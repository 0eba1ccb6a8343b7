"""Tags (add by name, remove) and custom fields (every field type) of a party, an opportunity or
a project, written through the record's own domain update with the API's `tags` and `fields`
arrays."""

from typing import Any

import sqlalchemy as sa
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pillbox.domain.fields import stored_value
from pillbox.errors import FieldError, NotFound, ValidationFailed
from pillbox.store import records
from pillbox.web.forms import FieldErrors, as_input, text, texts
from pillbox.web.kit import Handler, Viewer, database, path_id, redirect, screen
from pillbox.web.paging import paging
from pillbox.web.record_kinds import KINDS
from pillbox.web.record_page import RecordKind, field_definitions


def update_record(kind: RecordKind, viewer: Viewer, record_id: int, body: dict[str, Any]) -> Any:
    """A write through the kind's domain update, with `body` parsed as the API parses it."""

    def write(conn: sa.Connection) -> None:
        kind.update(
            conn, viewer.principal, record_id, as_input(kind.input_model, body, kind.resource)
        )

    return write


async def refused(
    request: Request,
    viewer: Viewer,
    kind: RecordKind,
    record_id: int,
    failure: ValidationFailed,
    failed: str,
) -> Response:
    """The record page again (422), the refused form's messages beside its fields, input kept."""
    form = await request.form()
    page = await database(request).read(kind.load_page, viewer, record_id, paging(request, ()))
    entered = {key: value for key, value in form.multi_items() if isinstance(value, str)}
    errors = FieldErrors.of_failure(failure)
    return kind.render_page(request, viewer, page, 422, errors, entered, failed)


def _add_tag(kind: RecordKind) -> Handler:
    async def add_tag(request: Request, viewer: Viewer) -> Response:
        record_id = path_id(request)
        body = {"tags": [{"name": text(await request.form(), "name")}]}
        try:
            await database(request).write(update_record(kind, viewer, record_id, body))
        except ValidationFailed as failure:
            return await refused(request, viewer, kind, record_id, failure, "tags")
        return redirect(kind.url(record_id))

    return add_tag


def _remove_tag(kind: RecordKind) -> Handler:
    async def remove_tag(request: Request, viewer: Viewer) -> Response:
        record_id, tag_id = path_id(request), path_id(request, "tag")
        body = {"tags": [{"id": tag_id, "_delete": True}]}
        try:
            await database(request).write(update_record(kind, viewer, record_id, body))
        except ValidationFailed as failure:
            return await refused(request, viewer, kind, record_id, failure, "tags")
        return redirect(kind.url(record_id))

    return remove_tag


def _submitted(form: FormData, definition: Any) -> Any:
    """The value the form holds for a definition, as the API would take it; None clears it."""
    name = f"field-{definition.id}"
    if definition.type == "multiselectlist":
        return ";".join(texts(form, name)) or None
    raw = text(form, name)
    if not raw:
        return None
    if definition.type == "boolean":
        return raw == "true"
    return raw


def _field_changes(
    conn: sa.Connection, viewer: Viewer, kind: RecordKind, record_id: int, form: FormData
) -> list[dict[str, Any]]:
    """The `fields` items for the values that changed, each checked by the domain's own rule so
    that a refusal names the field it is about."""
    current = {
        row.definition_id: row.value
        for row in records.load_field_values(conn, kind.entity, [record_id]).get(record_id, [])
    }
    items: list[dict[str, Any]] = []
    problems: list[FieldError] = []
    for definition in field_definitions(conn, viewer.account_id, kind.entity):
        value = _submitted(form, definition)
        try:
            stored = None if value is None else stored_value(definition, value, kind.resource)
        except ValidationFailed as failure:
            problems += [
                FieldError(e.message, e.resource, f"field-{definition.id}") for e in failure.errors
            ]
            continue
        if stored == current.get(definition.id):
            continue
        item: dict[str, Any] = {"definition": {"id": definition.id}}
        items.append({**item, "_delete": True} if stored is None else {**item, "value": value})
    if problems:
        raise ValidationFailed(*problems)
    return items


def _save_fields(kind: RecordKind) -> Handler:
    async def save_fields(request: Request, viewer: Viewer) -> Response:
        record_id = path_id(request)
        form = await request.form()

        def write(conn: sa.Connection) -> None:
            if kind.find(conn, viewer.account_id, record_id) is None:
                raise NotFound()
            items = _field_changes(conn, viewer, kind, record_id, form)
            if items:
                update_record(kind, viewer, record_id, {"fields": items})(conn)

        try:
            await database(request).write(write)
        except ValidationFailed as failure:
            return await refused(request, viewer, kind, record_id, failure, "fields")
        return redirect(kind.url(record_id))

    return save_fields


def _routes(kind: RecordKind) -> list[BaseRoute]:
    return [
        Route(f"{kind.path}/{{id}}/tags", screen(_add_tag(kind)), methods=["POST"]),
        Route(
            f"{kind.path}/{{id}}/tags/{{tag}}/remove",
            screen(_remove_tag(kind)),
            methods=["POST"],
        ),
        Route(f"{kind.path}/{{id}}/fields", screen(_save_fields(kind)), methods=["POST"]),
    ]


ROUTES = [route for kind in KINDS.values() for route in _routes(kind)]
