"""In a browser: signing in and out, the redirect when signed out, CSRF, isolation."""

import re

from playwright.sync_api import expect

from tests.web.browser.conftest import PASSWORD, other_account_party, sign_in


def test_page_signed_out_redirects_to_sign_in_and_back(page, served):
    page.goto("/parties")
    expect(page).to_have_url(re.compile(r"/login\?next=/parties$"))
    page.get_by_label("Email").fill(served.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/parties$"))
    expect(page.get_by_role("heading", name="People & organisations")).to_be_visible()


def test_wrong_password_is_refused(page, served):
    page.goto("/login")
    page.get_by_label("Email").fill(served.email)
    page.get_by_label("Password").fill("not it")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    expect(page.get_by_label("Email")).to_have_value(served.email)


def test_sign_out_ends_the_session(page, served):
    sign_in(page, served)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/tasks")
    expect(page).to_have_url(re.compile(r"/login\?next=/tasks$"))


def test_post_without_csrf_token_is_refused(page, served):
    sign_in(page, served)
    response = page.request.post(
        "/parties", form={"type": "person", "lastName": "Forged"}, max_redirects=0
    )
    assert response.status == 403
    page.goto("/parties?q=Forged")
    expect(page.get_by_text("No people or organisations match.")).to_be_visible()


def test_other_accounts_record_is_the_404_page(page, served):
    hidden = other_account_party(served)
    sign_in(page, served)
    response = page.goto(f"/parties/{hidden}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_text("Hidden")).to_have_count(0)
