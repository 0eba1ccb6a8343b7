"""/opportunities/new?party=ID, /opportunities/{id}/edit and /opportunities/{id}/delete: the
opportunity form, written through create_opportunity and update_opportunity; the domain's 422
messages show beside their fields, with what was typed kept."""

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import opportunities as domain
from pillbox.errors import NotFound, ValidationFailed
from pillbox.numbers import whole_number
from pillbox.store import opportunities as store
from pillbox.store import parties as party_store
from pillbox.store import pipelines
from pillbox.web.forms import FieldErrors, as_input, text
from pillbox.web.kit import Viewer, database, path_id, redirect, render, screen
from pillbox.web.record_delete import delete_routes
from pillbox.web.record_page import in_order

MAX_MILESTONES = 1000  # the form's choices
TYPED = ("name", "description", "milestone", "amount", "currency", "probability", "expectedCloseOn")


@dataclass
class OpportunityForm:
    """What the form shows: the party it is for, values by form name, and the choices."""

    party: Any
    values: dict[str, str] = field(default_factory=dict)
    milestones: list[Any] = field(default_factory=list)


def _party(conn: sa.Connection, account_id: int, raw: str) -> Any:
    party_id = whole_number(raw) or 0
    party = party_store.load(conn, account_id, [party_id]).get(party_id) if party_id else None
    if party is None:
        raise NotFound()
    return party


def _milestones(conn: sa.Connection, account_id: int) -> list[Any]:
    ids = pipelines.milestone_page_ids(conn, account_id, None, 0, MAX_MILESTONES)
    return in_order(pipelines.load_milestones(conn, account_id, ids), ids) if ids else []


def _blank(conn: sa.Connection, account_id: int, raw_party: str) -> OpportunityForm:
    choices = _milestones(conn, account_id)
    first_open = next((m for m in choices if not m.complete), None)
    values = {"milestone": str(first_open.id) if first_open else ""}
    return OpportunityForm(_party(conn, account_id, raw_party), values, choices)


def _of_record(conn: sa.Connection, account_id: int, opportunity_id: int) -> OpportunityForm:
    deal = store.load(conn, account_id, [opportunity_id]).get(opportunity_id)
    if deal is None:
        raise NotFound()
    values = {
        "name": deal.name,
        "description": deal.description or "",
        "milestone": str(deal.milestone_id),
        "amount": deal.value_amount or "",
        "currency": deal.value_currency or "",
        "probability": str(deal.probability),
        "expectedCloseOn": deal.expected_close_on or "",
    }
    party = party_store.load(conn, account_id, [deal.party_id]).get(deal.party_id)
    return OpportunityForm(party, values, _milestones(conn, account_id))


def _body(typed: dict[str, str], current: dict[str, str] | None) -> dict[str, Any]:
    """The API's body: an empty value clears it; probability is sent only when changed by hand,
    so that otherwise it follows the milestone."""
    body: dict[str, Any] = {
        "name": typed["name"],
        "description": typed["description"] or None,
        "expectedCloseOn": typed["expectedCloseOn"] or None,
        "milestone": {"id": milestone} if (milestone := whole_number(typed["milestone"])) else None,
    }
    amount, currency = typed["amount"], typed["currency"]
    body["value"] = {"amount": amount or None, "currency": currency or None}
    if not (amount or currency):
        body["value"] = None
    probability = typed["probability"]
    if probability and probability != (current or {}).get("probability"):
        number = whole_number(probability, 10**6)
        body["probability"] = number if number is not None else probability
    return body


def _page(
    request: Request,
    viewer: Viewer,
    form: OpportunityForm,
    opportunity_id: int | None,
    errors: FieldErrors | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "opportunity_form.html",
        viewer,
        status=status,
        form=form,
        opportunity_id=opportunity_id,
        errors=errors or FieldErrors(),
    )


async def new(request: Request, viewer: Viewer) -> Response:
    raw = request.query_params.get("party", "")
    form = await database(request).read(_blank, viewer.account_id, raw)
    return _page(request, viewer, form, None)


async def edit(request: Request, viewer: Viewer) -> Response:
    opportunity_id = path_id(request)
    form = await database(request).read(_of_record, viewer.account_id, opportunity_id)
    return _page(request, viewer, form, opportunity_id)


def _typed(posted: FormData) -> dict[str, str]:
    return {name: text(posted, name) for name in TYPED}


async def create(request: Request, viewer: Viewer) -> Response:
    posted = await request.form()
    form = await database(request).read(_blank, viewer.account_id, text(posted, "party"))
    form.values = _typed(posted)
    body = {**_body(form.values, None), "party": {"id": form.party.id}}

    def write(conn: sa.Connection) -> int:
        data = as_input(domain.OpportunityInput, body, domain.RESOURCE)
        return domain.create_opportunity(conn, viewer.principal, data)

    try:
        saved = await database(request).write(write)
    except ValidationFailed as failure:
        return _page(request, viewer, form, None, FieldErrors.of_failure(failure), 422)
    return redirect(f"/opportunities/{saved}")


async def update(request: Request, viewer: Viewer) -> Response:
    opportunity_id = path_id(request)
    posted = await request.form()
    form = await database(request).read(_of_record, viewer.account_id, opportunity_id)
    current, form.values = form.values, _typed(posted)
    body = _body(form.values, current)

    def write(conn: sa.Connection) -> None:
        data = as_input(domain.OpportunityInput, body, domain.RESOURCE)
        domain.update_opportunity(conn, viewer.principal, opportunity_id, data)

    try:
        await database(request).write(write)
    except ValidationFailed as failure:
        return _page(request, viewer, form, opportunity_id, FieldErrors.of_failure(failure), 422)
    return redirect(f"/opportunities/{opportunity_id}")


ROUTES = [
    Route("/opportunities/new", screen(new), methods=["GET"]),
    Route("/opportunities", screen(create), methods=["POST"]),
    Route("/opportunities/{id}/edit", screen(edit), methods=["GET"]),
    Route("/opportunities/{id}/edit", screen(update), methods=["POST"]),
    *delete_routes(
        "/opportunities",
        "opportunity",
        store.find,
        domain.delete_opportunity,
        "its notes and tasks go with it; its projects stay, no longer linked to it",
    ),
]
