"""/settings/preferences: the signed-in user's own preferences and password."""

from starlette.testclient import TestClient

from tests.web.conftest import PASSWORD, WebUser


def test_save_my_preferences(member):
    response = member.post(
        "/settings/preferences",
        {"username": "mo", "locale": "fr_FR", "currency": "eur", "timezone": "Europe/Paris"},
    )
    assert response.status_code == 200
    assert "Your preferences are saved." in response.text
    page = response.text
    assert 'value="mo"' in page and 'value="EUR"' in page and 'value="Europe/Paris"' in page
    assert "<option selected>fr_FR</option>" in page


def test_a_time_zone_that_is_not_one_is_refused_beside_it(member):
    response = member.post(
        "/settings/preferences",
        {"username": "mo", "locale": "en_GB", "currency": "GBP", "timezone": "Mars/Olympus"},
    )
    assert response.status_code == 422
    assert 'id="pref-timezone-error">timezone is invalid' in response.text
    assert 'value="Mars/Olympus"' in response.text


def test_change_my_password(member, app):
    refused = member.post(
        "/settings/preferences/password", {"currentPassword": "wrong", "newPassword": "x" * 12}
    )
    assert refused.status_code == 422
    assert "the current password is not right" in refused.text
    response = member.post(
        "/settings/preferences/password",
        {"currentPassword": PASSWORD, "newPassword": "a whole new password"},
    )
    assert "Your password is changed." in response.text
    again = WebUser(
        member.account,
        member.account_name,
        member.email,
        TestClient(app, base_url="http://pillbox.test"),
    )
    assert again.sign_in(PASSWORD).status_code != 303
    assert again.sign_in("a whole new password").status_code == 303


def test_a_short_new_password_is_refused(member):
    response = member.post(
        "/settings/preferences/password", {"currentPassword": PASSWORD, "newPassword": "short"}
    )
    assert response.status_code == 422
    assert 'id="pw-new-error">A password needs at least 8 characters.' in response.text
