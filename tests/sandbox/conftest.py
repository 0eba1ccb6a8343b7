"""Fixtures for sandbox tests: the app served as `pillbox serve --sandbox` serves it."""

from pathlib import Path

import pytest

from pillbox.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url="sqlite://",
        rate_limit_per_hour=100_000,
        run_worker=False,
        attachments_dir=str(tmp_path / "attachments"),
        sandbox=True,
    )


@pytest.fixture
def admin(client):
    """Requests to /_pillbox/… with an optional Bearer token."""

    class Admin:
        def request(self, method, path, token=None, **kwargs):
            headers = kwargs.pop("headers", {})
            if token:
                headers["Authorization"] = f"Bearer {token}"
            return client.request(method, f"/_pillbox{path}", headers=headers, **kwargs)

    return Admin()
