"""Notes added from the page of a party, an opportunity or a project (POST /entries, with an
optional attachment) and attachment downloads (/attachments/{id}): the API's upload and note
rules, on a form post."""

import secrets
import uuid
from collections.abc import AsyncIterator
from typing import IO, Any
from urllib.parse import quote

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import Route

from pillbox.domain import entries as domain
from pillbox.errors import NotFound, ValidationFailed
from pillbox.numbers import whole_number
from pillbox.store import entries as store
from pillbox.store.files import FileStore
from pillbox.web.forms import FieldErrors, as_input, text, upload
from pillbox.web.kit import Viewer, database, path_id, redirect, screen
from pillbox.web.paging import paging
from pillbox.web.record_kinds import KINDS
from pillbox.web.record_page import RecordKind

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


def _linked_record(form: FormData) -> tuple[RecordKind, int]:
    """The record the note is for: the form names one party, opportunity or project (kase)."""
    for link, kind in KINDS.items():
        raw = text(form, link)
        if raw:
            record_id = whole_number(raw)
            if record_id is None:
                raise NotFound()
            return kind, record_id
    raise NotFound()


async def _add_note(request: Request, viewer: Viewer, form: FormData) -> Response:
    kind, record_id = _linked_record(form)
    body: dict[str, Any] = {"type": "note", kind.link: {"id": record_id}}
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
        page = await database(request).read(kind.load_page, viewer, record_id, paging(request, ()))
        errors = FieldErrors.of_failure(error)
        entered = {"content": body["content"]}
        return kind.render_page(request, viewer, page, 422, errors, entered, "note")
    return redirect(kind.url(record_id))


async def download(request: Request, viewer: Viewer) -> Response:
    attachment_id = path_id(request)
    row = await database(request).read(store.find_attachment, viewer.account_id, attachment_id)
    if row is None:
        raise NotFound()
    files: FileStore = request.app.state.files
    path = files.local_path(row.storage_key)
    if path is not None:
        if not path.is_file():
            raise NotFound()
        return FileResponse(
            path,
            media_type=row.content_type,
            filename=row.filename,
            content_disposition_type="attachment",
        )
    try:  # a store elsewhere (S3): streamed through, a piece at a time
        stored = await run_in_threadpool(files.open_for_reading, row.storage_key)
    except FileNotFoundError:
        raise NotFound() from None
    quoted = quote(row.filename)  # as FileResponse names a file
    disposition = (
        f"attachment; filename*=utf-8''{quoted}"
        if quoted != row.filename
        else f'attachment; filename="{row.filename}"'
    )
    return StreamingResponse(
        _pieces(stored),
        media_type=row.content_type,
        headers={"Content-Disposition": disposition},
    )


async def _pieces(stored: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while piece := await run_in_threadpool(stored.read, 256 * 1024):
            yield piece
    finally:
        stored.close()


ROUTES = [
    Route(NOTE_PATH, screen(add_note), methods=["POST"]),
    Route("/attachments/{id}", screen(download), methods=["GET"]),
]
