"""/opportunities/{id}: the record page. Value, milestone and probability, close dates, the party
and additional parties, linked projects, tags, custom fields, open tasks and the timeline; marked
won or lost from here (lost asks for the lost reason), read in a fixed number of queries."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import opportunities as domain
from pillbox.domain.base import Ref
from pillbox.errors import NotFound, ValidationFailed
from pillbox.numbers import whole_number
from pillbox.store import additional_parties, kases, pipelines
from pillbox.store import opportunities as store
from pillbox.store import parties as party_store
from pillbox.web.forms import FieldErrors, text
from pillbox.web.kit import Viewer, database, path_id, redirect, render, screen
from pillbox.web.paging import Paging, paging
from pillbox.web.record_page import LINKED, RecordExtras, RecordKind, in_order, load_extras

MAX_LOST_REASONS = 500  # the lost form's choices


@dataclass(frozen=True)
class OpportunityPage:
    opportunity: Any
    milestone: Any  # with its pipeline's id and name
    extras: RecordExtras
    additional_parties: list[Any]
    kases: list[Any]
    lost_reasons: list[Any]

    @property
    def is_open(self) -> bool:
        return not self.opportunity.milestone_complete

    @property
    def outcome(self) -> str:
        """ "won", "lost" or "" while open."""
        if self.is_open:
            return ""
        return "won" if self.opportunity.probability else "lost"


def _linked(conn: sa.Connection, account_id: int, opportunity_id: int) -> dict[str, list[Any]]:
    links = additional_parties.OPPORTUNITIES
    party_ids = links.party_ids(conn, opportunity_id, 0, LINKED)
    kase_ids = kases.opportunity_kase_ids(conn, account_id, opportunity_id, 0, LINKED)
    reason_ids = pipelines.lost_reason_page_ids(conn, account_id, 0, MAX_LOST_REASONS, None)
    reasons = pipelines.load_lost_reasons(conn, account_id, reason_ids) if reason_ids else {}
    return {
        "additional_parties": in_order(party_store.load(conn, account_id, party_ids), party_ids)
        if party_ids
        else [],
        "kases": in_order(kases.load(conn, account_id, kase_ids), kase_ids) if kase_ids else [],
        "lost_reasons": in_order(reasons, reason_ids),
    }


def load_page(
    conn: sa.Connection, viewer: Viewer, opportunity_id: int, timeline: Paging
) -> OpportunityPage:
    account_id = viewer.account_id
    opportunity = store.load(conn, account_id, [opportunity_id]).get(opportunity_id)
    if opportunity is None:
        raise NotFound()
    return OpportunityPage(
        opportunity=opportunity,
        milestone=pipelines.find_milestone(conn, account_id, opportunity.milestone_id),
        extras=load_extras(conn, account_id, KIND, opportunity_id, timeline),
        **_linked(conn, account_id, opportunity_id),
    )


async def show(request: Request, viewer: Viewer) -> Response:
    opportunity_id = path_id(request)
    page = await database(request).read(load_page, viewer, opportunity_id, paging(request, ()))
    return render_page(request, viewer, page)


def render_page(
    request: Request,
    viewer: Viewer,
    page: OpportunityPage,
    status: int = 200,
    errors: FieldErrors | None = None,
    entered: dict[str, Any] | None = None,
    failed: str = "",
) -> Response:
    """The record page; `failed` names the form ("lost", "note", "fields", "tags") whose
    `errors` show."""
    return render(
        request,
        "opportunity.html",
        viewer,
        status=status,
        page=page,
        opportunity=page.opportunity,
        errors=errors or FieldErrors(),
        entered=entered or {},
        failed=failed,
        back=KIND.url(page.opportunity.id),
    )


def _closing(won: bool) -> Any:
    async def close(request: Request, viewer: Viewer) -> Response:
        opportunity_id = path_id(request)
        form = await request.form()
        raw = text(form, "lostReason")
        reason_id = whole_number(raw)
        reason = Ref(id=reason_id) if reason_id else None
        try:
            await database(request).write(
                domain.close_opportunity, viewer.principal, opportunity_id, won, reason
            )
        except ValidationFailed as failure:
            page = await database(request).read(
                load_page, viewer, opportunity_id, paging(request, ())
            )
            errors = FieldErrors.of_failure(failure)
            return render_page(request, viewer, page, 422, errors, {"lostReason": raw}, "lost")
        return redirect(KIND.url(opportunity_id))

    close.__name__ = "mark_won" if won else "mark_lost"
    return close


KIND = RecordKind(
    path="/opportunities",
    entity=domain.ENTITY,
    link="opportunity",
    resource=domain.RESOURCE,
    input_model=domain.OpportunityInput,
    update=domain.update_opportunity,
    find=store.find,
    load_page=load_page,
    render_page=render_page,
)

ROUTES = [
    Route("/opportunities/{id}", screen(show), methods=["GET"]),
    Route("/opportunities/{id}/won", screen(_closing(True)), methods=["POST"]),
    Route("/opportunities/{id}/lost", screen(_closing(False)), methods=["POST"]),
]
