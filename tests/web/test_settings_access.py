"""/settings: who sees which settings screens. Administrators see every one; anyone else only
their own preferences and tokens, and the 403 page on every other address under /settings."""

import re

from starlette.routing import Route

from pillbox.web.routes import web_routes
from pillbox.web.settings import ACCOUNT, OWN

PERSONAL = ("/settings", "/settings/preferences", "/settings/tokens")


def _admin_routes() -> list[tuple[str, str]]:
    """(method, address) of every settings route but the personal ones, ids filled in."""
    found = []
    for route in web_routes():
        if not isinstance(route, Route) or not route.path.startswith("/settings"):
            continue
        if route.path in PERSONAL or route.path.startswith(tuple(p + "/" for p in PERSONAL[1:])):
            continue
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        found += [(method, path) for method in sorted(route.methods or ()) if method != "HEAD"]
    return found


ADMIN_ROUTES = _admin_routes()


def test_every_account_settings_screen_is_among_the_routes_checked():
    checked = {path for _, path in ADMIN_ROUTES}
    assert {address for address, _, _ in ACCOUNT} <= checked
    assert len(ADMIN_ROUTES) > 40


def test_non_administrator_gets_the_403_page_on_every_account_settings_route(member):
    for method, path in ADMIN_ROUTES:
        response = member.post(path) if method == "POST" else member.get(path)
        assert response.status_code == 403, (method, path)
        assert "Only the account's administrators may do this." in response.text


def test_administrator_sees_every_settings_screen(web):
    page = web.get("/settings").text
    for address, title, _ in OWN + ACCOUNT:
        assert f'<a href="{address}">{title}</a>' in page
        assert web.get(address).status_code == 200, address


def test_non_administrator_sees_only_their_own_settings(member):
    page = member.get("/settings").text
    for address, _, _ in OWN:
        assert f'<a href="{address}">' in page
        assert member.get(address).status_code == 200
    for address, _, _ in ACCOUNT:
        assert f'<a href="{address}">' not in page


def test_settings_post_without_csrf_token_is_refused_and_changes_nothing(web):
    response = web.client.post("/settings/items/lost-reasons", data={"name": "Too dear"})
    assert response.status_code == 403
    assert "did not come from this site" in response.text
    assert "Too dear" not in web.get("/settings/lost-reasons").text


def test_settings_signed_out_redirects_to_sign_in(anonymous):
    response = anonymous.get("/settings/fields", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/settings/fields"
