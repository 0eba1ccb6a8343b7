"""/settings/tokens: the signed-in user's API Authentication Tokens."""

import re


def test_create_token_shows_it_once_and_it_works_on_the_api(web):
    response = web.post("/settings/tokens", {"name": "Zapier", "scope": "read"})
    assert response.status_code == 200
    token = re.search(
        r'id="new-token" class="token" readonly value="([0-9a-f]{64})"', response.text
    )
    assert token
    api = web.client.get("/api/v2/users/current", headers={"Authorization": f"Bearer {token[1]}"})
    assert api.status_code == 200
    again = web.get("/settings/tokens").text
    assert "Zapier" in again
    assert token[1] not in again
    assert "Read only" in again


def test_read_token_made_on_screen_cannot_write(web):
    response = web.post("/settings/tokens", {"name": "Reader", "scope": "read"})
    token = re.search(r'readonly value="([0-9a-f]{64})"', response.text)[1]
    refused = web.client.post(
        "/api/v2/parties",
        json={"party": {"type": "person", "lastName": "X"}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 403


def test_create_token_without_name_is_refused(web):
    response = web.post("/settings/tokens", {"name": " ", "scope": "write"})
    assert response.status_code == 422
    assert 'id="token-name-error">name is required' in response.text


def test_create_token_with_unknown_scope_is_refused(web):
    response = web.post("/settings/tokens", {"name": "X", "scope": "admin"})
    assert response.status_code == 422
    assert 'id="token-scope-error">' in response.text


def test_revoke_token_stops_it_working(web):
    response = web.post("/settings/tokens", {"name": "Temp", "scope": "write"})
    token = re.search(r'readonly value="([0-9a-f]{64})"', response.text)[1]
    token_id = re.search(r"/settings/tokens/(\d+)/revoke", response.text)[1]
    assert web.post(f"/settings/tokens/{token_id}/revoke").status_code == 200
    api = web.client.get("/api/v2/users/current", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    assert "Temp" not in web.get("/settings/tokens").text


def test_revoke_someone_elses_token_is_404(web, other_web):
    response = other_web.post("/settings/tokens", {"name": "Theirs", "scope": "write"})
    token = re.search(r'readonly value="([0-9a-f]{64})"', response.text)[1]
    token_id = re.search(r"/settings/tokens/(\d+)/revoke", response.text)[1]
    assert web.post(f"/settings/tokens/{token_id}/revoke").status_code == 404
    api = web.client.get("/api/v2/users/current", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200


def test_tokens_page_lists_only_my_personal_tokens(web):
    page = web.get("/settings/tokens").text
    # The account fixture's two tokens were made without a name (by the command line).
    assert page.count("(made without a name)") == 2
