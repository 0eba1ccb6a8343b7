"""/projects/new?party=ID, /projects/{id}/edit and /projects/{id}/delete: the project form,
written through create_kase and update_kase; the domain's 422 messages show beside their fields,
with what was typed kept."""

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import kases as domain
from pillbox.errors import NotFound, ValidationFailed
from pillbox.numbers import whole_number
from pillbox.store import boards, opportunities
from pillbox.store import kases as store
from pillbox.store import parties as party_store
from pillbox.web.forms import FieldErrors, as_input, text
from pillbox.web.kit import Viewer, database, path_id, redirect, render, screen
from pillbox.web.record_delete import delete_routes
from pillbox.web.record_page import LINKED, in_order

MAX_STAGES = 1000  # the form's choices
TYPED = ("name", "description", "opportunity", "stage", "startOn", "expectedCloseOn")


@dataclass
class ProjectForm:
    """What the form shows: the party it is for, values by form name, and the choices."""

    party: Any
    values: dict[str, str] = field(default_factory=dict)
    opportunities: list[Any] = field(default_factory=list)
    stages: list[Any] = field(default_factory=list)


def _choices(conn: sa.Connection, account_id: int, party: Any) -> ProjectForm:
    deal_ids = opportunities.party_opportunity_ids(conn, account_id, party.id, 0, LINKED)
    stage_ids = boards.stage_page_ids(conn, account_id, 0, MAX_STAGES)
    return ProjectForm(
        party,
        opportunities=in_order(opportunities.load(conn, account_id, deal_ids), deal_ids)
        if deal_ids
        else [],
        stages=in_order(boards.load_stages(conn, account_id, stage_ids), stage_ids)
        if stage_ids
        else [],
    )


def _blank(conn: sa.Connection, account_id: int, raw_party: str, raw_deal: str) -> ProjectForm:
    party_id = whole_number(raw_party) or 0
    party = party_store.load(conn, account_id, [party_id]).get(party_id) if party_id else None
    if party is None:
        raise NotFound()
    form = _choices(conn, account_id, party)
    form.values["opportunity"] = raw_deal if raw_deal.isdigit() else ""
    return form


def _of_record(conn: sa.Connection, account_id: int, kase_id: int) -> ProjectForm:
    kase = store.load(conn, account_id, [kase_id]).get(kase_id)
    if kase is None:
        raise NotFound()
    party = party_store.load(conn, account_id, [kase.party_id]).get(kase.party_id)
    form = _choices(conn, account_id, party)
    form.values = {
        "name": kase.name,
        "description": kase.description or "",
        "opportunity": str(kase.opportunity_id or ""),
        "stage": str(kase.stage_id or ""),
        "startOn": kase.start_on or "",
        "expectedCloseOn": kase.expected_close_on or "",
    }
    return form


def _reference(raw: str) -> dict[str, int] | None:
    record_id = whole_number(raw)
    return {"id": record_id} if record_id is not None else None


def _body(typed: dict[str, str]) -> dict[str, Any]:
    """The API's body: an empty value clears it."""
    return {
        "name": typed["name"],
        "description": typed["description"] or None,
        "opportunity": _reference(typed["opportunity"]),
        "stage": _reference(typed["stage"]),
        "startOn": typed["startOn"] or None,
        "expectedCloseOn": typed["expectedCloseOn"] or None,
    }


def _typed(posted: FormData) -> dict[str, str]:
    return {name: text(posted, name) for name in TYPED}


def _page(
    request: Request,
    viewer: Viewer,
    form: ProjectForm,
    kase_id: int | None,
    errors: FieldErrors | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "project_form.html",
        viewer,
        status=status,
        form=form,
        kase_id=kase_id,
        errors=errors or FieldErrors(),
    )


async def new(request: Request, viewer: Viewer) -> Response:
    query = request.query_params
    raw_party, raw_deal = query.get("party", ""), query.get("opportunity", "")
    form = await database(request).read(_blank, viewer.account_id, raw_party, raw_deal)
    return _page(request, viewer, form, None)


async def edit(request: Request, viewer: Viewer) -> Response:
    kase_id = path_id(request)
    form = await database(request).read(_of_record, viewer.account_id, kase_id)
    return _page(request, viewer, form, kase_id)


async def create(request: Request, viewer: Viewer) -> Response:
    posted = await request.form()
    form = await database(request).read(_blank, viewer.account_id, text(posted, "party"), "")
    form.values = _typed(posted)
    body = {**_body(form.values), "party": {"id": form.party.id}}

    def write(conn: sa.Connection) -> int:
        data = as_input(domain.KaseInput, body, domain.RESOURCE)
        return domain.create_kase(conn, viewer.principal, data)

    try:
        saved = await database(request).write(write)
    except ValidationFailed as failure:
        return _page(request, viewer, form, None, FieldErrors.of_failure(failure), 422)
    return redirect(f"/projects/{saved}")


async def update(request: Request, viewer: Viewer) -> Response:
    kase_id = path_id(request)
    posted = await request.form()
    form = await database(request).read(_of_record, viewer.account_id, kase_id)
    form.values = _typed(posted)
    body = _body(form.values)

    def write(conn: sa.Connection) -> None:
        data = as_input(domain.KaseInput, body, domain.RESOURCE)
        domain.update_kase(conn, viewer.principal, kase_id, data)

    try:
        await database(request).write(write)
    except ValidationFailed as failure:
        return _page(request, viewer, form, kase_id, FieldErrors.of_failure(failure), 422)
    return redirect(f"/projects/{kase_id}")


ROUTES = [
    Route("/projects/new", screen(new), methods=["GET"]),
    Route("/projects", screen(create), methods=["POST"]),
    Route("/projects/{id}/edit", screen(edit), methods=["GET"]),
    Route("/projects/{id}/edit", screen(update), methods=["POST"]),
    *delete_routes(
        "/projects",
        "project",
        store.find,
        domain.delete_kase,
        "its notes and tasks go with it",
    ),
]
