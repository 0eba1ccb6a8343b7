"""Where attachment bytes live: a local directory or an S3-compatible bucket, behind one interface.

Files are stored under random keys (`ab/abcdef…`), never under a name a client chose, so no file
name can reach outside the store. Both stores stream: a file is written and read in chunks, and
never sits whole in memory (the S3 store sends an upload in parts of `S3Files.PART_BYTES`).
"""

import contextlib
import io
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol, cast
from urllib.parse import urlsplit


class FileStore(Protocol):
    def new_key(self) -> str: ...

    def open_for_writing(self, key: str) -> IO[bytes]: ...

    def open_for_reading(self, key: str) -> IO[bytes]:
        """The stored bytes of `key`; FileNotFoundError when there are none."""
        ...

    def local_path(self, key: str) -> Path | None:
        """Where the file lies on this machine's disk, for stores that keep it there."""
        ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def keys(self) -> Iterator[str]:
        """Every stored key (for checks and tests; it reads the whole store)."""
        ...

    def check(self) -> None:
        """Raises when the store cannot be reached (for readiness probes)."""
        ...


def new_key() -> str:
    key = secrets.token_hex(20)
    return f"{key[:2]}/{key}"


def open_store(attachments_url: str | None, attachments_dir: str) -> FileStore:
    """The store the settings name: `s3://bucket/prefix` when given, else the directory."""
    if attachments_url:
        return S3Files(attachments_url)
    return LocalFiles(attachments_dir)


class LocalFiles:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def new_key(self) -> str:
        return new_key()

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:  # keys are ours; this guards against a corrupt row
            raise ValueError(f"storage key outside the store: {key!r}")
        return path

    def local_path(self, key: str) -> Path | None:
        return self.path(key)

    def open_for_writing(self, key: str) -> IO[bytes]:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "xb")

    def open_for_reading(self, key: str) -> IO[bytes]:
        return open(self.path(key), "rb")

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):  # already gone: the goal is reached
            os.remove(self.path(key))

    def keys(self) -> Iterator[str]:
        if self.root.is_dir():
            for path in sorted(self.root.rglob("*")):
                if path.is_file():
                    yield path.relative_to(self.root).as_posix()

    def check(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise OSError(f"the attachments directory {self.root} is not writable")


class S3Files:
    """An S3-compatible bucket (AWS S3, MinIO, Ceph, R2…) at `s3://bucket/prefix`.

    Endpoint, region and credentials come from boto3's usual sources (AWS_ENDPOINT_URL,
    AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, instance roles)."""

    PART_BYTES = 8 * 1024 * 1024  # S3 asks at least 5 MiB of every part but the last

    def __init__(self, url: str, client: Any = None) -> None:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"not an s3://bucket/prefix URL: {url!r}")
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        if client is None:
            import boto3  # only where S3 is used: it takes ~0.3 s to import

            client = boto3.client("s3")
        self.client = client

    def _object(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def new_key(self) -> str:
        return new_key()

    def local_path(self, key: str) -> Path | None:
        return None

    def open_for_writing(self, key: str) -> IO[bytes]:
        return cast(IO[bytes], _S3Upload(self, self._object(key)))

    def open_for_reading(self, key: str) -> IO[bytes]:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._object(key))
        except self.client.exceptions.NoSuchKey as missing:
            raise FileNotFoundError(key) from missing
        body: IO[bytes] = answer["Body"]
        return body

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object(key))
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._object(key))

    def keys(self) -> Iterator[str]:
        start = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(start) :]

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)


class _S3Upload(io.RawIOBase):
    """A file-like writer that sends what it is given to S3 in parts, as it comes."""

    def __init__(self, store: S3Files, name: str) -> None:
        super().__init__()
        self._store, self._name = store, name
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        while len(self._buffer) >= S3Files.PART_BYTES:
            self._send_part(bytes(self._buffer[: S3Files.PART_BYTES]))
            del self._buffer[: S3Files.PART_BYTES]
        return len(data)

    def _send_part(self, chunk: bytes) -> None:
        client, bucket = self._store.client, self._store.bucket
        if self._upload_id is None:
            started = client.create_multipart_upload(Bucket=bucket, Key=self._name)
            self._upload_id = started["UploadId"]
        number = len(self._parts) + 1
        sent = client.upload_part(
            Bucket=bucket,
            Key=self._name,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=chunk,
        )
        self._parts.append({"ETag": sent["ETag"], "PartNumber": number})

    def close(self) -> None:
        if self.closed:
            return
        try:
            client, bucket = self._store.client, self._store.bucket
            if self._upload_id is None:
                client.put_object(Bucket=bucket, Key=self._name, Body=bytes(self._buffer))
            else:
                if self._buffer:
                    self._send_part(bytes(self._buffer))
                client.complete_multipart_upload(
                    Bucket=bucket,
                    Key=self._name,
                    UploadId=self._upload_id,
                    MultipartUpload={"Parts": self._parts},
                )
            self._buffer = bytearray()
        finally:
            super().close()
