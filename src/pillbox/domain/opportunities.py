"""Opportunities: what a valid one is, and how milestones open, win and lose them.

Capsule's rules, as its reference and observed behaviour give them:
- a milestone with `complete: true` closes the opportunity: `closedOn` becomes today,
  `probability` the milestone's (100 won, 0 lost) and `lastOpenMilestone` keeps the milestone it
  left; moving back to an open milestone clears `closedOn` and the lost reason;
- `probability` follows the milestone unless sent, and is refused on a closed opportunity;
- a lost reason is kept only on an opportunity closed as lost (a complete milestone at 0%), and
  silently dropped otherwise;
- `duration` counts `durationBasis` units, and is empty for the FIXED basis.

Marked won or lost in one step (`close_opportunity`, as the web interface does), it moves to its
pipeline's complete milestone at 100% or 0%, and lost needs a lost reason when the account has
any (an update through the API may still leave it out).
"""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from pydantic import Field, StrictFloat, StrictInt

from pillbox import reference, timestamps
from pillbox.domain import changes, party_records
from pillbox.domain.base import InputModel, LongText, Ref, RefIn, Text, required_name
from pillbox.domain.fields import FieldIn
from pillbox.domain.ownership import check_owner_in_team, resolve_owner, resolve_team
from pillbox.domain.party_records import PartyRecordKind
from pillbox.domain.records import main_party_id, optional_date, today
from pillbox.domain.tags import TagIn
from pillbox.domain.tracks import TrackOnCreateIn
from pillbox.errors import ValidationFailed
from pillbox.store import additional_parties, pipelines
from pillbox.store import opportunities as store
from pillbox.store.accounts import Principal

RESOURCE = "opportunity"
ENTITY = "opportunities"
DURATION_BASES = ("FIXED", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR")
MAX_AMOUNT = Decimal("1e15")
FIELDS = (
    changes.plain("name", "name"),
    changes.plain("description", "description"),
    changes.ref("party", "party_id"),
    changes.ref("owner", "owner_id"),
    changes.ref("team", "team_id"),
    changes.ref("milestone", "milestone_id"),
    changes.ref("lastOpenMilestone", "last_open_milestone_id"),
    changes.ref("lostReason", "lost_reason_id"),
    changes.Field("value", ("value_amount", "value_currency"), ("amount", "currency")),
    changes.plain("expectedCloseOn", "expected_close_on"),
    changes.plain("probability", "probability"),
    changes.plain("durationBasis", "duration_basis"),
    changes.plain("duration", "duration"),
    changes.plain("closedOn", "closed_on"),
)
KIND = PartyRecordKind(
    resource=RESOURCE,
    entity=ENTITY,
    store=store.RECORDS,
    links=additional_parties.OPPORTUNITIES,
    fields=FIELDS,
    moved_by="milestone_id",
    closes=lambda changed: changed.get("closed_on") is not None,
)


class ValueIn(InputModel):
    amount: StrictInt | StrictFloat | Annotated[str, Field(max_length=40)] | None = None
    currency: Annotated[str, Field(max_length=3)] | None = None


class OpportunityInput(InputModel):
    party: RefIn | None = None
    name: Text | None = None
    description: LongText | None = None
    owner: RefIn | None = None
    team: RefIn | None = None
    milestone: RefIn | None = None
    lost_reason: RefIn | None = None
    value: ValueIn | None = None
    expected_close_on: Annotated[str, Field(max_length=10)] | None = None
    probability: Annotated[int, Field(ge=0, le=100)] | None = None
    duration_basis: Literal[DURATION_BASES] | None = None  # type: ignore[valid-type]
    duration: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    tags: list[TagIn] | None = None
    fields: list[FieldIn] | None = None
    tracks: Annotated[list[TrackOnCreateIn], Field(max_length=20)] | None = None  # create only


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed.single(message, RESOURCE, field)


def _milestone(conn: sa.Connection, account_id: int, ref: Ref | None) -> Any:
    if ref is None:
        raise _fail("milestone is required", "milestone")
    found = pipelines.find_milestone(conn, account_id, ref.id) if ref.id is not None else None
    if found is None:
        raise _fail("milestone not found", "milestone")
    return found


def _value(value: ValueIn | None) -> dict[str, Any]:
    """Columns for `value`: null clears it; an amount needs an ISO 4217 currency."""
    if value is None or (value.amount is None and value.currency is None):
        return {"value_amount": None, "value_currency": None}
    if value.amount is None:
        raise _fail("amount is required", "value.amount")
    try:
        amount = Decimal(str(value.amount).strip())
    except InvalidOperation:
        raise _fail("amount must be a number", "value.amount") from None
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise _fail("amount must be a number", "value.amount")
    if value.currency is None:
        raise _fail("currency is required", "value.currency")
    currency = value.currency.upper()
    if currency not in reference.currency_codes():
        raise _fail("currency is invalid", "value.currency")
    return {"value_amount": format(amount.normalize(), "f"), "value_currency": currency}


def _check_duration(basis: str, duration: int | None) -> None:
    if basis == "FIXED" and duration is not None:
        raise _fail("duration must be empty when durationBasis is FIXED", "duration")
    if basis != "FIXED" and duration is None:
        raise _fail("duration is required when durationBasis is not FIXED", "duration")


def _is_lost(milestone: Any, probability: int) -> bool:
    return bool(milestone.complete) and probability == 0


def _lost_reason_id(conn: sa.Connection, account_id: int, ref: Ref | None) -> int | None:
    if ref is None:
        return None
    if ref.id is None or not pipelines.load_lost_reasons(conn, account_id, [ref.id]):
        raise _fail("lost reason not found", "lostReason")
    return ref.id


def create_opportunity(conn: sa.Connection, who: Principal, data: OpportunityInput) -> int:
    account_id = who.account_id
    name = required_name(data.name, RESOURCE)
    party_id = main_party_id(conn, account_id, data.party, RESOURCE)
    milestone = _milestone(conn, account_id, data.milestone)
    if milestone.complete and data.probability is not None:
        raise _fail("probability can be updated only for open opportunity", "probability")
    probability = data.probability if data.probability is not None else milestone.probability
    basis = data.duration_basis or "FIXED"
    _check_duration(basis, data.duration)
    now = timestamps.now()
    values: dict[str, Any] = {
        "account_id": account_id,
        "party_id": party_id,
        "name": name,
        "description": data.description,
        "owner_id": resolve_owner(conn, account_id, data.owner, RESOURCE)
        if data.sent("owner")
        else who.user_id,
        "team_id": resolve_team(conn, account_id, data.team, RESOURCE),
        "milestone_id": milestone.id,
        "last_open_milestone_id": None if milestone.complete else milestone.id,
        "lost_reason_id": _lost_reason_id(conn, account_id, data.lost_reason)
        if _is_lost(milestone, probability)
        else None,
        **_value(data.value),
        "expected_close_on": optional_date(data.expected_close_on, RESOURCE, "expectedCloseOn"),
        "probability": probability,
        "duration_basis": basis,
        "duration": data.duration,
        "closed_on": today() if milestone.complete else None,
        "created_at": now,
        "updated_at": now,
        "last_stage_changed_at": now,
    }
    check_owner_in_team(conn, values, RESOURCE)
    return party_records.insert(conn, who, KIND, values, data)


def update_opportunity(
    conn: sa.Connection, who: Principal, opportunity_id: int, data: OpportunityInput
) -> None:
    account_id = who.account_id
    current = KIND.found(conn, account_id, opportunity_id)
    values = _plain_changes(conn, account_id, data)
    values.update(_milestone_changes(conn, account_id, current, data))
    merged = {**current._asdict(), **values}
    _check_duration(merged["duration_basis"], merged["duration"])
    if "owner_id" in values or "team_id" in values:
        check_owner_in_team(conn, merged, RESOURCE)
    party_records.save(conn, who, KIND, current, values, data)


def move_opportunity(
    conn: sa.Connection, who: Principal, opportunity_id: int, data: OpportunityInput
) -> None:
    """A move on a board: the update the API makes, and one rule more. Closing as lost asks for
    a lost reason when the account has any (the API, as Capsule's, leaves it optional)."""
    KIND.found(conn, who.account_id, opportunity_id)
    found = data.milestone
    milestone = None
    if found is not None and found.id is not None:
        milestone = pipelines.find_milestone(conn, who.account_id, found.id)
    closing_as_lost = milestone is not None and _is_lost(milestone, milestone.probability)
    if closing_as_lost and data.lost_reason is None and lost_reason_required(conn, who.account_id):
        raise _fail("lost reason is required", "lostReason")
    update_opportunity(conn, who, opportunity_id, data)


def _plain_changes(conn: sa.Connection, account_id: int, data: OpportunityInput) -> dict[str, Any]:
    """Columns for the properties sent that do not depend on the milestone."""
    values = party_records.shared_changes(conn, account_id, KIND, data)
    if data.sent("value"):
        values.update(_value(data.value))
    if data.sent("expected_close_on"):
        values["expected_close_on"] = optional_date(
            data.expected_close_on, RESOURCE, "expectedCloseOn"
        )
    if data.sent("duration_basis"):
        values["duration_basis"] = data.duration_basis or "FIXED"
    if data.sent("duration"):
        values["duration"] = data.duration
    return values


def _milestone_changes(
    conn: sa.Connection, account_id: int, current: Any, data: OpportunityInput
) -> dict[str, Any]:
    """Milestone, probability, closing and lost reason, which move together."""
    values: dict[str, Any] = {}
    old = pipelines.find_milestone(conn, account_id, current.milestone_id)
    new = old
    if data.sent("milestone"):
        new = _milestone(conn, account_id, data.milestone)
    if new.complete and data.sent("probability"):
        raise _fail("probability can be updated only for open opportunity", "probability")
    if new.id != old.id:
        values.update(milestone_id=new.id, last_stage_changed_at=timestamps.now())
        values["probability"] = new.probability
        if new.complete:
            values["closed_on"] = current.closed_on if old.complete else today()
            if not old.complete:
                values["last_open_milestone_id"] = old.id
        else:
            values.update(closed_on=None, last_open_milestone_id=new.id)
    if data.sent("probability") and data.probability is not None:
        values["probability"] = data.probability
    probability = values.get("probability", current.probability)
    if not _is_lost(new, probability):
        values["lost_reason_id"] = None
    elif data.sent("lost_reason"):
        values["lost_reason_id"] = _lost_reason_id(conn, account_id, data.lost_reason)
    return values


def lost_reason_required(conn: sa.Connection, account_id: int) -> bool:
    """Marking an opportunity lost asks for a reason once the account has any to give."""
    return bool(pipelines.lost_reason_page_ids(conn, account_id, 0, 1, None))


def close_opportunity(
    conn: sa.Connection, who: Principal, opportunity_id: int, won: bool, lost_reason: Ref | None
) -> None:
    """Marks it won or lost: moved to its pipeline's first complete milestone at 100% or at 0%,
    through update_opportunity (so its hooks and history are the same). Marking it lost takes a
    lost reason, required when the account has any."""
    current = KIND.found(conn, who.account_id, opportunity_id)
    pipeline_id = pipelines.find_milestone(conn, who.account_id, current.milestone_id).pipeline_id
    wanted = 100 if won else 0
    milestones = pipelines.milestones_of(conn, pipeline_id)
    target = next((m for m in milestones if m.complete and m.probability == wanted), None)
    outcome = "won" if won else "lost"
    if target is None:
        raise _fail(f"the pipeline has no {outcome} milestone", "milestone")
    if won:
        data = OpportunityInput(milestone=Ref(id=target.id))
    elif lost_reason is None and lost_reason_required(conn, who.account_id):
        raise _fail("lost reason is required", "lostReason")
    else:
        data = OpportunityInput(milestone=Ref(id=target.id), lost_reason=lost_reason)
    update_opportunity(conn, who, opportunity_id, data)


def delete_opportunity(conn: sa.Connection, who: Principal, opportunity_id: int) -> None:
    party_records.delete(conn, who, KIND, opportunity_id)


def delete_party_opportunities(conn: sa.Connection, who: Principal, party_id: int) -> None:
    """A deleted party takes the opportunities it is the main party of along, as in Capsule."""
    party_records.delete_of_party(conn, who, KIND, party_id)


def add_party(conn: sa.Connection, who: Principal, opportunity_id: int, party_id: int) -> None:
    party_records.add_party(conn, who, KIND, opportunity_id, party_id)


def remove_party(conn: sa.Connection, who: Principal, opportunity_id: int, party_id: int) -> None:
    party_records.remove_party(conn, who, KIND, opportunity_id, party_id)
