"""Settings in a browser: each screen group used as an administrator would, a settings change
seen on a record page, a non-administrator refused, and no serious or critical axe-core
violation on any settings screen (with the README's screenshot of /settings/fields)."""

import uuid

import pytest
from playwright.sync_api import expect

from pillbox.domain.passwords import set_password
from pillbox.store import accounts, field_definitions
from pillbox.web.settings import ACCOUNT, OWN
from tests.web.browser.conftest import PASSWORD, Served, sign_in
from tests.web.browser.test_accessibility import SAVE_SCREENSHOTS, SCREENSHOTS, describe, violations
from tests.web.browser.test_parties import new_person, unique


def add_form(page, key: str):
    return page.locator(f"#{key} form.settings-new")


@pytest.mark.parametrize("address", ["/settings"] + [a for a, _, _ in OWN + ACCOUNT])
def test_settings_screen_has_no_serious_accessibility_violation(page, served, address):
    sign_in(page, served)
    page.goto(address)
    found = violations(page)
    assert not found, describe(found)


def test_settings_fields_screenshot(page, served):
    """The README's picture of /settings/fields, with a few fields defined."""
    with served.engine.begin() as conn:
        for entity, name, kind, options in (
            ("parties", "Industry", "list", ["Retail", "Software", "Health"]),
            ("parties", "Renewal date", "date", None),
            ("opportunities", "Budget", "number", None),
        ):
            field_definitions.create_definition(
                conn, served.account_id, entity, name=name, type=kind, options=options
            )
    sign_in(page, served, "/settings/fields")
    found = violations(page)
    assert not found, describe(found)
    shot = page.screenshot(
        path=str(SCREENSHOTS / "settings-fields.png") if SAVE_SCREENSHOTS else None,
        full_page=True,
    )
    assert shot.startswith(b"\x89PNG")


def test_a_field_defined_in_settings_is_shown_and_editable_on_a_party(page, served):
    name = unique("Size")
    sign_in(page, served)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Custom fields").click()
    form = add_form(page, "fields-parties")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Type").select_option("list")
    form.get_by_label("Options of a list, one a line").fill("Small\nLarge")
    form.get_by_role("button", name="Add field").click()
    expect(page.locator("#fields-parties legend", has_text=name)).to_be_visible()
    new_person(page, unique("Fielded"))
    fields = page.locator("#fields")
    fields.get_by_label(name).select_option("Large")
    with page.expect_response(lambda r: r.url.endswith("/fields") and r.request.method == "POST"):
        fields.get_by_role("button", name="Save fields").click()
    page.reload()
    expect(page.locator("#fields").get_by_label(name)).to_have_value("Large")


def test_a_refused_field_shows_the_message_beside_it(page, served):
    sign_in(page, served, "/settings/fields")
    form = add_form(page, "fields-opportunities")
    form.get_by_label("Name").fill(unique("Kind"))
    form.get_by_label("Type").select_option("multiselectlist")
    form.get_by_role("button", name="Add field").click()
    expect(page.locator("#fields-opportunities-new-options-error")).to_have_text(
        "options are required for a list field"
    )


def test_a_team_made_with_a_member_and_renamed(page, served):
    team = unique("Team")
    sign_in(page, served, "/settings/teams")
    form = add_form(page, "teams")
    form.get_by_label("Name").fill(team)
    form.get_by_label("Members").select_option(index=0)
    form.get_by_role("button", name="Add team").click()
    row = page.locator("#teams li", has_text=team)
    expect(row).to_be_visible()
    row.get_by_label("Name").fill(team + " renamed")
    row.get_by_role("button", name=f"Save {team}").click()
    expect(page.locator("#teams legend", has_text=team + " renamed")).to_be_visible()


def test_a_milestone_added_to_a_pipeline_and_a_lost_reason_deleted_after_asking(page, served):
    milestone, reason = unique("Demo"), unique("Budget")
    sign_in(page, served, "/settings/pipelines")
    form = add_form(page, "milestones")
    form.get_by_label("Pipeline").select_option(index=1)
    form.get_by_label("Name").fill(milestone)
    form.get_by_label("Probability (%)").fill("40")
    form.get_by_role("button", name="Add milestone").click()
    expect(page.locator("#milestones legend", has_text=milestone)).to_be_visible()
    page.goto("/settings/lost-reasons")
    add_form(page, "lost-reasons").get_by_label("Name").fill(reason)
    page.get_by_role("button", name="Add lost reason").click()
    page.get_by_role("link", name=f"Delete {reason}").click()
    expect(page.get_by_role("heading", name=f"Delete lost reason “{reason}”?")).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", name="Lost reasons", level=1)).to_be_visible()
    expect(page.locator("#lost-reasons legend", has_text=reason)).to_have_count(0)


def test_a_task_category_with_its_colour_and_a_stage_on_a_board(page, served):
    category, stage = unique("Calls"), unique("Review")
    sign_in(page, served, "/settings/task-categories")
    form = add_form(page, "task-categories")
    form.get_by_label("Name").fill(category)
    form.get_by_label("Colour").fill("#aa3300")
    form.get_by_role("button", name="Add category").click()
    row = page.locator("#task-categories li", has_text=category)
    expect(row.get_by_label("Colour")).to_have_value("#aa3300")
    page.goto("/settings/boards")
    form = add_form(page, "stages")
    form.get_by_label("Board").select_option(index=1)
    form.get_by_label("Name").fill(stage)
    form.get_by_role("button", name="Add stage").click()
    expect(page.locator("#stages legend", has_text=stage)).to_be_visible()


def test_a_hook_subscribed_and_its_delivery_log_opened(page, served):
    description = unique("Sync")
    sign_in(page, served, "/settings/hooks")
    form = add_form(page, "hooks")
    form.get_by_label("Event").select_option("party/created")
    form.get_by_label("Target URL").fill("https://receiver.invalid/hooks")
    form.get_by_label("Description").fill(description)
    form.get_by_role("button", name="Add hook").click()
    page.locator("#hooks li", has_text=description).get_by_role("link", name="Deliveries").click()
    expect(page.get_by_role("heading", name="Deliveries of")).to_be_visible()


def _member(served: Served) -> str:
    email = f"member-{uuid.uuid4().hex[:8]}@example.com"
    with served.engine.begin() as conn:
        user_id = accounts.create_user(
            conn, served.account_id, email=email, name="Mo Member", username=email, admin=False
        )
        set_password(conn, user_id, PASSWORD)
    return email


def test_a_non_administrator_is_refused_on_settings(page, served):
    member = Served(served.base_url, served.engine, served.account_id, 0, _member(served))
    sign_in(page, member, "/settings")
    expect(page.get_by_role("link", name="My preferences")).to_be_visible()
    expect(page.get_by_role("link", name="Custom fields")).to_have_count(0)
    page.goto("/settings/fields")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_text("Only the account's administrators may do this.")).to_be_visible()
    page.goto("/settings/preferences")
    page.get_by_label("Time zone").fill("Europe/Paris")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your preferences are saved.")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")
