"""Fixtures for sandbox tests: the app served as `pillbox serve --sandbox` serves it."""

import pytest

from pillbox.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"sandbox": True})


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
