"""OAuth 2.0 over HTTP: sign in, consent, codes, tokens, refresh, revocation and discovery."""

import base64
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from pillbox.domain import oauth
from pillbox.domain.passwords import set_password
from pillbox.store import oauth as oauth_store
from pillbox.store.tables.accounts import tokens
from pillbox.store.tables.oauth import authorization_codes

REDIRECT = "https://app.example/callback"
PASSWORD = "correct horse battery"
EMAIL = "admin@example.com"  # every test account's admin
INVALID = 'Bearer realm="capsule", error="invalid_token"'


@dataclass
class App:
    client_id: str
    secret: str

    @property
    def basic(self) -> dict[str, str]:
        pair = base64.b64encode(f"{self.client_id}:{self.secret}".encode()).decode()
        return {"Authorization": f"Basic {pair}"}

    @property
    def post(self) -> dict[str, str]:
        return {"client_id": self.client_id, "client_secret": self.secret}


@pytest.fixture
def oauth_app(engine, account):
    with engine.begin() as conn:
        set_password(conn, account.user_id, PASSWORD)
        return App(*oauth.register_app(conn, account.id, "Ledger <Sync>", [REDIRECT]))


def params(oauth_app, **extra):
    query = {
        "response_type": "code",
        "client_id": oauth_app.client_id,
        "redirect_uri": REDIRECT,
        "scope": "read write",
        "state": "xyz",
    }
    return {k: v for k, v in {**query, **extra}.items() if v is not None}


def csrf_of(page) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def sign_in(client, query, email=EMAIL, password=PASSWORD):
    page = client.get("/oauth/authorise", params=query)
    assert page.status_code == 200 and "Sign in" in page.text
    form = {"csrf": csrf_of(page), "action": "sign_in", "email": email, "password": password}
    return client.post("/oauth/authorise", params=query, data=form, follow_redirects=False)


def consent(client, query, action="allow"):
    page = client.get("/oauth/authorise", params=query)
    assert "Allow" in page.text, page.text
    form = {"csrf": csrf_of(page), "action": action}
    return client.post("/oauth/authorise", params=query, data=form, follow_redirects=False)


def returned(response) -> dict[str, str]:
    assert response.status_code == 302
    assert response.content == b"" and "content-type" not in response.headers
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def get_code(client, oauth_app, **extra) -> str:
    query = params(oauth_app, **extra)
    if "Sign in" in client.get("/oauth/authorise", params=query).text:
        assert sign_in(client, query).status_code == 303
    back = returned(consent(client, query))
    assert back["state"] == "xyz"
    return back["code"]


def exchange(client, oauth_app, code, **extra):
    body = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, **extra}
    return client.post("/oauth/token", data=body, headers=oauth_app.basic)


def new_tokens(client, oauth_app, **extra) -> dict[str, str]:
    response = exchange(client, oauth_app, get_code(client, oauth_app, **extra))
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def error_of(response) -> str:
    return response.json()["error"]


# -- the authorisation page ---------------------------------------------------------------------


def test_consent_page_names_the_app_and_the_scopes_escaped(client, oauth_app):
    query = params(oauth_app, scope="read write user_preference")
    sign_in(client, query)
    page = client.get("/oauth/authorise", params=query)
    assert "Ledger &lt;Sync&gt;" in page.text and "Ledger <Sync>" not in page.text
    assert "Change your user preferences" in page.text
    assert page.headers["X-Frame-Options"] == "DENY"


def test_allow_redirects_with_a_code_and_the_state(client, oauth_app):
    assert get_code(client, oauth_app)


def test_deny_redirects_with_access_denied_and_the_state(client, oauth_app):
    query = params(oauth_app)
    sign_in(client, query)
    back = returned(consent(client, query, "deny"))
    assert (back["error"], back["state"], "code" in back) == ("access_denied", "xyz", False)


def test_wrong_password_shows_the_sign_in_page_again(client, oauth_app):
    response = sign_in(client, params(oauth_app), password="not the password")
    assert response.status_code == 200 and "Wrong email or password" in response.text


def test_user_of_another_account_cannot_sign_in(client, engine, oauth_app, other_account):
    with engine.begin() as conn:
        set_password(conn, other_account.user_id, "other secret pass")
    response = sign_in(client, params(oauth_app), password="other secret pass")
    assert "Wrong email or password" in response.text


@pytest.mark.parametrize("action", ["sign_in", "allow"])
def test_form_without_the_csrf_token_is_400(client, oauth_app, action):
    query = params(oauth_app)
    if action == "allow":
        sign_in(client, query)
    client.get("/oauth/authorise", params=query)
    form = {"action": action, "email": EMAIL, "password": PASSWORD}
    response = client.post("/oauth/authorise", params=query, data=form, follow_redirects=False)
    assert response.status_code == 400 and "expired" in response.text


@pytest.mark.parametrize(
    "extra",
    [{"redirect_uri": "https://app.example/callback/"}, {"client_id": "nobody"}],
    ids=["redirect-uri-mismatch", "unknown-client"],
)
def test_bad_client_or_redirect_uri_is_an_error_page_not_a_redirect(client, oauth_app, extra):
    response = client.get(
        "/oauth/authorise", params=params(oauth_app, **extra), follow_redirects=False
    )
    assert response.status_code == 400 and "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")


def test_unknown_scope_redirects_with_invalid_scope(client, oauth_app):
    response = client.get(
        "/oauth/authorise", params=params(oauth_app, scope="read admin"), follow_redirects=False
    )
    back = returned(response)
    assert (back["error"], back["state"]) == ("invalid_scope", "xyz")


@pytest.mark.parametrize("response_type", ["token", 'co"de', "co\\de", "j\x04\u0082\U000fb4f7"])
def test_unsupported_response_type_redirects_with_the_error(client, oauth_app, response_type):
    query = params(oauth_app, response_type=response_type)
    response = client.get("/oauth/authorise", params=query, follow_redirects=False)
    assert returned(response)["error"] == "unsupported_response_type"


@pytest.mark.parametrize("response_type", ["token", 'co"de', "j\x04\u0082\U000fb4f7"])
def test_unsupported_response_type_of_an_unknown_app_is_an_error_page(
    client, oauth_app, response_type
):
    query = params(oauth_app, response_type=response_type, client_id="-3", redirect_uri="-3")
    response = client.get("/oauth/authorise", params=query, follow_redirects=False)
    assert response.status_code == 400 and "location" not in response.headers


# -- the token endpoint -------------------------------------------------------------------------


def test_token_response_is_capsules_and_the_token_reads_the_api(client, oauth_app, account):
    body = new_tokens(client, oauth_app)
    assert list(body) == [
        "access_token",
        "token_type",
        "expires_in",
        "refresh_token",
        "scope",
        "subdomain",
    ]
    assert (body["token_type"], body["expires_in"], body["scope"]) == (
        "bearer",
        604799,
        "read write",
    )
    assert body["subdomain"] == account.get("/site").json()["site"]["subdomain"]
    me = client.get("/api/v2/users/current", headers=bearer(body["access_token"]))
    assert me.status_code == 200 and me.json()["user"]["id"] == account.user_id


def test_code_exchange_accepts_a_json_body_with_the_secret_in_it(client, oauth_app):
    body = {
        "grant_type": "authorization_code",
        "code": get_code(client, oauth_app),
        **oauth_app.post,
    }
    response = client.post("/oauth/token", json={**body, "redirect_uri": REDIRECT})
    assert response.status_code == 200 and response.json()["scope"] == "read write"


def test_read_token_writing_is_403_with_the_scope_header(client, oauth_app):
    token = new_tokens(client, oauth_app, scope="read")["access_token"]
    party = {"party": {"type": "organisation", "name": "X"}}
    response = client.post("/api/v2/parties", json=party, headers=bearer(token))
    assert response.status_code == 403
    assert response.json() == {"message": "Requires additional scope"}
    assert 'scope="write"' in response.headers["WWW-Authenticate"]


def test_changing_preferences_needs_the_user_preference_scope(client, oauth_app, account):
    change = {"user": {"locale": "fr_FR"}}
    path = f"/api/v2/users/{account.user_id}"
    without = new_tokens(client, oauth_app)["access_token"]
    response = client.put(path, json=change, headers=bearer(without))
    assert response.status_code == 403
    assert 'scope="user_preference"' in response.headers["WWW-Authenticate"]
    with_it = new_tokens(client, oauth_app, scope="read write user_preference")["access_token"]
    assert client.put(path, json=change, headers=bearer(with_it)).status_code == 200


def test_oidc_scopes_are_granted_and_open_no_api(client, oauth_app):
    tokens = new_tokens(client, oauth_app, scope="openid profile read")
    assert tokens["scope"] == "read openid profile"
    body = {"party": {"type": "organisation", "name": "X"}}
    response = client.post("/api/v2/parties", json=body, headers=bearer(tokens["access_token"]))
    assert response.status_code == 403


def test_no_scope_asked_grants_read_write(client, oauth_app):
    assert new_tokens(client, oauth_app, scope=None)["scope"] == "read write"


def s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


@pytest.mark.parametrize("method", ["S256", "plain"])
def test_pkce_needs_the_right_verifier(client, oauth_app, method):
    verifier = "v" * 50
    challenge = s256(verifier) if method == "S256" else verifier
    pkce = {"code_challenge": challenge, "code_challenge_method": method}
    wrong = exchange(client, oauth_app, get_code(client, oauth_app, **pkce), code_verifier="w" * 50)
    assert (wrong.status_code, error_of(wrong)) == (400, "invalid_grant")
    right = exchange(client, oauth_app, get_code(client, oauth_app, **pkce), code_verifier=verifier)
    assert right.status_code == 200


def test_a_code_works_once(client, oauth_app):
    code = get_code(client, oauth_app)
    assert exchange(client, oauth_app, code).status_code == 200
    again = exchange(client, oauth_app, code)
    assert (again.status_code, error_of(again)) == (400, "invalid_grant")


def test_an_expired_code_is_invalid_grant(client, engine, oauth_app):
    code = get_code(client, oauth_app)
    with engine.begin() as conn:
        conn.execute(authorization_codes.update().values(expires_at="2000-01-01T00:00:00Z"))
    assert error_of(exchange(client, oauth_app, code)) == "invalid_grant"


def test_a_code_needs_the_redirect_uri_it_was_issued_for(client, oauth_app):
    response = exchange(client, oauth_app, get_code(client, oauth_app), redirect_uri=REDIRECT + "x")
    assert error_of(response) == "invalid_grant"


def test_a_failed_exchange_leaves_the_code_usable(client, oauth_app):
    code = get_code(client, oauth_app)
    assert (
        error_of(exchange(client, oauth_app, code, redirect_uri=REDIRECT + "x")) == "invalid_grant"
    )
    assert exchange(client, oauth_app, code).status_code == 200


@pytest.mark.parametrize("auth", ["unknown", "wrong-secret"])
def test_client_authentication_failure_is_401_invalid_client(client, oauth_app, auth):
    client_id = "nobody" if auth == "unknown" else oauth_app.client_id
    wrong = App(client_id, "not-the-secret")
    body = {"grant_type": "authorization_code", "code": "x", "redirect_uri": REDIRECT}
    response = client.post("/oauth/token", data=body, headers=wrong.basic)
    assert (response.status_code, error_of(response)) == (401, "invalid_client")


def test_unsupported_grant_type(client, oauth_app):
    body = {"grant_type": "client_credentials", **oauth_app.post}
    response = client.post("/oauth/token", data=body)
    assert (response.status_code, error_of(response)) == (400, "unsupported_grant_type")


def test_unparsable_json_body_is_invalid_request(client, oauth_app):
    response = client.post(
        "/oauth/token", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, error_of(response)) == (400, "invalid_request")


# -- refresh, expiry, revocation ----------------------------------------------------------------


def refresh(client, oauth_app, refresh_token):
    body = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return client.post("/oauth/token", data=body, headers=oauth_app.basic)


def test_refresh_rotates_both_tokens(client, oauth_app):
    first = new_tokens(client, oauth_app)
    second = refresh(client, oauth_app, first["refresh_token"])
    assert second.status_code == 200
    fresh = second.json()
    assert fresh["refresh_token"] != first["refresh_token"] and fresh["scope"] == "read write"
    assert client.get("/api/v2/users/current", headers=bearer(fresh["access_token"])).is_success
    old = client.get("/api/v2/users/current", headers=bearer(first["access_token"]))
    assert old.status_code == 401
    reused = refresh(client, oauth_app, first["refresh_token"])
    assert (reused.status_code, error_of(reused)) == (400, "invalid_grant")


def test_refresh_token_of_another_app_is_invalid_grant(client, engine, account, oauth_app):
    with engine.begin() as conn:
        other = App(*oauth.register_app(conn, account.id, "Other", [REDIRECT]))
    response = refresh(client, other, new_tokens(client, oauth_app)["refresh_token"])
    assert error_of(response) == "invalid_grant"


def test_expired_access_token_is_401_and_its_refresh_token_still_works(client, engine, oauth_app):
    body = new_tokens(client, oauth_app)
    with engine.begin() as conn:
        conn.execute(
            tokens.update()
            .where(tokens.c.app_id.is_not(None))
            .values(expires_at="2000-01-01T00:00:00Z")
        )
    response = client.get("/api/v2/users/current", headers=bearer(body["access_token"]))
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == INVALID
    assert refresh(client, oauth_app, body["refresh_token"]).status_code == 200


@pytest.mark.parametrize("path", ["/oauth/token/revoke", "/oauth/revoke"])
@pytest.mark.parametrize("which", ["access_token", "refresh_token"])
def test_revocation_ends_the_token_and_its_refresh_token(client, oauth_app, path, which):
    body = new_tokens(client, oauth_app)
    response = client.post(path, data={"token": body[which], **oauth_app.post})
    assert response.status_code == 200
    api = client.get("/api/v2/users/current", headers=bearer(body["access_token"]))
    assert api.status_code == 401 and api.json() == {"message": "Requires authentication"}
    assert error_of(refresh(client, oauth_app, body["refresh_token"])) == "invalid_grant"


def test_revoking_an_unknown_token_is_200(client, oauth_app):
    response = client.post("/oauth/revoke", data={"token": "nothing"}, headers=oauth_app.basic)
    assert response.status_code == 200


def test_revoked_apps_tokens_are_401(client, engine, oauth_app):
    body = new_tokens(client, oauth_app)
    with engine.begin() as conn:
        assert oauth_store.revoke_app(conn, oauth_app.client_id)
    api = client.get("/api/v2/users/current", headers=bearer(body["access_token"]))
    assert api.status_code == 401
    assert error_of(refresh(client, oauth_app, body["refresh_token"])) == "invalid_client"


# -- the migration grant ------------------------------------------------------------------------


@pytest.mark.parametrize(("which", "scope"), [("token", "read write"), ("read_token", "read")])
def test_migration_grant_trades_a_personal_token(client, oauth_app, account, which, scope):
    body = {"grant_type": "password", "username": getattr(account, which), **oauth_app.post}
    response = client.post("/oauth/token", json=body)
    assert response.status_code == 200 and response.json()["scope"] == scope
    token = response.json()["access_token"]
    assert client.get("/api/v2/users/current", headers=bearer(token)).is_success


@pytest.mark.parametrize("username", ["unknown", "other-account"])
def test_migration_grant_refuses_tokens_it_cannot_trade(client, oauth_app, other_account, username):
    token = other_account.token if username == "other-account" else "not-a-token"
    body = {"grant_type": "password", "username": token, "password": "x"}
    response = client.post("/oauth/token", data=body, headers=oauth_app.basic)
    assert (response.status_code, error_of(response)) == (400, "invalid_grant")


# -- discovery ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]
)
def test_discovery_documents_describe_the_server(client, path):
    document = client.get(path).json()
    assert document["issuer"] == "http://pillbox.test"
    assert document["authorization_endpoint"] == "http://pillbox.test/oauth/authorise"
    assert document["token_endpoint"] == "http://pillbox.test/oauth/token"
    assert document["revocation_endpoint"] == "http://pillbox.test/oauth/revoke"
    assert document["code_challenge_methods_supported"] == ["plain", "S256"]
    assert document["response_types_supported"] == ["code"]
    assert set(document["grant_types_supported"]) == {
        "authorization_code",
        "refresh_token",
        "password",
    }
    assert document["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
    ]
    assert {"read", "write", "user_preference"} <= set(document["scopes_supported"])


def test_stored_codes_and_tokens_are_hashes(client, engine, oauth_app):
    body = new_tokens(client, oauth_app)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(tokens.c.token_hash, tokens.c.refresh_token_hash)).all()
    assert all(body["access_token"] not in row for row in stored)
    assert all(body["refresh_token"] not in row for row in stored)
