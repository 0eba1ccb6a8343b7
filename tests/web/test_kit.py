"""What every screen shares: CSRF on every POST (forms and htmx), the 404 page, headers."""

import pytest


def test_post_without_csrf_token_is_403_and_changes_nothing(web):
    response = web.client.post("/parties", data={"type": "person", "lastName": "Nope"})
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.text
    assert web.account.get("/parties").json()["parties"] == []


def test_post_with_wrong_csrf_token_is_403(web):
    response = web.client.post("/parties", data={"csrf": "forged", "lastName": "Nope"})
    assert response.status_code == 403


def test_htmx_post_with_csrf_header_is_accepted(web):
    response = web.client.post(
        "/parties",
        data={"type": "person", "lastName": "Via htmx"},
        headers={"X-CSRF-Token": web.csrf, "HX-Request": "true"},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_htmx_post_with_wrong_csrf_header_is_403(web):
    response = web.client.post(
        "/parties",
        data={"csrf": web.csrf, "type": "person", "lastName": "X"},
        headers={"X-CSRF-Token": "forged"},
    )
    assert response.status_code == 403


def test_csrf_token_of_another_session_is_403(web, other_web):
    response = web.client.post("/parties", data={"csrf": other_web.csrf, "lastName": "X"})
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/nowhere", "/parties/1/nothing", "/settings/nothing"])
def test_unknown_page_is_the_404_page(web, path):
    response = web.get(path)
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text


def test_unknown_api_address_keeps_the_apis_json_404(web):
    response = web.client.get("/oauth/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


def test_pages_refuse_framing_and_caching(web):
    headers = web.get("/").headers
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_static_files_are_served(anonymous):
    assert anonymous.get("/static/htmx.min.js").status_code == 200
    assert "text/css" in anonymous.get("/static/pillbox.css").headers["content-type"]


def test_every_page_carries_the_csrf_token_for_htmx(web):
    assert f'hx-headers=\'{{"X-CSRF-Token": "{web.csrf}"}}\'' in web.get("/").text


def test_form_posted_signed_out_goes_to_sign_in_without_next(anonymous):
    response = anonymous.post("/tasks/1/complete", data={"csrf": "x"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_other_refusal_of_the_rules_is_a_page_with_its_message(app, web):
    from starlette.routing import Route

    from pillbox.errors import InvalidBody
    from pillbox.web.kit import screen

    async def refuse(request, viewer):
        raise InvalidBody()

    app.router.routes.insert(0, Route("/refused-here", screen(refuse)))
    response = web.get("/refused-here")
    assert response.status_code == InvalidBody.status
    assert "<h1>Refused</h1>" in response.text
    assert f"<p>{InvalidBody.message}</p>" in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_unknown_page_signed_out_is_the_404_page_not_a_sign_in(anonymous):
    response = anonymous.get("/favicon.ico", follow_redirects=False)
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text
    assert "pillbox_session" not in response.headers.get("set-cookie", "")
