"""/parties/{id}: the record page. Details, contacts, tags, custom fields, an organisation's
people, the party's opportunities and projects, its open tasks and its timeline (notes, emails
and completed tasks, newest first), read in a fixed number of queries whatever the record holds.
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import parties as domain
from pillbox.domain.party_children import website_url
from pillbox.errors import NotFound
from pillbox.store import kases, opportunities
from pillbox.store import parties as store
from pillbox.web.forms import FieldErrors
from pillbox.web.kit import Viewer, database, path_id, render, screen
from pillbox.web.paging import Paging, paging
from pillbox.web.record_page import LINKED, RecordExtras, RecordKind, in_order, load_extras


@dataclass(frozen=True)
class PartyPage:
    party: Any
    children: dict[str, list[dict[str, Any]]]
    extras: RecordExtras
    people: list[Any]
    opportunities: list[Any]
    kases: list[Any]


def _linked(conn: sa.Connection, account_id: int, party: Any) -> dict[str, list[Any]]:
    party_id = party.id
    people = (
        store.people_ids(conn, account_id, party_id, 0, LINKED)
        if party.type == "organisation"
        else []
    )
    deal_ids = opportunities.party_opportunity_ids(conn, account_id, party_id, 0, LINKED)
    kase_ids = kases.party_kase_ids(conn, account_id, party_id, 0, LINKED)
    return {
        "people": in_order(store.load(conn, account_id, people), people) if people else [],
        "opportunities": in_order(opportunities.load(conn, account_id, deal_ids), deal_ids)
        if deal_ids
        else [],
        "kases": in_order(kases.load(conn, account_id, kase_ids), kase_ids) if kase_ids else [],
    }


def load_page(conn: sa.Connection, viewer: Viewer, party_id: int, timeline: Paging) -> PartyPage:
    account_id = viewer.account_id
    party = store.load(conn, account_id, [party_id]).get(party_id)
    if party is None:
        raise NotFound()
    children = store.load_children(conn, [party_id])
    return PartyPage(
        party=party,
        children={kind: rows.get(party_id, []) for kind, rows in children.items()},
        extras=load_extras(conn, account_id, KIND, party_id, timeline),
        **_linked(conn, account_id, party),
    )


def contact_link(kind: str, item: dict[str, Any]) -> str:
    """Where a contact detail leads: mailto:, tel: or the website's own address."""
    if kind == "emailAddresses":
        return f"mailto:{item['address']}"
    if kind == "phoneNumbers":
        return "tel:" + "".join(c for c in item["number"] if c.isdigit() or c == "+")
    url = item.get("url") or website_url(item.get("service") or "URL", item["address"])
    return url if url.startswith(("http://", "https://", "skype:")) else f"https://{url}"


async def show(request: Request, viewer: Viewer) -> Response:
    party_id = path_id(request)
    timeline = paging(request, ())
    page = await database(request).read(load_page, viewer, party_id, timeline)
    return render_page(request, viewer, page)


def render_page(
    request: Request,
    viewer: Viewer,
    page: PartyPage,
    status: int = 200,
    errors: FieldErrors | None = None,
    entered: dict[str, Any] | None = None,
    failed: str = "",
) -> Response:
    """The record page; `failed` names the form ("note", "fields", "tags") whose `errors` show."""
    return render(
        request,
        "party.html",
        viewer,
        status=status,
        page=page,
        party=page.party,
        contact_link=contact_link,
        errors=errors or FieldErrors(),
        entered=entered or {},
        failed=failed,
        back=f"/parties/{page.party.id}",
    )


KIND = RecordKind(
    path="/parties",
    entity="parties",
    link="party",
    resource=domain.RESOURCE,
    input_model=domain.PartyInput,
    update=domain.update_party,
    find=store.find,
    load_page=load_page,
    render_page=render_page,
)

ROUTES = [Route("/parties/{id}", screen(show), methods=["GET"])]
