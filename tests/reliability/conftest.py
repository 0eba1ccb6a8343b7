"""Fixtures of the reliability suite: a database of either kind and a live server on it."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.live import Database, database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def live_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    yield from database(request.param, tmp_path)


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    yield from database("sqlite", tmp_path)
