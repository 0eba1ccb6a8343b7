"""Small assertions the resource test files share."""

import secrets
from typing import Any

import sqlalchemy as sa

from pillbox.domain.users import create_user
from pillbox.store import accounts as accounts_store
from pillbox.worker import Worker


def errors_of(response: Any) -> list[dict[str, Any]]:
    """The errors of a 422 answer (failing the test if it is anything else)."""
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["message"] == "Validation Failed"
    errors: list[dict[str, Any]] = body["errors"]
    return errors


def job_path(response: Any) -> str:
    """The API path of the job a 202 answer points to."""
    assert response.status_code == 202, response.text
    return str(response.headers["Location"]).split("/api/v2", 1)[1]


def run_jobs(engine: sa.Engine, batch: int = 500) -> int:
    return Worker(engine, batch=batch).run_pending()


def add_user(
    engine: sa.Engine, account: Any, name: str, username: str, admin: bool = False
) -> tuple[int, dict[str, str]]:
    """Another user of the account, with a person record; returns its id and auth headers."""
    token = secrets.token_urlsafe(16)
    with engine.begin() as conn:
        user_id = create_user(
            conn,
            account.id,
            email=f"{username}@example.com",
            name=name,
            username=username,
            admin=admin,
        )
        accounts_store.create_token(conn, user_id, token, "write")
    return user_id, {"Authorization": f"Bearer {token}"}
