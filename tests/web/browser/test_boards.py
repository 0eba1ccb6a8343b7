"""The boards and their lists in a browser: a card moved with the mouse (drag and drop), with the
keyboard and without JavaScript, a lost reason asked for; no serious or critical axe-core
violation on any of these screens, and the screenshots of both boards."""

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from pillbox.domain import kases as kase_domain
from pillbox.domain import opportunities as deal_domain
from pillbox.domain.parsing import parse
from pillbox.store import boards, pipelines
from pillbox.store.accounts import Principal
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties
from tests.web.browser.conftest import sign_in
from tests.web.browser.test_accessibility import SAVE_SCREENSHOTS, SCREENSHOTS, describe, violations


def _who(served: Any) -> Principal:
    return Principal(served.admin_id, served.account_id, "read write", True)


def _a_party(conn: sa.Connection, served: Any) -> int:
    query = sa.select(parties.c.id).where(parties.c.account_id == served.account_id)
    return int(conn.scalar(query.order_by(parties.c.id).limit(1)))


def default_pipeline(served: Any) -> tuple[int, dict[str, int]]:
    """The seeded default pipeline, and its milestones by name."""
    with served.engine.connect() as conn:
        pipeline_id = pipelines.oldest_active_pipeline(conn, served.account_id)
        assert pipeline_id is not None
        steps = pipelines.milestones_of(conn, pipeline_id)
    return pipeline_id, {step.name: step.id for step in steps}


def first_board(served: Any) -> tuple[int, list[int]]:
    with served.engine.connect() as conn:
        board_id = boards.board_page_ids(conn, served.account_id, 0, 1, "active", None)[0]
        stages = boards.stage_page_ids(conn, served.account_id, 0, 100, board_id=board_id)
    return board_id, stages


def new_deal(served: Any) -> tuple[int, str]:
    """An open opportunity at the default pipeline's first milestone, first in its column."""
    name = f"Deal {uuid.uuid4().hex[:6]}"
    _, steps = default_pipeline(served)
    with served.engine.begin() as conn:
        body = {
            "name": name,
            "party": {"id": _a_party(conn, served)},
            "milestone": {"id": next(iter(steps.values()))},
            "expectedCloseOn": "2000-01-01",
        }
        data = parse(deal_domain.OpportunityInput, body, "opportunity")
        return deal_domain.create_opportunity(conn, _who(served), data), name


def new_project(served: Any, stage_id: int) -> tuple[int, str]:
    name = f"Project {uuid.uuid4().hex[:6]}"
    with served.engine.begin() as conn:
        body = {
            "name": name,
            "party": {"id": _a_party(conn, served)},
            "stage": {"id": stage_id},
            "expectedCloseOn": "2000-01-01",
        }
        data = parse(kase_domain.KaseInput, body, "kase")
        return kase_domain.create_kase(conn, _who(served), data), name


def deal_row(served: Any, deal_id: int) -> Any:
    with served.engine.connect() as conn:
        query = sa.select(opportunities).where(opportunities.c.id == deal_id)
        return conn.execute(query).one()


def kase_stage(served: Any, kase_id: int) -> int:
    with served.engine.connect() as conn:
        return int(conn.scalar(sa.select(kases.c.stage_id).where(kases.c.id == kase_id)))


def column(page: Any, target: int) -> Any:
    return page.locator(f'section.column[data-target="{target}"]')


def drag(page: Any, card_id: int, target: int) -> None:
    """Drags the card by its top onto the top of the column (a long column's middle can be
    far below the window)."""
    page.locator(f"#card-{card_id}").drag_to(
        column(page, target), source_position={"x": 8, "y": 4}, target_position={"x": 20, "y": 10}
    )


def test_a_card_dragged_with_the_mouse_moves_to_that_milestone(page, served):
    pipeline_id, steps = default_pipeline(served)
    deal_id, _ = new_deal(served)
    second = list(steps.values())[1]
    sign_in(page, served, f"/pipelines/{pipeline_id}")
    drag(page, deal_id, second)
    expect(column(page, second).locator(f"#card-{deal_id}")).to_be_visible()
    assert deal_row(served, deal_id).milestone_id == second
    expect(page.locator("#board-status")).to_have_text(f"Moved to {list(steps)[1]}.")


def test_a_card_moved_from_the_keyboard(page, served):
    pipeline_id, steps = default_pipeline(served)
    deal_id, name = new_deal(served)
    second = list(steps.values())[1]
    sign_in(page, served, f"/pipelines/{pipeline_id}")
    page.get_by_label(f"Move {name} to").focus()
    page.keyboard.press("ArrowDown")  # the next milestone
    page.keyboard.press("Tab")
    expect(page.locator(f"#card-{deal_id}").get_by_role("button", name="Move")).to_be_focused()
    page.keyboard.press("Enter")
    expect(column(page, second).locator(f"#card-{deal_id}")).to_be_visible()
    assert deal_row(served, deal_id).milestone_id == second


def test_a_card_dropped_on_lost_asks_for_the_lost_reason(page, served):
    pipeline_id, steps = default_pipeline(served)
    deal_id, _ = new_deal(served)
    sign_in(page, served, f"/pipelines/{pipeline_id}")
    drag(page, deal_id, steps["Lost"])
    reason = page.get_by_label("Lost reason")
    expect(reason).to_be_focused()
    expect(page.locator(f"#reason-{deal_id}-error")).to_have_text("lost reason is required")
    assert deal_row(served, deal_id).closed_on is None  # nothing changed yet
    found = violations(page)
    assert not found, describe(found)
    reason.select_option(index=1)
    page.get_by_role("button", name="Mark lost").click()
    expect(page.locator(f"#card-{deal_id}")).to_have_count(0)
    lost = deal_row(served, deal_id)
    assert (lost.milestone_id, lost.lost_reason_id is not None) == (steps["Lost"], True)


def test_a_project_card_moves_between_stages_without_javascript(browser, served):
    board_id, stages = first_board(served)
    kase_id, name = new_project(served, stages[0])
    context = browser.new_context(base_url=served.base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, served, f"/boards/{board_id}")
        page.get_by_label(f"Move {name} to").select_option(str(stages[2]))
        page.locator(f"#card-{kase_id}").get_by_role("button", name="Move").click()
        expect(column(page, stages[2]).locator(f"#card-{kase_id}")).to_be_visible()
        assert kase_stage(served, kase_id) == stages[2]
    finally:
        context.close()


def test_a_project_card_dragged_to_another_stage(page, served):
    board_id, stages = first_board(served)
    kase_id, _ = new_project(served, stages[0])
    sign_in(page, served, f"/boards/{board_id}")
    drag(page, kase_id, stages[1])
    expect(column(page, stages[1]).locator(f"#card-{kase_id}")).to_be_visible()
    assert kase_stage(served, kase_id) == stages[1]


SCREENS = {
    "pipeline-board": lambda served: f"/pipelines/{default_pipeline(served)[0]}",
    "project-board": lambda served: f"/boards/{first_board(served)[0]}",
    "opportunities": lambda served: "/opportunities?status=open",
    "projects": lambda served: "/projects?status=open",
}


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_board_screens_have_no_serious_violation_and_label_every_control(page, served, screen):
    sign_in(page, served)
    page.goto(SCREENS[screen](served))
    found = violations(page)
    assert not found, describe(found)
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll(
                'input:not([type=hidden]), select, textarea, button')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !(el.tagName === 'BUTTON' && el.textContent.trim()))
            .map(el => el.outerHTML.slice(0, 120))"""
    )
    assert unlabelled == []
    path = str(SCREENSHOTS / f"{screen}.png") if SAVE_SCREENSHOTS else None
    image = page.screenshot(path=path, full_page=screen.endswith("board"))
    assert image.startswith(b"\x89PNG")
