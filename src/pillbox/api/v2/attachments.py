"""/api/v2/attachments: upload a file (for an entry's `attachments`) and download one."""

import secrets
import uuid
from collections.abc import AsyncIterator
from typing import IO, Any
from urllib.parse import quote, unquote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse

from pillbox.api.kit import Endpoint, params
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.kit.responses import json_response
from pillbox.api.paths import V2_PREFIX
from pillbox.errors import BodyTooLarge, NotFound, ValidationFailed
from pillbox.store import entries as store
from pillbox.store.files import FileStore

UPLOAD_PATH = f"{V2_PREFIX}/attachments/upload"
_CHUNK_BYTES = 256 * 1024


def _filename(request: Request) -> str:
    """The URL-encoded X-Attachment-Filename, reduced to a plain, printable base name."""
    raw = unquote(request.headers.get("x-attachment-filename", "")).replace("\\", "/")
    name = "".join(c for c in raw.rsplit("/", 1)[-1] if c.isprintable()).strip()
    if not name or name in (".", ".."):
        raise ValidationFailed.single("X-Attachment-Filename is required", "upload", "filename")
    return name[:255]


async def save_body(request: Request, files: FileStore, key: str, limit: int) -> int:
    """Streams the body into the store; returns its size. Over `limit` is a 413."""
    handle = await run_in_threadpool(files.open_for_writing, key)
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge()
            await run_in_threadpool(handle.write, chunk)
    except BaseException:
        handle.close()
        files.delete(key)
        raise
    await run_in_threadpool(handle.close)  # S3: sends the last part
    return size


async def upload(request: Request) -> Response:
    filename = _filename(request)
    content_type = (
        request.headers.get("content-type", "").strip()[:255] or "application/octet-stream"
    )
    files: FileStore = request.app.state.files
    key = files.new_key()
    size = await save_body(request, files, key, request.app.state.settings.max_attachment_bytes)
    token = f"u1/e0/{uuid.uuid4()}/{secrets.token_hex(16)}/{secrets.token_hex(16)}"
    values: dict[str, Any] = dict(
        filename=filename, content_type=content_type, size=size, storage_key=key
    )
    try:
        account_id = principal_of(request).account_id
        await database(request).write(store.create_upload, account_id, token, values)
    except BaseException:
        files.delete(key)
        raise
    return json_response({"upload": {"token": token}})


def content_disposition(filename: str) -> str:
    """RFC 6266: the UTF-8 name, and a plain ASCII one for clients that know no better."""
    ascii_name = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"inline; filename*=UTF-8''{quote(filename, safe='')}; filename=\"{ascii_name}\""


async def download(request: Request) -> Response:
    attachment_id = params.record_id(request.path_params["id"])
    account_id = principal_of(request).account_id
    row = await database(request).read(store.find_attachment, account_id, attachment_id)
    if row is None:
        raise NotFound()
    files: FileStore = request.app.state.files
    headers = {"Content-Disposition": content_disposition(row.filename)}
    path = files.local_path(row.storage_key)
    if path is not None:
        if not path.is_file():
            raise NotFound()
        return FileResponse(path, media_type=row.content_type, headers=headers)
    try:
        stored = await run_in_threadpool(files.open_for_reading, row.storage_key)
    except FileNotFoundError:
        raise NotFound() from None
    return StreamingResponse(_chunks(stored), media_type=row.content_type, headers=headers)


async def _chunks(stored: IO[bytes]) -> AsyncIterator[bytes]:
    """The file in pieces, read off the event loop; closed however the response ends."""
    try:
        while chunk := await run_in_threadpool(stored.read, _CHUNK_BYTES):
            yield chunk
    finally:
        stored.close()


ENDPOINTS = [
    Endpoint(
        "POST",
        "/attachments/upload",
        upload,
        "Upload a file, for an entry's attachments",
        "upload_attachment",
        responses={
            200: ("upload", {"type": "object", "properties": {"token": {"type": "string"}}})
        },
    ),
    Endpoint(
        "GET",
        "/attachments/{id}",
        download,
        "Download an attachment",
        "show_attachment",
        path_param="id",
        responses={},
    ),
]
