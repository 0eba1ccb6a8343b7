"""Where attachment bytes live: a local directory behind a small interface.

Files are stored under random keys (`ab/abcdef…`), never under a name a client chose, so no file
name can reach outside the directory. An S3-compatible store would implement the same methods.
"""

import contextlib
import os
import secrets
from pathlib import Path
from typing import IO, Protocol


class FileStore(Protocol):
    def new_key(self) -> str: ...

    def open_for_writing(self, key: str) -> IO[bytes]: ...

    def path(self, key: str) -> Path: ...

    def delete(self, key: str) -> None: ...


class LocalFiles:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def new_key(self) -> str:
        key = secrets.token_hex(20)
        return f"{key[:2]}/{key}"

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:  # keys are ours; this guards against a corrupt row
            raise ValueError(f"storage key outside the store: {key!r}")
        return path

    def open_for_writing(self, key: str) -> IO[bytes]:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "xb")

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):  # already gone: the goal is reached
            os.remove(self.path(key))
