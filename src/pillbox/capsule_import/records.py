"""Converters for parties (with their addresses, phone numbers, websites and email addresses),
opportunities and projects, each with its tags, custom field values and additional parties."""

from decimal import Decimal, InvalidOperation
from typing import Any

from pillbox.capsule_import.rows import Record, Row, fields_of, ref, tags_of

PARTY_CHILDREN = {
    "addresses": ("party_addresses", ("street", "city", "state", "country", "zip")),
    "phoneNumbers": ("party_phone_numbers", ("number",)),
    "websites": ("party_websites", ("service", "address", "url")),
    "emailAddresses": ("party_email_addresses", ("address",)),
}


def party(wire: dict[str, Any], _now: str) -> Record:
    organisation = wire["type"] == "organisation"
    name = wire.get("name") if organisation else None
    row: Row = {
        "id": wire["id"],
        "type": wire["type"],
        "first_name": None if organisation else wire.get("firstName"),
        "last_name": None if organisation else wire.get("lastName"),
        "title": None if organisation else wire.get("title"),
        "job_title": None if organisation else wire.get("jobTitle"),
        "name": name,
        "organisation_key": name.strip().lower() if isinstance(name, str) else None,
        "about": wire.get("about"),
        "organisation_id": None,
        "owner_id": ref(wire.get("owner")),
        "team_id": ref(wire.get("team")),
        "created_at": wire["createdAt"],
        "updated_at": wire["updatedAt"],
        "last_contacted_at": wire.get("lastContactedAt"),
    }
    children: list[tuple[str, Row]] = []
    for key, (table, columns) in PARTY_CHILDREN.items():
        for item in wire.get(key) or []:
            child = {"id": item["id"], "party_id": wire["id"], "type": item.get("type")}
            children.append((table, child | {c: item.get(c) for c in columns}))
    children += tags_of("parties", wire) + fields_of("parties", wire)
    organisation_id = ref(wire.get("organisation"))
    later = {"organisation_id": ("parties", organisation_id)} if organisation_id else {}
    return Record("parties", row, children, later)


def _amount(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, dict) or value.get("amount") is None:
        return None, None
    try:
        amount = Decimal(str(value["amount"]))
    except InvalidOperation:
        return None, None
    return format(amount.normalize(), "f"), value.get("currency")


def _additional(link: str, wire: dict[str, Any], parties: list[int]) -> list[tuple[str, Row]]:
    table = f"{link}_parties"
    return [(table, {f"{link}_id": wire["id"], "party_id": party_id}) for party_id in parties]


def opportunity(wire: dict[str, Any], parties: list[int]) -> Record:
    amount, currency = _amount(wire.get("value"))
    row: Row = {
        "id": wire["id"],
        "party_id": ref(wire.get("party")),
        "name": wire["name"],
        "description": wire.get("description"),
        "owner_id": ref(wire.get("owner")),
        "team_id": ref(wire.get("team")),
        "milestone_id": ref(wire.get("milestone")),
        "last_open_milestone_id": ref(wire.get("lastOpenMilestone")),
        "lost_reason_id": ref(wire.get("lostReason")),
        "value_amount": amount,
        "value_currency": currency,
        "expected_close_on": wire.get("expectedCloseOn"),
        "probability": wire.get("probability") or 0,
        "duration_basis": wire.get("durationBasis") or "FIXED",
        "duration": wire.get("duration"),
        "closed_on": wire.get("closedOn"),
        "created_at": wire["createdAt"],
        "updated_at": wire["updatedAt"],
        "last_contacted_at": wire.get("lastContactedAt"),
        "last_stage_changed_at": wire.get("lastStageChangedAt"),
    }
    children = tags_of("opportunities", wire) + fields_of("opportunities", wire)
    return Record("opportunities", row, children + _additional("opportunity", wire, parties))


def kase(wire: dict[str, Any], parties: list[int]) -> Record:
    row: Row = {
        "id": wire["id"],
        "party_id": ref(wire.get("party")),
        "name": wire["name"],
        "description": wire.get("description"),
        "owner_id": ref(wire.get("owner")),
        "team_id": ref(wire.get("team")),
        "status": wire.get("status") or "OPEN",
        "opportunity_id": ref(wire.get("opportunity")),
        "stage_id": ref(wire.get("stage")),
        "expected_close_on": wire.get("expectedCloseOn"),
        "start_on": wire.get("startOn"),
        "closed_on": wire.get("closedOn"),
        "created_at": wire["createdAt"],
        "updated_at": wire["updatedAt"],
        "last_contacted_at": wire.get("lastContactedAt"),
    }
    children = tags_of("kases", wire) + fields_of("kases", wire)
    return Record("kases", row, children + _additional("kase", wire, parties))
