"""Bearer tokens: who may call, with which scope, and what the refusals look like."""

import pytest

from pillbox.store import accounts as store

INVALID = 'Bearer realm="capsule", error="invalid_token"'


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer nope"},
        {"Authorization": "Basic eDp5"},
    ],
)
def test_missing_or_unknown_token_is_401(client, headers):
    response = client.get("/api/v2/parties", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"message": "Requires authentication"}
    assert response.headers["WWW-Authenticate"] == INVALID


def test_revoked_token_is_401(account, engine):
    with engine.begin() as conn:
        assert store.revoke_token(conn, account.token)
    assert account.get("/parties").status_code == 401


def test_tokens_are_stored_only_as_hashes(account, engine):
    import sqlalchemy as sa

    with engine.connect() as conn:
        stored = set(conn.scalars(sa.text("SELECT token_hash FROM tokens")))
    assert account.token not in stored
    assert store.hash_token(account.token) in stored


def test_unauthenticated_request_to_an_unknown_path_is_401(client):
    assert client.get("/api/v2/nothing-here").status_code == 401
