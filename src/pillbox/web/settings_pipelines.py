"""/settings/pipelines and /settings/lost-reasons: the pipelines opportunities move through, with
their milestones (order, probability), and the reasons an opportunity is lost for."""

import sqlalchemy as sa

from pillbox.domain import pipelines as domain
from pillbox.store import pipelines as store
from pillbox.store.accounts import Principal
from pillbox.web.settings_kit import (
    Choices,
    Collection,
    Input,
    Item,
    SettingsPage,
    page_routes,
    reference,
)

MAX_ROWS = 1000


def _active_pipelines(conn: sa.Connection, who: Principal) -> list[Item]:
    ids = store.pipeline_page_ids(conn, who.account_id, 0, MAX_ROWS, False, None)
    found = store.load_pipelines(conn, who.account_id, ids) if ids else {}
    return [
        Item(i, found[i].name, {"name": found[i].name, "description": found[i].description})
        for i in ids
        if i in found
    ]


def _pipeline_choices(conn: sa.Connection, who: Principal) -> dict[str, Choices]:
    return {"pipeline": [(str(item.id), item.label) for item in _active_pipelines(conn, who)]}


def _milestones(conn: sa.Connection, who: Principal) -> list[Item]:
    active = {item.id for item in _active_pipelines(conn, who)}
    ids = store.milestone_page_ids(conn, who.account_id, None, 0, MAX_ROWS)
    found = store.load_milestones(conn, who.account_id, ids) if ids else {}
    rows = [found[i] for i in ids if i in found and found[i].pipeline_id in active]
    return [
        Item(
            row.id,
            row.name,
            {
                "name": row.name,
                "probability": row.probability,
                "displayOrder": row.display_order,
                "complete": row.complete,
                "daysUntilStale": row.days_until_stale,
                "description": row.description,
            },
            notes=[f"pipeline {row.pipeline_name}"],
        )
        for row in rows
    ]


PIPELINES = Collection(
    key="pipelines",
    title="Pipelines",
    noun="pipeline",
    resource="pipeline",
    model=domain.PipelineInput,
    inputs=(Input("name", "Name"), Input("description", "Description", kind="textarea")),
    load=_active_pipelines,
    create=domain.create_pipeline,
    update=domain.update_pipeline,
    delete=domain.archive_pipeline,
    delete_verb="Archive",
    delete_warning="The pipeline leaves the lists; its opportunities keep their milestones.",
)

MILESTONES = Collection(
    key="milestones",
    title="Milestones",
    noun="milestone",
    resource="milestone",
    model=domain.MilestoneInput,
    inputs=(
        Input("pipeline", "Pipeline", kind="select", read=reference, on_edit=False),
        Input("name", "Name"),
        Input("probability", "Probability (%)", kind="number"),
        Input("displayOrder", "Order", kind="number"),
        Input("complete", "Won at this milestone", kind="checkbox"),
        Input("daysUntilStale", "Days until stale", kind="number"),
        Input("description", "Description", kind="textarea"),
    ),
    load=_milestones,
    load_choices=_pipeline_choices,
    create=domain.create_milestone,
    update=domain.update_milestone,
    delete=domain.delete_milestone,
)


def _lost_reasons(conn: sa.Connection, who: Principal) -> list[Item]:
    ids = store.lost_reason_page_ids(conn, who.account_id, 0, MAX_ROWS, None)
    found = store.load_lost_reasons(conn, who.account_id, ids) if ids else {}
    return [
        Item(
            i,
            found[i].name,
            {"name": found[i].name, "includedForConversion": found[i].included_for_conversion},
        )
        for i in ids
        if i in found
    ]


LOST_REASONS = Collection(
    key="lost-reasons",
    title="Lost reasons",
    noun="lost reason",
    resource="lostReason",
    model=domain.LostReasonInput,
    inputs=(
        Input("name", "Name"),
        Input("includedForConversion", "Counts in the conversion rate", kind="checkbox"),
    ),
    load=_lost_reasons,
    create=domain.create_lost_reason,
    update=domain.update_lost_reason,
    delete=domain.delete_lost_reason,
    delete_warning="Opportunities lost for this reason keep it.",
)

PIPELINES_PAGE = SettingsPage(
    "/settings/pipelines",
    "Pipelines",
    "The stages a sale goes through: each pipeline's milestones, in order, with the probability "
    "of winning at each.",
    (PIPELINES, MILESTONES),
)
LOST_REASONS_PAGE = SettingsPage(
    "/settings/lost-reasons",
    "Lost reasons",
    "What is asked when an opportunity is marked lost.",
    (LOST_REASONS,),
)

ROUTES = [*page_routes(PIPELINES_PAGE), *page_routes(LOST_REASONS_PAGE)]
