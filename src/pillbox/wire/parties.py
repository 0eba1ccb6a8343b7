"""A party (person or organisation) as Capsule shows it, with its four sub-collections."""

from typing import Any

import sqlalchemy as sa

from pillbox.domain import parties as domain
from pillbox.store import parties as store
from pillbox.store.accounts import Principal
from pillbox.wire.extras import add_record_extras
from pillbox.wire.nested import (
    ORGANISATION_PICTURE_URL,
    PERSON_PICTURE_URL,
    nested_team,
    nested_user,
)


def to_wire(row: Any, children: dict[str, dict[int, list[dict[str, Any]]]]) -> dict[str, Any]:
    """A party as Capsule sends it, key for key in Capsule's order."""
    party_id = row.id
    owner = None
    if row.owner_id is not None:
        owner = nested_user(row.owner_id, row.owner_username, row.owner_name, row.owner_deleted)
    team = nested_team(row.team_id, row.team_name) if row.team_id is not None else None
    wire: dict[str, Any] = {
        "id": party_id,
        "owner": owner,
        "team": team,
        "type": row.type,
        "about": row.about,
    }
    if row.type == "person":
        organisation = None
        if row.organisation_id is not None:
            organisation = {
                "id": row.organisation_id,
                "type": "organisation",
                "name": row.organisation_name,
                "pictureURL": ORGANISATION_PICTURE_URL,
            }
        wire.update(
            firstName=row.first_name,
            lastName=row.last_name,
            jobTitle=row.job_title,
            createdAt=row.created_at,
            updatedAt=row.updated_at,
            organisation=organisation,
            lastContactedAt=row.last_contacted_at,
            pictureURL=PERSON_PICTURE_URL,
            title=row.title,
        )
    else:
        wire.update(
            name=row.name,
            createdAt=row.created_at,
            updatedAt=row.updated_at,
            lastContactedAt=row.last_contacted_at,
            pictureURL=ORGANISATION_PICTURE_URL,
        )
    wire["enrichment"] = None
    for kind in ("phoneNumbers", "addresses", "emailAddresses", "websites"):
        wire[kind] = children[kind].get(party_id, [])
    return wire


def render(
    conn: sa.Connection, who: Principal, ids: list[int], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows = store.load(conn, who.account_id, ids)
    found = [rows[i] for i in ids if i in rows]
    organisation_ids = [row.organisation_id for row in found if row.organisation_id is not None]
    if "organisation" in embeds and organisation_ids:
        # The full organisations, loaded with the page's sub-collections (no per-row queries).
        organisation_rows = store.load(conn, who.account_id, organisation_ids)
        found_ids = [row.id for row in found] + [i for i in organisation_rows if i not in rows]
        rows.update(organisation_rows)
    else:
        found_ids = [row.id for row in found]
    children = store.load_children(conn, found_ids)
    wires = {i: to_wire(rows[i], children) for i in found_ids}
    if "organisation" in embeds:
        for row in found:
            if row.organisation_id is not None:
                wires[row.id]["organisation"] = wires[row.organisation_id]
    items = [wires[row.id] for row in found]
    kinds = {row.id: row.type for row in found}
    add_record_extras(conn, who.account_id, domain.ENTITY, items, embeds, kinds)
    return items
