"""In a browser: searching, opening a party, notes with attachments, tasks, tags and fields,
and the person form with a validation error."""

import re
import uuid
from pathlib import Path

from playwright.sync_api import expect

from pillbox.store import field_definitions
from tests.web.browser.conftest import sign_in


def unique(word: str) -> str:
    return f"{word}{uuid.uuid4().hex[:6]}"


def new_person(page, last_name: str) -> None:
    page.goto("/parties/new")
    page.get_by_label("First name").fill("Test")
    page.get_by_label("Last name").fill(last_name)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"Test {last_name}")).to_be_visible()


def test_search_finds_a_party_and_opens_its_page(page, served):
    name = unique("Searchable")
    sign_in(page, served)
    new_person(page, name)
    page.goto("/parties")
    page.get_by_label("Search", exact=True).fill(name.lower())
    page.get_by_label("Search", exact=True).press("Enter")
    link = page.get_by_role("link", name=f"Test {name}")
    expect(link).to_have_count(1)
    link.click()
    expect(page.get_by_role("heading", name=f"Test {name}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/parties/\d+$"))


def test_add_note_with_attachment_appears_in_the_timeline(page, served, tmp_path):
    sign_in(page, served)
    new_person(page, unique("Noted"))
    here = page.url
    upload = tmp_path / "minutes.txt"
    upload.write_text("the minutes of the meeting")
    page.get_by_label("Note").fill("Met them at the fair")
    page.get_by_label("Attachment (optional)").set_input_files(str(upload))
    page.get_by_role("button", name="Add note").click()
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text("Met them at the fair")).to_be_visible()
    expect(timeline.get_by_role("link", name="minutes.txt")).to_be_visible()
    assert page.url == here  # added in place
    expect(page.get_by_label("Note")).to_have_value("")
    with page.expect_download() as download:
        timeline.get_by_role("link", name="minutes.txt").click()
    assert download.value.suggested_filename == "minutes.txt"
    assert Path(download.value.path()).read_text() == "the minutes of the meeting"


def test_add_and_complete_a_task_on_a_party(page, served):
    sign_in(page, served)
    new_person(page, unique("Tasked"))
    tasks = page.locator("#tasks")
    tasks.get_by_label("Description").fill("Send the quote")
    tasks.get_by_label("Due on").fill("2031-05-01")
    tasks.get_by_role("button", name="Add task").click()
    expect(tasks.get_by_text("Send the quote")).to_be_visible()
    page.get_by_role("button", name="Complete task: Send the quote").click()
    expect(page.locator("#tasks").get_by_text("Send the quote")).to_have_count(0)
    page.reload()
    expect(page.locator("#timeline").get_by_text("Send the quote")).to_be_visible()


def test_create_person_with_validation_error_then_edit(page, served):
    name = unique("Formed")
    sign_in(page, served)
    page.goto("/parties/new")
    page.get_by_label("Job title").fill("Engineer")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("firstName or lastName is required")).to_be_visible()
    expect(page.get_by_label("Job title")).to_have_value("Engineer")
    page.get_by_label("Last name").fill(name)
    page.get_by_label("Address (email addresses, row 1)").fill(f"{name}@example.com")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_role("link", name=f"{name}@example.com")).to_have_attribute(
        "href", f"mailto:{name}@example.com"
    )
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("First name").fill("Renamed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"Renamed {name}")).to_be_visible()


def test_tags_and_custom_fields(page, served):
    with served.engine.begin() as conn:
        field_name = unique("Renewal")
        field_definitions.create_definition(
            conn, served.account_id, "parties", name=field_name, type="date"
        )
    sign_in(page, served)
    new_person(page, unique("Tagged"))
    tags = page.locator("#tags")
    tags.get_by_label("Add a tag").fill("Prospect")
    tags.get_by_role("button", name="Add").click()
    expect(page.locator("#tags .tag", has_text="Prospect")).to_be_visible()
    page.get_by_role("button", name="Remove tag Prospect").click()
    expect(page.locator("#tags .tag", has_text="Prospect")).to_have_count(0)
    fields = page.locator("#fields")
    fields.get_by_label(field_name).fill("2031-01-31")
    # Reloading before the save is answered would cancel it.
    with page.expect_response(lambda r: r.url.endswith("/fields") and r.request.method == "POST"):
        fields.get_by_role("button", name="Save fields").click()
    page.reload()
    expect(page.locator("#fields").get_by_label(field_name)).to_have_value("2031-01-31")


def test_tokens_create_and_revoke(page, served):
    name = unique("Script")
    sign_in(page, served)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API Authentication Tokens")).to_be_visible()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Scope").select_option("read")
    page.get_by_role("button", name="Make token").click()
    token = page.get_by_label("New token").input_value()
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    api = page.request.get("/api/v2/users/current", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 200
    page.get_by_role("button", name=f"Revoke {name}").click()
    expect(page.get_by_text(name)).to_have_count(0)
    api = page.request.get("/api/v2/users/current", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 401


def test_reading_and_plain_form_posts_work_without_javascript(browser, served):
    context = browser.new_context(base_url=served.base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, served)
        new_person(page, unique("Plain"))
        page.get_by_label("Note").fill("Written without scripts")
        page.get_by_role("button", name="Add note").click()
        expect(page.locator("#timeline").get_by_text("Written without scripts")).to_be_visible()
        page.goto("/parties?type=organisation")
        expect(page.get_by_role("table")).to_be_visible()
    finally:
        context.close()
