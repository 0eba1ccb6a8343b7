"""Notes added from a party's page (POST /entries, with an optional attachment) and attachment
downloads (/attachments/{id}): the API's upload and note rules, on a form post."""

import os
import secrets
import uuid
from typing import Any

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from pillbox.domain import entries as domain
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import entries as store
from pillbox.store.files import FileStore
from pillbox.web.forms import FieldErrors, as_input, text, upload
from pillbox.web.kit import Viewer, database, path_id, redirect, screen
from pillbox.web.paging import paging
from pillbox.web.party import load_page, render_page

NOTE_PATH = "/entries"  # the app lets this path take bodies as large as an attachment
CHUNK = 1024 * 1024


def _copy(source: UploadFile, files: FileStore, key: str) -> int:
    size = 0
    with files.open_for_writing(key) as target:
        while chunk := source.file.read(CHUNK):
            target.write(chunk)
            size += len(chunk)
    return size


def _filename(raw: str) -> str:
    name = "".join(c for c in raw.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())
    return name.strip()[:255] or "attachment"


async def _upload(request: Request, viewer: Viewer, file: UploadFile) -> str:
    """Stores the file as the API's upload does; returns the upload's token."""
    files: FileStore = request.app.state.files
    key = files.new_key()
    size = await run_in_threadpool(_copy, file, files, key)
    token = f"u1/e0/{uuid.uuid4()}/{secrets.token_hex(16)}/{secrets.token_hex(16)}"
    values: dict[str, Any] = dict(
        filename=_filename(file.filename or ""),
        content_type=(file.content_type or "application/octet-stream")[:255],
        size=size,
        storage_key=key,
    )
    try:
        await database(request).write(store.create_upload, viewer.account_id, token, values)
    except BaseException:
        files.delete(key)
        raise
    return token


async def add_note(request: Request, viewer: Viewer) -> Response:
    form = await request.form()
    try:
        return await _add_note(request, viewer, form)
    finally:
        await form.close()  # the upload's temporary file


async def _add_note(request: Request, viewer: Viewer, form: FormData) -> Response:
    raw_party = text(form, "party")
    if not raw_party.isdigit() or len(raw_party) > 10:
        raise NotFound()
    party_id = int(raw_party)
    body: dict[str, Any] = {"type": "note", "party": {"id": party_id}}
    body["content"] = text(form, "content")
    file = upload(form, "attachment")
    if file is not None:
        token = await _upload(request, viewer, file)
        body["attachments"] = [{"token": token}]

    def create(conn: sa.Connection) -> int:
        data = as_input(domain.EntryInput, body, domain.RESOURCE)
        return domain.create_entry(conn, viewer.principal, data)

    try:
        await database(request).write(create)
    except ValidationFailed as error:
        # An upload the note did not take expires as the API's unused uploads do.
        page = await database(request).read(load_page, viewer, party_id, paging(request, ()))
        errors = FieldErrors.of_failure(error)
        entered = {"content": body["content"]}
        return render_page(request, viewer, page, 422, errors, entered, "note")
    return redirect(f"/parties/{party_id}")


async def download(request: Request, viewer: Viewer) -> Response:
    attachment_id = path_id(request)
    row = await database(request).read(store.find_attachment, viewer.account_id, attachment_id)
    files: FileStore = request.app.state.files
    if row is None or not os.path.exists(files.path(row.storage_key)):
        raise NotFound()
    return FileResponse(
        files.path(row.storage_key),
        media_type=row.content_type,
        filename=row.filename,
        content_disposition_type="attachment",
    )


ROUTES = [
    Route(NOTE_PATH, screen(add_note), methods=["POST"]),
    Route("/attachments/{id}", screen(download), methods=["GET"]),
]
