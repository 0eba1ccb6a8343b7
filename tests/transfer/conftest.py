"""Fixtures for imports and exports: an account to act as, and CSV files written on the fly."""

from collections.abc import Callable
from pathlib import Path

import pytest

from pillbox.store.accounts import Principal
from tests.conftest import Account


def actor_of(account: Account) -> Principal:
    return Principal(account.user_id, account.id, "read write", True)


@pytest.fixture
def actor(account: Account) -> Principal:
    return actor_of(account)


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """write_csv(text, name=…, encoding=…) -> the path of a file holding `text`."""
    count = 0

    def write(text: str, name: str | None = None, bom: bool = False) -> Path:
        nonlocal count
        count += 1
        path = tmp_path / (name or f"input-{count}.csv")
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        return path

    return write
