"""Filters: the fields of parties, opportunities, projects and activities (entries), and a page
of the records that meet a filter's conditions (each compiled by `filter_kinds`), in the order
asked; the total value of the opportunities a filter selects.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from pillbox.store.activity_filters import ACTIVITY_FIELDS, ACTIVITY_ORDER
from pillbox.store.filter_kinds import (
    Condition,
    Expr,
    Field,
    Scope,
    Test,
    child_field,
    custom_field,
    flag,
    has_field,
    ids_test,
    match,
    named,
    number_test,
    owner_field,
    reference_field,
    string_test,
    tag_field,
    team_field,
)
from pillbox.store.tables import (
    addresses,
    boards,
    email_addresses,
    entries,
    kase_parties,
    kases,
    lost_reasons,
    milestones,
    opportunities,
    opportunity_parties,
    parties,
    phone_numbers,
    pipelines,
    record_tags,
    stages,
    tasks,
    websites,
)

# -- parties --------------------------------------------------------------------------------------


def _party_name(table: sa.Table = parties) -> Expr:
    person = sa.func.trim(
        sa.func.coalesce(table.c.first_name, "") + " " + sa.func.coalesce(table.c.last_name, "")
    )
    return sa.case((table.c.type == "person", person), else_=table.c.name)


_organisations = parties.alias("organisation")


def _organisation_field(inner: Field) -> Field:
    """A field of a person's organisation (`org.name`, `org.tag`, `org.custom:N`)."""

    def build(scope: Scope, test: Test) -> Condition:
        negative = test.operator == "is not" and test.value is not None
        positive = Test("is", test.value) if negative else test
        matching = sa.select(parties.c.id).where(
            parties.c.account_id == scope.account_id, inner.build(scope, positive)
        )
        member = parties.c.organisation_id.in_(matching)
        return sa.or_(parties.c.organisation_id.is_(None), sa.not_(member)) if negative else member

    return Field(inner.kind, build)


def _column(expr: Expr, kind: str, choices: tuple[str, ...] = ()) -> Field:
    return Field(kind, lambda scope, test: match(expr, kind, test, scope), choices)


PARTY_FIELDS: dict[str, Field] = {
    "id": _column(parties.c.id, "number"),
    "name": _column(_party_name(), "string"),
    "title": _column(parties.c.title, "string"),
    "jobTitle": _column(parties.c.job_title, "string"),
    "type": _column(parties.c.type, "string", ("person", "organisation")),
    "email": child_field(email_addresses, "address"),
    "phone": child_field(phone_numbers, "number"),
    "website": child_field(websites, "address"),
    "city": child_field(addresses, "city"),
    "zip": child_field(addresses, "zip"),
    "state": child_field(addresses, "state"),
    "country": child_field(addresses, "country"),
    "tag": tag_field("parties", parties.c.id),
    "owner": owner_field(parties),
    "team": team_field(parties),
    "hasEmailAddress": has_field(parties.c.id, sa.select(email_addresses.c.party_id)),
    "hasPhoneNumber": has_field(parties.c.id, sa.select(phone_numbers.c.party_id)),
    "hasAddress": has_field(parties.c.id, sa.select(addresses.c.party_id)),
    "hasPeople": has_field(
        parties.c.id,
        sa.select(_organisations.c.organisation_id).where(
            _organisations.c.organisation_id.is_not(None)
        ),
    ),
    "hasTags": has_field(
        parties.c.id,
        sa.select(record_tags.c.record_id).where(record_tags.c.entity == "parties"),
    ),
    "hasOpenTasks": has_field(
        parties.c.id, sa.select(tasks.c.party_id).where(tasks.c.status == "OPEN")
    ),
    "hasOpportunities": has_field(parties.c.id, sa.select(opportunities.c.party_id)),
    "hasCases": has_field(parties.c.id, sa.select(kases.c.party_id)),
    "addedOn": _column(parties.c.created_at, "time"),
    "updatedOn": _column(parties.c.updated_at, "time"),
    "lastContactedOn": _column(parties.c.last_contacted_at, "time"),
}
PARTY_FIELDS["org.name"] = _organisation_field(PARTY_FIELDS["name"])
PARTY_FIELDS["org.tag"] = _organisation_field(PARTY_FIELDS["tag"])


# -- opportunities and projects -------------------------------------------------------------------


def _opportunity_status(scope: Scope, test: Test) -> Condition:
    closed = opportunities.c.closed_on.is_not(None)
    states = {
        "open": sa.not_(closed),
        "closed": closed,
        "won": sa.and_(closed, opportunities.c.probability > 0),
        "lost": sa.and_(closed, opportunities.c.probability == 0),
    }
    holds = states[str(test.value).lower()]
    return holds if test.operator == "is" else sa.not_(holds)


def _stale(scope: Scope, test: Test) -> Condition:
    """Open, and longer at its milestone than the milestone's `daysUntilStale`."""
    days = sa.select(milestones.c.days_until_stale).where(
        milestones.c.id == opportunities.c.milestone_id
    )
    since = sa.func.coalesce(opportunities.c.last_stage_changed_at, opportunities.c.created_at)
    last_change = sa.func.substr(since, 1, 10)  # its day, YYYY-MM-DD
    limit = days.scalar_subquery()
    holds = sa.and_(
        opportunities.c.closed_on.is_(None),
        limit.is_not(None),
        _days_after(last_change, limit) < scope.today.isoformat(),
    )
    return flag(holds, test)


def _days_after(day: Expr, days: Expr) -> Expr:
    """`day` (YYYY-MM-DD text) plus a number of days, as YYYY-MM-DD text, on either database."""
    return _DaysAfter(day, days)


class _DaysAfter(sa.sql.expression.FunctionElement[str]):
    type = sa.String()
    inherit_cache = True
    name = "days_after"


@compiles(_DaysAfter, "sqlite")
def _days_after_sqlite(element: _DaysAfter, compiler: Any, **kw: Any) -> str:
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


@compiles(_DaysAfter, "postgresql")
def _days_after_postgresql(element: _DaysAfter, compiler: Any, **kw: Any) -> str:
    day, days = list(element.clauses)
    return (
        f"to_char(CAST({compiler.process(day, **kw)} AS date) + "
        f"CAST({compiler.process(days, **kw)} AS integer), 'YYYY-MM-DD')"
    )


def _expected_value(scope: Scope, test: Test) -> Condition:
    """A number, or `{"currency", "amount"}` (the amount compared, in that currency)."""
    amount = sa.cast(opportunities.c.value_amount, sa.Numeric)
    if isinstance(test.value, dict):
        in_currency = sa.func.upper(opportunities.c.value_currency) == test.value["currency"]
        return sa.and_(in_currency, number_test(amount, Test(test.operator, test.value["amount"])))
    return number_test(amount, test)


def _linked_party(main: Expr, links: sa.Table, record_id: Expr, link_column: str) -> Field:
    """A party the record is with: its main party or an additional one."""

    def build(scope: Scope, test: Test) -> Condition:
        if test.value is None:  # every record has a party
            return sa.false() if test.operator == "is" else sa.true()
        party = sa.literal(test.value, sa.Numeric())  # any number: it may be no id at all
        extra = sa.select(links.c[link_column]).where(links.c.party_id == party)
        holds = sa.or_(main == party, record_id.in_(extra))
        return holds if test.operator == "is" else sa.not_(holds)

    return Field("number", build)


def _contact_name(column: Expr) -> Field:
    def build(scope: Scope, test: Test) -> Condition:
        negative = test.operator == "is not" and test.value is not None
        positive = Test("is", test.value) if negative else test
        matching = sa.select(parties.c.id).where(
            parties.c.account_id == scope.account_id, string_test(_party_name(), positive)
        )
        return column.not_in(matching) if negative else column.in_(matching)

    return Field("string", build)


def _milestones_of(scope: Scope, test: Test) -> Any:
    return sa.select(milestones.c.id).where(
        milestones.c.pipeline_id.in_(named(pipelines, test, scope, "name"))
    )


def _pipeline(scope: Scope, test: Test) -> Condition:
    candidates = None if test.value is None else _milestones_of(scope, test)
    return ids_test(opportunities.c.milestone_id, candidates, test)


def _conversion(scope: Scope, test: Test) -> Condition:
    counted = sa.select(lost_reasons.c.id).where(lost_reasons.c.included_for_conversion.is_(True))
    return flag(opportunities.c.lost_reason_id.in_(counted), test)


def _open_tasks(column: str) -> sa.Select[Any]:
    return sa.select(tasks.c[column]).where(tasks.c.status == "OPEN")


OPPORTUNITY_FIELDS: dict[str, Field] = {
    "id": _column(opportunities.c.id, "number"),
    "name": _column(opportunities.c.name, "string"),
    "status": Field("string", _opportunity_status, ("open", "closed", "won", "lost")),
    "pipeline": Field("reference", _pipeline),
    "milestone": reference_field(opportunities.c.milestone_id, milestones, "name"),
    "probability": _column(opportunities.c.probability, "number"),
    "lostReason": reference_field(opportunities.c.lost_reason_id, lost_reasons, "name"),
    "currency": _column(opportunities.c.value_currency, "string"),
    "expectedValue": Field("money", _expected_value),
    "tag": tag_field("opportunities", opportunities.c.id),
    "owner": owner_field(opportunities),
    "team": team_field(opportunities),
    "isOpen": Field("boolean", lambda scope, test: flag(opportunities.c.closed_on.is_(None), test)),
    "isStale": Field("boolean", _stale),
    "isOwnedByMe": Field(
        "boolean", lambda scope, test: flag(opportunities.c.owner_id == scope.user_id, test)
    ),
    "hasTags": has_field(
        opportunities.c.id,
        sa.select(record_tags.c.record_id).where(record_tags.c.entity == "opportunities"),
    ),
    "hasOpenTasks": has_field(opportunities.c.id, _open_tasks("opportunity_id")),
    "includedForConversion": Field("boolean", _conversion),
    "addedOn": _column(opportunities.c.created_at, "time"),
    "updatedOn": _column(opportunities.c.updated_at, "time"),
    "lastContactedOn": _column(opportunities.c.last_contacted_at, "time"),
    "closedOn": _column(opportunities.c.closed_on, "date"),
    "expectedCloseOn": _column(opportunities.c.expected_close_on, "date"),
    "party": _linked_party(
        opportunities.c.party_id, opportunity_parties, opportunities.c.id, "opportunity_id"
    ),
    "primaryContact": _column(opportunities.c.party_id, "number"),
    "primaryContactName": _contact_name(opportunities.c.party_id),
}


def _stages_of(scope: Scope, test: Test) -> Any:
    return sa.select(stages.c.id).where(stages.c.board_id.in_(named(boards, test, scope, "name")))


def _board(scope: Scope, test: Test) -> Condition:
    candidates = None if test.value is None else _stages_of(scope, test)
    return ids_test(kases.c.stage_id, candidates, test)


KASE_FIELDS: dict[str, Field] = {
    "id": _column(kases.c.id, "number"),
    "name": _column(kases.c.name, "string"),
    "status": _column(kases.c.status, "string", ("open", "closed")),
    "board": Field("reference", _board),
    "stage": reference_field(kases.c.stage_id, stages, "name"),
    "tag": tag_field("kases", kases.c.id),
    "owner": owner_field(kases),
    "team": team_field(kases),
    "isOpen": Field("boolean", lambda scope, test: flag(kases.c.status == "OPEN", test)),
    "isOwnedByMe": Field(
        "boolean", lambda scope, test: flag(kases.c.owner_id == scope.user_id, test)
    ),
    "hasTags": has_field(
        kases.c.id, sa.select(record_tags.c.record_id).where(record_tags.c.entity == "kases")
    ),
    "hasOpenTasks": has_field(kases.c.id, _open_tasks("kase_id")),
    "addedOn": _column(kases.c.created_at, "time"),
    "updatedOn": _column(kases.c.updated_at, "time"),
    "closedOn": _column(kases.c.closed_on, "date"),
    "expectedCloseOn": _column(kases.c.expected_close_on, "date"),
    "startOn": _column(kases.c.start_on, "date"),
    "primaryContact": _column(kases.c.party_id, "number"),
    "primaryContactName": _contact_name(kases.c.party_id),
    "party": _linked_party(kases.c.party_id, kase_parties, kases.c.id, "kase_id"),
}


# -- entities -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    table: sa.Table
    fields: dict[str, Field]
    order: dict[str, Expr]  # orderBy fields


ENTITIES = {
    "parties": Entity(
        parties,
        PARTY_FIELDS,
        {
            "id": parties.c.id,
            "name": sa.func.lower(_party_name()),
            "addedOn": parties.c.created_at,
            "updatedOn": parties.c.updated_at,
            "lastContactedOn": parties.c.last_contacted_at,
        },
    ),
    "opportunities": Entity(
        opportunities,
        OPPORTUNITY_FIELDS,
        {
            "id": opportunities.c.id,
            "name": sa.func.lower(opportunities.c.name),
            "addedOn": opportunities.c.created_at,
            "updatedOn": opportunities.c.updated_at,
            "closedOn": opportunities.c.closed_on,
            "expectedCloseOn": opportunities.c.expected_close_on,
            "probability": opportunities.c.probability,
            "expectedValue": sa.cast(opportunities.c.value_amount, sa.Numeric),
        },
    ),
    "activities": Entity(entries, ACTIVITY_FIELDS, ACTIVITY_ORDER),
    "kases": Entity(
        kases,
        KASE_FIELDS,
        {
            "id": kases.c.id,
            "name": sa.func.lower(kases.c.name),
            "addedOn": kases.c.created_at,
            "updatedOn": kases.c.updated_at,
            "closedOn": kases.c.closed_on,
            "expectedCloseOn": kases.c.expected_close_on,
            "startOn": kases.c.start_on,
        },
    ),
}


def field(conn: sa.Connection, account_id: int, entity: str, name: str) -> Field | None:
    """The field a condition names, custom fields (`custom:N`, `org.custom:N`) included."""
    found = ENTITIES[entity].fields.get(name)
    if found is not None:
        return found
    organisation = entity == "parties" and name.startswith("org.")
    key = name[4:] if organisation else name
    prefix, _, number = key.partition(":")
    if prefix != "custom" or not number.isascii() or not number.isdigit() or len(number) > 9:
        return None
    record_id = ENTITIES[entity].table.c.id
    custom = custom_field(conn, account_id, entity, int(number), record_id)
    if custom is None or not organisation:
        return custom
    return _organisation_field(custom)


def page_ids(
    conn: sa.Connection,
    entity: str,
    account_id: int,
    conditions: list[Condition],
    order: list[tuple[str, bool]],
    offset: int,
    limit: int,
) -> list[int]:
    """A page of the ids of the account's records that meet every condition, in `order`
    ((orderBy field, descending) pairs), then by id."""
    described = ENTITIES[entity]
    table = described.table
    sort = [
        described.order[name].desc() if descending else described.order[name].asc()
        for name, descending in order
    ]
    query = (
        sa.select(table.c.id)
        .where(table.c.account_id == account_id, *conditions)
        .order_by(*sort, table.c.id)
        .limit(limit)
        .offset(offset)
    )
    return list(conn.scalars(query))


def opportunity_value(
    conn: sa.Connection, account_id: int, conditions: list[Condition], currency: str
) -> tuple[Decimal, Decimal]:
    """(sum of values, sum of values weighed by probability) of the account's opportunities in
    `currency` that meet every condition: one statement."""
    amount = sa.cast(opportunities.c.value_amount, sa.Numeric)
    query = sa.select(
        sa.func.coalesce(sa.func.sum(amount), 0),
        sa.func.coalesce(sa.func.sum(amount * opportunities.c.probability), 0),
    ).where(
        opportunities.c.account_id == account_id,
        opportunities.c.value_currency == currency,
        *conditions,
    )
    total, weighed = conn.execute(query).one()
    return Decimal(str(total)), Decimal(str(weighed)) / 100
