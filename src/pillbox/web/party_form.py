"""/parties/new, /parties/{id}/edit and /parties/{id}/delete: the person and organisation forms,
with rows of contacts to add and remove, written through create_party and update_party; the
domain's 422 messages show beside their fields, with what was typed kept."""

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import parties as domain
from pillbox.errors import NotFound, ValidationFailed
from pillbox.numbers import whole_number
from pillbox.store import parties as store
from pillbox.web.forms import FieldErrors, as_input, text
from pillbox.web.kit import Viewer, database, path_id, redirect, render, screen

# Each kind of contact row: its columns as the API names them, and the API's singular name,
# which its 422 field paths use ("emailAddress.address").
ROWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "emailAddresses": ("emailAddress", ("type", "address")),
    "phoneNumbers": ("phoneNumber", ("type", "number")),
    "websites": ("website", ("service", "address")),
    "addresses": ("address", ("type", "street", "city", "state", "zip", "country")),
}
PERSON = ("title", "firstName", "lastName", "jobTitle", "organisation", "about")
ORGANISATION = ("name", "about")
CHOSEN = ("type", "service")  # picked from a list, so set on an empty row too
ROW_ERRORS = {
    kind: [kind, singular, *(f"{singular}.{column}" for column in columns)]
    for kind, (singular, columns) in ROWS.items()
}
ROW_TYPES = {
    "emailAddresses": ("Work", "Home"),
    "phoneNumbers": ("Work", "Mobile", "Home", "Direct", "Fax"),
    "addresses": ("Office", "Home", "Postal", "Billing", "Shipping"),
}


@dataclass
class PartyForm:
    """What the form shows: values by API name, and the contact rows of each kind."""

    type: str
    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def with_blank_rows(self, extra: str | None = None) -> "PartyForm":
        """One empty row of each kind to type into (two of `extra`, for "Add another")."""
        for kind, (_, columns) in ROWS.items():
            blanks = 2 if kind == extra else 1
            rows = self.rows.setdefault(kind, [])
            rows += [dict.fromkeys(("id", "remove", *columns), "") for _ in range(blanks)]
        return self


def _from_record(party: Any, children: dict[str, dict[int, list[dict[str, Any]]]]) -> PartyForm:
    form = PartyForm(party.type)
    names = {
        "title": party.title,
        "firstName": party.first_name,
        "lastName": party.last_name,
        "jobTitle": party.job_title,
        "organisation": party.organisation_name,
        "name": party.name,
        "about": party.about,
    }
    form.values = {key: value or "" for key, value in names.items()}
    for kind, (_, columns) in ROWS.items():
        form.rows[kind] = [
            {"id": str(item["id"]), "remove": "", **{c: item.get(c) or "" for c in columns}}
            for item in children[kind].get(party.id, [])
        ]
    return form


def _from_post(form: FormData, party_type: str) -> PartyForm:
    read = PartyForm(party_type)
    read.values = {name: text(form, name) for name in (*PERSON, *ORGANISATION)}
    for kind, (_, columns) in ROWS.items():
        count = text(form, f"{kind}-count")
        rows = []
        for i in range(min(whole_number(count, 10**6) or 0, 100)):
            prefix = f"{kind}-{i}-"
            rows.append({c: text(form, prefix + c) for c in ("id", "remove", *columns)})
        read.rows[kind] = rows
    return read


def _row_items(kind: str, rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The API's nested-collection items: no id adds, id changes, id and _delete removes."""
    _, columns = ROWS[kind]
    items: list[dict[str, Any]] = []
    for row in rows:
        values = {c: row[c] or None for c in columns}
        if (row_id := whole_number(row["id"])) is not None:
            item: dict[str, Any] = {"id": row_id}
            items.append({**item, "_delete": True} if row["remove"] else {**item, **values})
        elif any(values[c] for c in columns if c not in CHOSEN):  # typed into, not just chosen
            items.append({k: v for k, v in values.items() if v is not None})
    return items


def _body(read: PartyForm, creating: bool) -> dict[str, Any]:
    names = PERSON if read.type == "person" else ORGANISATION
    body: dict[str, Any] = {name: read.values[name] or None for name in names}
    if read.type == "person":
        organisation = body.pop("organisation")
        body["organisation"] = {"name": organisation} if organisation else None
    if creating:
        body["type"] = read.type
    for kind, rows in read.rows.items():
        body[kind] = _row_items(kind, rows)
    return body


def _page(
    request: Request,
    viewer: Viewer,
    read: PartyForm,
    party_id: int | None,
    errors: FieldErrors | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "party_form.html",
        viewer,
        status=status,
        form=read,
        party_id=party_id,
        errors=errors or FieldErrors(),
        rows=ROWS,
        row_errors=ROW_ERRORS,
        row_types=ROW_TYPES,
        services=domain.WEBSITE_SERVICES,
    )


async def new(request: Request, viewer: Viewer) -> Response:
    kind = request.query_params.get("type")
    read = PartyForm(kind if kind == "organisation" else "person")
    return _page(request, viewer, read.with_blank_rows(), None)


def _load_form(conn: sa.Connection, account_id: int, party_id: int) -> PartyForm:
    party = store.load(conn, account_id, [party_id]).get(party_id)
    if party is None:
        raise NotFound()
    return _from_record(party, store.load_children(conn, [party_id]))


async def edit(request: Request, viewer: Viewer) -> Response:
    party_id = path_id(request)
    read = await database(request).read(_load_form, viewer.account_id, party_id)
    return _page(request, viewer, read.with_blank_rows(), party_id)


async def _save(request: Request, viewer: Viewer, party_id: int | None) -> Response:
    form = await request.form()
    if party_id is not None:
        current = await database(request).read(store.find, viewer.account_id, party_id)
        if current is None:
            raise NotFound()
        party_type = current.type
    else:
        party_type = "organisation" if text(form, "type") == "organisation" else "person"
    read = _from_post(form, party_type)
    if text(form, "more") in ROWS:  # "Add another" without JavaScript: the form again, a row more
        return _page(request, viewer, read.with_blank_rows(text(form, "more")), party_id)

    def write(conn: sa.Connection) -> int:
        data = as_input(domain.PartyInput, _body(read, party_id is None), domain.RESOURCE)
        if party_id is None:
            return domain.create_party(conn, viewer.principal, data)
        domain.update_party(conn, viewer.principal, party_id, data)
        return party_id

    try:
        saved = await database(request).write(write)
    except ValidationFailed as failure:
        errors = FieldErrors.of_failure(failure)
        return _page(request, viewer, read, party_id, errors, 422)
    return redirect(f"/parties/{saved}")


async def create(request: Request, viewer: Viewer) -> Response:
    return await _save(request, viewer, None)


async def update(request: Request, viewer: Viewer) -> Response:
    return await _save(request, viewer, path_id(request))


async def confirm_delete(request: Request, viewer: Viewer) -> Response:
    party_id = path_id(request)
    party = await database(request).read(store.find, viewer.account_id, party_id)
    if party is None:
        raise NotFound()
    return render(request, "party_delete.html", viewer, party=party)


async def delete(request: Request, viewer: Viewer) -> Response:
    party_id = path_id(request)
    await database(request).write(domain.delete_party, viewer.principal, party_id)
    return redirect("/parties")


ROUTES = [
    Route("/parties/new", screen(new), methods=["GET"]),
    Route("/parties", screen(create), methods=["POST"]),
    Route("/parties/{id}/edit", screen(edit), methods=["GET"]),
    Route("/parties/{id}/edit", screen(update), methods=["POST"]),
    Route("/parties/{id}/delete", screen(confirm_delete), methods=["GET"]),
    Route("/parties/{id}/delete", screen(delete), methods=["POST"]),
]
