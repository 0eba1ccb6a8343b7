"""Every screen in a browser: no serious or critical axe-core violation, every control labelled,
usable from the keyboard; and the README's screenshots, taken on the seeded account.

Screenshots are written to docs/screenshots/ when PILLBOX_SCREENSHOTS=1 (they are committed, so
an ordinary run leaves them alone); every run still takes them, so a screen that cannot be drawn
fails here.
"""

import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from pillbox.store.tables.entries import entries
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties
from pillbox.store.tables.tasks import tasks
from tests.web.browser.conftest import sign_in

AXE = Path(__file__).parent.parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).parents[3] / "docs" / "screenshots"
SAVE_SCREENSHOTS = os.environ.get("PILLBOX_SCREENSHOTS") == "1"


def busiest(served, kind: str) -> int:
    """The seeded party of this type with the most tasks: a record page with something on it."""
    query = (
        sa.select(parties.c.id)
        .join(tasks, tasks.c.party_id == parties.c.id)
        .where(parties.c.account_id == served.account_id, parties.c.type == kind)
        .group_by(parties.c.id)
        .order_by(sa.func.count().desc(), parties.c.id)
        .limit(1)
    )
    with served.engine.connect() as conn:
        found = conn.scalar(query)
    assert found is not None
    return int(found)


def busiest_record(served, table: sa.Table, link: sa.Column, still_open) -> int:
    """The seeded open opportunity or project with the most on its timeline."""
    query = (
        sa.select(table.c.id)
        .join(entries, link == table.c.id)
        .where(table.c.account_id == served.account_id, still_open)
        .group_by(table.c.id)
        .order_by(sa.func.count().desc(), table.c.id)
        .limit(1)
    )
    with served.engine.connect() as conn:
        found = conn.scalar(query)
    assert found is not None
    return int(found)


def opportunity(served) -> int:
    still_open = opportunities.c.closed_on.is_(None)
    return busiest_record(served, opportunities, entries.c.opportunity_id, still_open)


def project(served) -> int:
    return busiest_record(served, kases, entries.c.kase_id, kases.c.status == "OPEN")


def search_word(served) -> str:
    """The first word of the name of the busiest project's party: found in several kinds."""
    query = (
        sa.select(sa.func.coalesce(parties.c.name, parties.c.last_name))
        .join(kases, kases.c.party_id == parties.c.id)
        .where(kases.c.id == project(served))
    )
    with served.engine.connect() as conn:
        return str(conn.scalar(query)).split()[0]


SCREENS = {
    "home": lambda served: "/",
    "parties": lambda served: "/parties",
    "party-search": lambda served: "/parties?q=ltd&type=organisation",
    "person": lambda served: f"/parties/{busiest(served, 'person')}",
    "organisation": lambda served: f"/parties/{busiest(served, 'organisation')}",
    "new-person": lambda served: "/parties/new",
    "edit-organisation": lambda served: f"/parties/{busiest(served, 'organisation')}/edit",
    "tasks": lambda served: "/tasks?who=everyone",
    "tokens": lambda served: "/settings/tokens",
    "not-found": lambda served: "/parties/999999999",
    "opportunity": lambda served: f"/opportunities/{opportunity(served)}",
    "edit-opportunity": lambda served: f"/opportunities/{opportunity(served)}/edit",
    "new-opportunity": lambda served: f"/opportunities/new?party={busiest(served, 'person')}",
    "project": lambda served: f"/projects/{project(served)}",
    "edit-project": lambda served: f"/projects/{project(served)}/edit",
    "search": lambda served: f"/search?q={search_word(served)}",
}


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(found: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in found
    )


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_screen_has_no_serious_accessibility_violation(page, served, screen):
    sign_in(page, served)
    page.goto(SCREENS[screen](served))
    found = violations(page)
    assert not found, describe(found)
    image = page.screenshot(path=str(SCREENSHOTS / f"{screen}.png") if SAVE_SCREENSHOTS else None)
    assert image.startswith(b"\x89PNG")


def test_sign_in_page_has_no_serious_accessibility_violation(page, served):
    page.goto("/login")
    found = violations(page)
    assert not found, describe(found)
    if SAVE_SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "sign-in.png"))


def test_screen_with_form_errors_has_no_serious_violation(page, served):
    sign_in(page, served)
    page.goto("/parties/new")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("firstName or lastName is required")).to_be_visible()
    found = violations(page)
    assert not found, describe(found)


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_every_control_has_a_label(page, served, screen):
    sign_in(page, served)
    page.goto(SCREENS[screen](served))
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll(
                'input:not([type=hidden]), select, textarea, button')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !(el.tagName === 'BUTTON' && el.textContent.trim()))
            .map(el => el.outerHTML.slice(0, 120))"""
    )
    assert unlabelled == []


def test_sign_in_add_a_person_and_a_note_from_the_keyboard(page, served):
    page.goto("/login")
    expect(page.get_by_label("Email")).to_be_focused()  # the sign-in form starts there
    page.keyboard.type(served.email)
    page.keyboard.press("Tab")
    page.keyboard.type("browser test password")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.goto("/parties/new")
    page.get_by_label("First name").focus()
    page.keyboard.type("Keyboard")
    page.keyboard.press("Tab")
    page.keyboard.type("User")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Keyboard User")).to_be_visible()
    page.get_by_label("Note").focus()
    page.keyboard.type("Typed, never clicked")
    for _ in range(3):  # the attachment's button, then Add note
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Add note":
            break
    expect(page.get_by_role("button", name="Add note")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#timeline").get_by_text("Typed, never clicked")).to_be_visible()
    assert re.search(r"/parties/\d+$", page.url)
