"""In a browser: opportunity and project pages (won, lost with its reason, close and reopen,
notes and tasks), their forms, and search everywhere from the header's box, by keyboard too."""

import re

from playwright.sync_api import expect

from tests.web.browser.conftest import sign_in
from tests.web.browser.test_accessibility import (
    SAVE_SCREENSHOTS,
    SCREENSHOTS,
    describe,
    search_word,
    violations,
)
from tests.web.browser.test_parties import new_person, unique


def new_opportunity(page, name: str) -> None:
    """From a new person's page, through the opportunity form."""
    new_person(page, unique("Buyer"))
    page.get_by_role("link", name="Add an opportunity").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Value").fill("2500")
    page.get_by_label("Currency (e.g. GBP)").fill("GBP")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def test_opportunity_marked_lost_asks_for_the_reason(page, served):
    name = unique("Deal")
    sign_in(page, served)
    new_opportunity(page, name)
    expect(page.get_by_text("2500 GBP")).to_be_visible()
    page.get_by_role("button", name="Mark lost").click()
    expect(page.get_by_text("lost reason is required")).to_be_visible()
    reason = page.get_by_label("Lost reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert not violations(page)
    reason.select_option(index=1)
    chosen = reason.locator("option:checked").text_content()
    page.get_by_role("button", name="Mark lost").click()
    expect(page.get_by_text("Opportunity · Lost")).to_be_visible()
    expect(page.get_by_text(chosen or "")).to_be_visible()


def test_opportunity_won_edited_with_note_and_task(page, served):
    name = unique("Deal")
    sign_in(page, served)
    new_opportunity(page, name)
    page.get_by_label("Note").fill("Sent the proposal")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#timeline").get_by_text("Sent the proposal")).to_be_visible()
    tasks = page.locator("#tasks")
    tasks.get_by_label("Description").fill("Chase the buyer")
    tasks.get_by_label("Due on").fill("2031-05-01")
    tasks.get_by_role("button", name="Add task").click()
    expect(tasks.get_by_text("Chase the buyer")).to_be_visible()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Currency (e.g. GBP)").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("currency is required")).to_be_visible()
    page.get_by_label("Currency (e.g. GBP)").fill("EUR")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("2500 EUR")).to_be_visible()
    page.get_by_role("button", name="Mark won").click()
    expect(page.get_by_text("Opportunity · Won")).to_be_visible()


def test_project_made_closed_reopened_and_deleted(page, served):
    name = unique("Project")
    sign_in(page, served)
    new_person(page, unique("Client"))
    party_page = page.url
    page.get_by_role("link", name="Add a project").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Stage").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/projects/\d+$"))
    page.get_by_label("Note").fill("Kick-off booked")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#timeline").get_by_text("Kick-off booked")).to_be_visible()
    page.get_by_role("button", name="Close project").click()
    expect(page.get_by_text("Project · Closed")).to_be_visible()
    page.get_by_role("button", name="Reopen project").click()
    expect(page.get_by_text("Project · Open")).to_be_visible()
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("link", name="Delete this project").click()
    page.get_by_role("button", name="Delete").click()
    assert page.url == party_page
    expect(page.get_by_role("link", name=name)).to_have_count(0)


def test_search_results_under_the_header_box_from_the_keyboard(page, served):
    word = unique("Kestrel")
    sign_in(page, served)
    new_opportunity(page, f"{word} renewal")
    page.goto("/tasks")
    box = page.get_by_label("Search everywhere")
    box.focus()
    page.keyboard.type(word.lower())
    results = page.locator("#quick-results")
    expect(results.get_by_role("link", name=f"{word} renewal")).to_be_visible()
    links = results.get_by_role("link")
    page.keyboard.press("ArrowDown")
    expect(links.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"{word} renewal")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/opportunities/\d+$"))


def test_search_page_groups_results_and_works_without_javascript(browser, served):
    context = browser.new_context(base_url=served.base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        word = unique("Osprey")
        sign_in(page, served)
        new_person(page, word)
        page.get_by_label("Search everywhere").fill(word.lower())
        page.get_by_label("Search everywhere").press("Enter")
        expect(page).to_have_url(re.compile(r"/search\?q="))
        expect(page.get_by_role("heading", name="People & organisations")).to_be_visible()
        page.get_by_role("link", name=f"Test {word}").click()
        expect(page.get_by_role("heading", name=f"Test {word}")).to_be_visible()
    finally:
        context.close()


def test_live_results_have_no_serious_accessibility_violation(page, served):
    sign_in(page, served)
    page.get_by_label("Search everywhere").fill(search_word(served).lower())
    expect(page.locator("#quick-results").get_by_role("link").first).to_be_visible()
    found = violations(page)
    assert not found, describe(found)
    if SAVE_SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "search-live.png"))
