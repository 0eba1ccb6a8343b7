"""OpenID Connect: ID tokens with the authorisation-code flow, the key set that verifies them,
and user info."""

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.api import test_oauth as flow
from tests.api.test_oauth import REDIRECT, bearer, exchange, get_code, new_tokens

oauth_app = flow.oauth_app  # the registered app fixture of the OAuth tests

ISSUER = "http://pillbox.test"


def verified(client, id_token: str) -> dict:
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    return dict(token.claims)


def test_openid_scope_brings_an_id_token_signed_with_the_published_key(client, account, oauth_app):
    tokens = new_tokens(client, oauth_app, scope="openid read", nonce="n-0S6_WzA2Mj")
    claims = verified(client, tokens["id_token"])
    assert claims["iss"] == ISSUER
    assert claims["aud"] == [oauth_app.client_id]
    assert claims["sub"] == str(account.user_id)
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["exp"] - claims["iat"] == 3600
    assert "email" not in claims and "name" not in claims


def test_profile_email_and_tenant_scopes_add_their_claims(client, account, oauth_app):
    tokens = new_tokens(client, oauth_app, scope="openid profile email tenant")
    claims = verified(client, tokens["id_token"])
    assert (claims["name"], claims["given_name"], claims["family_name"]) == (
        "Ada Admin",
        "Ada",
        "Admin",
    )
    assert claims["email"] == "admin@example.com"
    assert claims["locale"] == "en_GB"
    assert claims["tenant"] and claims["subdomain"]


def test_without_openid_there_is_no_id_token(client, oauth_app):
    assert "id_token" not in new_tokens(client, oauth_app, scope="read write")


def test_a_nonce_in_use_is_refused(client, oauth_app):
    get_code(client, oauth_app, scope="openid", nonce="same")
    query = {
        "response_type": "code",
        "client_id": oauth_app.client_id,
        "redirect_uri": REDIRECT,
        "scope": "openid",
        "state": "xyz",
        "nonce": "same",
    }
    page = client.get("/oauth/authorise", params=query, follow_redirects=False)
    assert page.status_code == 302
    assert "error=invalid_request" in page.headers["location"]


def test_key_set_is_stable_and_public_only(client):
    first = client.get("/.well-known/jwks.json").json()
    assert client.get("/.well-known/jwks.json").json() == first
    [key] = first["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert "d" not in key and "p" not in key


def test_userinfo_answers_the_claims_of_the_tokens_scope(client, account, oauth_app):
    token = new_tokens(client, oauth_app, scope="openid email")["access_token"]
    for method in ("GET", "POST"):
        response = client.request(method, "/oauth/userinfo", headers=bearer(token))
        assert response.json() == {"sub": str(account.user_id), "email": "admin@example.com"}


def test_userinfo_needs_the_openid_scope(client, oauth_app):
    token = new_tokens(client, oauth_app, scope="read write")["access_token"]
    response = client.get("/oauth/userinfo", headers=bearer(token))
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_userinfo_without_a_valid_app_token_is_401(client, token):
    headers = bearer(token) if token else {}
    response = client.get("/oauth/userinfo", headers=headers)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_userinfo_refuses_personal_tokens(client, account):
    response = client.get("/oauth/userinfo", headers=bearer(account.token))
    assert response.status_code == 401


def test_discovery_names_the_openid_endpoints(client):
    document = client.get("/.well-known/openid-configuration").json()
    assert document["jwks_uri"] == f"{ISSUER}/.well-known/jwks.json"
    assert document["userinfo_endpoint"] == f"{ISSUER}/oauth/userinfo"
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert "openid" in document["scopes_supported"]


def test_a_refused_exchange_issues_no_id_token(client, oauth_app):
    code = get_code(client, oauth_app, scope="openid")
    response = exchange(client, oauth_app, code, redirect_uri="https://elsewhere.example/")
    assert response.status_code == 400 and "id_token" not in response.text
