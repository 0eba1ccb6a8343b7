"""Fixtures of the reliability suite: a SQLite database for a live server."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.live import Database, database


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    yield from database("sqlite", tmp_path)
