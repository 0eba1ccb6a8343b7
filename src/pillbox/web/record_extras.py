"""A party's tags (add by name, remove) and custom fields (every field type), written through
update_party with the API's `tags` and `fields` arrays."""

from typing import Any

import sqlalchemy as sa
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import parties as domain
from pillbox.domain.fields import stored_value
from pillbox.errors import FieldError, NotFound, ValidationFailed
from pillbox.store import parties as party_store
from pillbox.store import records
from pillbox.web.forms import FieldErrors, as_input, text, texts
from pillbox.web.kit import Viewer, database, path_id, redirect, screen
from pillbox.web.paging import paging
from pillbox.web.parties import ENTITY
from pillbox.web.party import field_definitions, load_page, render_page


def _update(viewer: Viewer, party_id: int, body: dict[str, Any]) -> Any:
    def write(conn: sa.Connection) -> None:
        data = as_input(domain.PartyInput, body, domain.RESOURCE)
        domain.update_party(conn, viewer.principal, party_id, data)

    return write


async def _refused(
    request: Request, viewer: Viewer, party_id: int, failure: ValidationFailed, failed: str
) -> Response:
    form = await request.form()
    page = await database(request).read(load_page, viewer, party_id, paging(request, ()))
    entered = {key: value for key, value in form.multi_items() if isinstance(value, str)}
    errors = FieldErrors.of_failure(failure)
    return render_page(request, viewer, page, 422, errors, entered, failed)


async def add_tag(request: Request, viewer: Viewer) -> Response:
    party_id = path_id(request)
    name = text(await request.form(), "name")
    try:
        await database(request).write(_update(viewer, party_id, {"tags": [{"name": name}]}))
    except ValidationFailed as failure:
        return await _refused(request, viewer, party_id, failure, "tags")
    return redirect(f"/parties/{party_id}")


async def remove_tag(request: Request, viewer: Viewer) -> Response:
    party_id, tag_id = path_id(request), path_id(request, "tag")
    body = {"tags": [{"id": tag_id, "_delete": True}]}
    try:
        await database(request).write(_update(viewer, party_id, body))
    except ValidationFailed as failure:
        return await _refused(request, viewer, party_id, failure, "tags")
    return redirect(f"/parties/{party_id}")


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
    conn: sa.Connection, viewer: Viewer, party_id: int, form: FormData
) -> list[dict[str, Any]]:
    """The `fields` items for the values that changed, each checked by the domain's own rule so
    that a refusal names the field it is about."""
    current = {
        row.definition_id: row.value
        for row in records.load_field_values(conn, ENTITY, [party_id]).get(party_id, [])
    }
    items: list[dict[str, Any]] = []
    problems: list[FieldError] = []
    for definition in field_definitions(conn, viewer.account_id, ENTITY):
        value = _submitted(form, definition)
        try:
            stored = None if value is None else stored_value(definition, value, domain.RESOURCE)
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


async def save_fields(request: Request, viewer: Viewer) -> Response:
    party_id = path_id(request)
    form = await request.form()

    def write(conn: sa.Connection) -> None:
        if party_store.find(conn, viewer.account_id, party_id) is None:
            raise NotFound()
        items = _field_changes(conn, viewer, party_id, form)
        if items:
            _update(viewer, party_id, {"fields": items})(conn)

    try:
        await database(request).write(write)
    except ValidationFailed as failure:
        return await _refused(request, viewer, party_id, failure, "fields")
    return redirect(f"/parties/{party_id}")


ROUTES = [
    Route("/parties/{id}/tags", screen(add_tag), methods=["POST"]),
    Route("/parties/{id}/tags/{tag}/remove", screen(remove_tag), methods=["POST"]),
    Route("/parties/{id}/fields", screen(save_fields), methods=["POST"]),
]
