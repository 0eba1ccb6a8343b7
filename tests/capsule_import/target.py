"""The importing side: the test database's copy of the account, read through its own API."""

import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from starlette.testclient import TestClient

from pillbox.app import create_app
from pillbox.settings import Settings
from pillbox.store import accounts as account_store
from pillbox.store.tables.accounts import users
from tests.capsule_import import compare


class Target:
    """The imported account of the test's database, through an in-process client."""

    def __init__(self, engine: sa.Engine, name: str, files: Path) -> None:
        self.engine = engine
        settings = Settings(
            database_url="sqlite://",
            rate_limit_per_hour=1_000_000,
            run_worker=False,
            attachments_dir=str(files),
        )
        token = secrets.token_urlsafe(24)
        with engine.begin() as conn:
            found = account_store.account_id_by_name(conn, name)
            assert found is not None
            self.account_id = found
            user_id = conn.scalar(
                sa.select(sa.func.min(users.c.id)).where(users.c.account_id == found)
            ) or account_store.create_user(
                conn, found, email="reader@example.com", name="Reader", username="r", admin=True
            )
            account_store.create_token(conn, user_id, token, "read")
        self.client = TestClient(create_app(settings, engine=engine))
        self.client.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, params: dict[str, str]) -> Any:
        response = self.client.get(f"/api/v2{path}", params=params)
        assert response.status_code == 200, (path, response.text)
        return response.json()

    def fetch(self, path: str) -> bytes:
        response = self.client.get(f"/api/v2{path}")
        assert response.status_code == 200, (path, response.text)
        return response.content

    def everything(self) -> dict[str, Any]:
        return compare.everything(self.get)

    def pairs(self) -> compare.IdPairs:
        with self.engine.connect() as conn:
            return compare.id_pairs(conn, self.account_id)
