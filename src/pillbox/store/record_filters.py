"""The fields an opportunities or a projects filter tests: their own columns, status,
pipeline or board, value, the parties they are with, tags and open tasks."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from pillbox.store.filter_kinds import (
    Condition,
    Expr,
    Field,
    Scope,
    Test,
    column_field,
    flag,
    has_field,
    ids_test,
    named,
    number_test,
    owner_field,
    party_name,
    reference_field,
    string_test,
    tag_field,
    team_field,
)
from pillbox.store.tables.boards import boards, stages
from pillbox.store.tables.kases import kase_parties, kases
from pillbox.store.tables.opportunities import (
    lost_reasons,
    milestones,
    opportunities,
    opportunity_parties,
    pipelines,
)
from pillbox.store.tables.parties import parties
from pillbox.store.tables.records import record_tags
from pillbox.store.tables.tasks import tasks


def _opportunity_status(scope: Scope, test: Test) -> Condition:
    if test.value is None:  # every opportunity has a status
        return sa.false() if test.operator == "is" else sa.true()
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
            parties.c.account_id == scope.account_id, string_test(party_name(), positive)
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
    "id": column_field(opportunities.c.id, "number"),
    "name": column_field(opportunities.c.name, "string"),
    "status": Field("string", _opportunity_status, ("open", "closed", "won", "lost")),
    "pipeline": Field("reference", _pipeline),
    "milestone": reference_field(opportunities.c.milestone_id, milestones, "name"),
    "probability": column_field(opportunities.c.probability, "number"),
    "lostReason": reference_field(opportunities.c.lost_reason_id, lost_reasons, "name"),
    "currency": column_field(opportunities.c.value_currency, "string"),
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
    "addedOn": column_field(opportunities.c.created_at, "time"),
    "updatedOn": column_field(opportunities.c.updated_at, "time"),
    "lastContactedOn": column_field(opportunities.c.last_contacted_at, "time"),
    "closedOn": column_field(opportunities.c.closed_on, "date"),
    "expectedCloseOn": column_field(opportunities.c.expected_close_on, "date"),
    "party": _linked_party(
        opportunities.c.party_id, opportunity_parties, opportunities.c.id, "opportunity_id"
    ),
    "primaryContact": column_field(opportunities.c.party_id, "number"),
    "primaryContactName": _contact_name(opportunities.c.party_id),
}


def _stages_of(scope: Scope, test: Test) -> Any:
    return sa.select(stages.c.id).where(stages.c.board_id.in_(named(boards, test, scope, "name")))


def _board(scope: Scope, test: Test) -> Condition:
    candidates = None if test.value is None else _stages_of(scope, test)
    return ids_test(kases.c.stage_id, candidates, test)


KASE_FIELDS: dict[str, Field] = {
    "id": column_field(kases.c.id, "number"),
    "name": column_field(kases.c.name, "string"),
    "status": column_field(kases.c.status, "string", ("open", "closed")),
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
    "addedOn": column_field(kases.c.created_at, "time"),
    "updatedOn": column_field(kases.c.updated_at, "time"),
    "closedOn": column_field(kases.c.closed_on, "date"),
    "expectedCloseOn": column_field(kases.c.expected_close_on, "date"),
    "startOn": column_field(kases.c.start_on, "date"),
    "primaryContact": column_field(kases.c.party_id, "number"),
    "primaryContactName": _contact_name(kases.c.party_id),
    "party": _linked_party(kases.c.party_id, kase_parties, kases.c.id, "kase_id"),
}
