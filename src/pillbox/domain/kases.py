"""Projects (Capsule's "kases"): what a valid one is, how it closes, and where it sits.

- `party` and `name` are required; an owner or a team is required (the owner defaults to the
  token's user); an owner must belong to the project's team.
- `status` is OPEN or CLOSED: closing sets `closedOn` to today, reopening clears it.
- `stage` puts the project on that stage's board; null takes it off any board.
- `opportunity` links the opportunity the project serves (one of the account's).
"""

from typing import Annotated, Any, Literal

import sqlalchemy as sa
from pydantic import Field

from pillbox import timestamps
from pillbox.domain import changes, party_records
from pillbox.domain.base import InputModel, LongText, Ref, RefIn, Text
from pillbox.domain.fields import FieldIn
from pillbox.domain.ownership import check_owner_in_team
from pillbox.domain.party_records import PartyRecordKind
from pillbox.domain.records import optional_date, today
from pillbox.domain.tags import TagIn
from pillbox.domain.tracks import TrackOnCreateIn
from pillbox.errors import ValidationFailed
from pillbox.store import additional_parties, boards
from pillbox.store import kases as store
from pillbox.store import opportunities as opportunity_store
from pillbox.store.accounts import Principal

RESOURCE = "kase"
ENTITY = "kases"
Day = Annotated[str, Field(max_length=10)]
FIELDS = (
    changes.plain("name", "name"),
    changes.plain("description", "description"),
    changes.ref("party", "party_id"),
    changes.ref("owner", "owner_id"),
    changes.ref("team", "team_id"),
    changes.plain("status", "status"),
    changes.ref("opportunity", "opportunity_id"),
    changes.ref("stage", "stage_id"),
    changes.plain("expectedCloseOn", "expected_close_on"),
    changes.plain("startOn", "start_on"),
    changes.plain("closedOn", "closed_on"),
)
KIND = PartyRecordKind(
    resource=RESOURCE,
    entity=ENTITY,
    store=store.RECORDS,
    links=additional_parties.KASES,
    fields=FIELDS,
    moved_by="stage_id",
    closes=lambda changed: changed.get("status") == "CLOSED",
)


class KaseInput(InputModel):
    party: RefIn | None = None
    name: Text | None = None
    description: LongText | None = None
    owner: RefIn | None = None
    team: RefIn | None = None
    status: Literal["OPEN", "CLOSED"] | None = None
    opportunity: RefIn | None = None
    stage: RefIn | None = None
    expected_close_on: Day | None = None
    start_on: Day | None = None
    tags: list[TagIn] | None = None
    fields: list[FieldIn] | None = None
    tracks: Annotated[list[TrackOnCreateIn], Field(max_length=20)] | None = None  # create only


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed.single(message, RESOURCE, field)


def _opportunity_id(conn: sa.Connection, account_id: int, ref: Ref | None) -> int | None:
    if ref is None:
        return None
    if ref.id is None or opportunity_store.find(conn, account_id, ref.id) is None:
        raise _fail("opportunity not found", "opportunity")
    return ref.id


def _stage_id(conn: sa.Connection, account_id: int, ref: Ref | None) -> int | None:
    if ref is None:
        return None
    stage = boards.find_stage(conn, account_id, ref.id) if ref.id is not None else None
    if stage is None or stage.archived_at is not None:
        raise _fail("stage not found", "stage")
    return int(stage.id)


def _changes(conn: sa.Connection, account_id: int, data: KaseInput) -> dict[str, Any]:
    """Columns for the properties sent."""
    values = party_records.shared_changes(conn, account_id, KIND, data)
    if data.sent("opportunity"):
        values["opportunity_id"] = _opportunity_id(conn, account_id, data.opportunity)
    if data.sent("stage"):
        values["stage_id"] = _stage_id(conn, account_id, data.stage)
    for name in ("expected_close_on", "start_on"):
        if data.sent(name):
            field = "expectedCloseOn" if name == "expected_close_on" else "startOn"
            values[name] = optional_date(getattr(data, name), RESOURCE, field)
    if data.status is not None:
        values["status"] = data.status
    return values


def _check_assignment(conn: sa.Connection, values: dict[str, Any]) -> None:
    if values.get("owner_id") is None and values.get("team_id") is None:
        raise _fail("owner or team is required", "owner")
    check_owner_in_team(conn, values, RESOURCE)


def create_kase(conn: sa.Connection, who: Principal, data: KaseInput) -> int:
    account_id = who.account_id
    if not data.sent("party"):
        raise _fail("party is required", "party")
    if not data.sent("name"):
        raise _fail("name is required", "name")
    now = timestamps.now()
    values: dict[str, Any] = {
        "account_id": account_id,
        "owner_id": who.user_id,
        "status": "OPEN",
        "created_at": now,
        "updated_at": now,
        **_changes(conn, account_id, data),
    }
    values["closed_on"] = today() if values["status"] == "CLOSED" else None
    _check_assignment(conn, values)
    return party_records.insert(conn, who, KIND, values, data)


def update_kase(conn: sa.Connection, who: Principal, kase_id: int, data: KaseInput) -> None:
    account_id = who.account_id
    current = KIND.found(conn, account_id, kase_id)
    values = _changes(conn, account_id, data)
    if values.get("status", current.status) != current.status:
        values["closed_on"] = today() if values["status"] == "CLOSED" else None
    merged = {**current._asdict(), **values}
    if "owner_id" in values or "team_id" in values:
        _check_assignment(conn, merged)
    party_records.save(conn, who, KIND, current, values, data)


def date_closing(conn: sa.Connection, who: Principal, kase_id: int, day: str) -> None:
    """Dates the closing of a closed project `day` (YYYY-MM-DD) rather than the day it closed,
    as API v1 let a client do; an open project is left as it is."""
    current = KIND.found(conn, who.account_id, kase_id)
    if current.status == "CLOSED" and current.closed_on != day:
        store.update(
            conn, who.account_id, kase_id, {"closed_on": day, "updated_at": timestamps.now()}
        )
        changes.record(conn, who, ENTITY, kase_id, [("closedOn", current.closed_on, day)])


def delete_kase(conn: sa.Connection, who: Principal, kase_id: int) -> None:
    party_records.delete(conn, who, KIND, kase_id)


def delete_party_kases(conn: sa.Connection, who: Principal, party_id: int) -> None:
    """A deleted party takes the projects it is the main party of along, as in Capsule."""
    party_records.delete_of_party(conn, who, KIND, party_id)


def add_party(conn: sa.Connection, who: Principal, kase_id: int, party_id: int) -> None:
    party_records.add_party(conn, who, KIND, kase_id, party_id)


def remove_party(conn: sa.Connection, who: Principal, kase_id: int, party_id: int) -> None:
    party_records.remove_party(conn, who, KIND, kase_id, party_id)
