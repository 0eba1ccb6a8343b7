"""Opportunities, projects and tasks as CSV rows, each described by a table of its columns.

As with parties, a row is compared with the projection of the record it matches and only the
columns that differ are sent to the domain's update function.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox.domain import kases as kase_domain
from pillbox.domain import opportunities as opportunity_domain
from pillbox.domain import tasks as task_domain
from pillbox.numbers import whole_number
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import milestones, opportunities, pipelines
from pillbox.store.tables.tasks import tasks
from pillbox.transfer import extras, links
from pillbox.transfer.context import Context, RowError
from pillbox.transfer.writing import Sources, applied, validated


@dataclass(frozen=True)
class Column:
    key: str  # the CSV column an export writes
    column: str  # the table's column
    prop: str  # the input model's property
    kind: str = "text"  # text, int, upper, owner, or a links kind (party, milestone, …)


@dataclass(frozen=True)
class Spec:
    entity: str
    table: sa.Table
    columns: tuple[Column, ...]
    model: Any
    create: Callable[..., int]
    update: Callable[..., None]
    match_keys: tuple[str, ...]  # the columns a record is matched by under --match name
    extras: bool = True  # tags and custom fields


OPPORTUNITIES = Spec(
    "opportunities",
    opportunities,
    (
        Column("Name", "name", "name"),
        Column("Description", "description", "description"),
        Column("Party", "party_id", "party", "party"),
        Column("Milestone", "milestone_id", "milestone", "milestone"),
        Column("Value", "value_amount", "value"),
        Column("Currency", "value_currency", "value", "upper"),
        Column("Expected Close Date", "expected_close_on", "expected_close_on"),
        Column("Probability", "probability", "probability", "int"),
        Column("Duration Basis", "duration_basis", "duration_basis", "upper"),
        Column("Duration", "duration", "duration", "int"),
        Column("Owner", "owner_id", "owner", "owner"),
    ),
    opportunity_domain.OpportunityInput,
    opportunity_domain.create_opportunity,
    opportunity_domain.update_opportunity,
    ("Name", "Party"),
)
PROJECTS = Spec(
    "kases",
    kases,
    (
        Column("Name", "name", "name"),
        Column("Description", "description", "description"),
        Column("Party", "party_id", "party", "party"),
        Column("Status", "status", "status", "upper"),
        Column("Opportunity", "opportunity_id", "opportunity", "opportunity"),
        Column("Expected Close Date", "expected_close_on", "expected_close_on"),
        Column("Start Date", "start_on", "start_on"),
        Column("Owner", "owner_id", "owner", "owner"),
    ),
    kase_domain.KaseInput,
    kase_domain.create_kase,
    kase_domain.update_kase,
    ("Name", "Party"),
)
TASKS = Spec(
    "tasks",
    tasks,
    (
        Column("Description", "description", "description"),
        Column("Detail", "detail", "detail"),
        Column("Category", "category_id", "category", "category"),
        Column("Due Date", "due_on", "due_on"),
        Column("Due Time", "due_time", "due_time"),
        Column("Status", "status", "status", "upper"),
        Column("Party", "party_id", "party", "party"),
        Column("Opportunity", "opportunity_id", "opportunity", "opportunity"),
        Column("Project", "kase_id", "kase", "kase"),
        Column("Owner", "owner_id", "owner", "owner"),
    ),
    task_domain.TaskInput,
    task_domain.create_task,
    task_domain.update_task,
    ("Description", "Due Date", "Party", "Opportunity", "Project"),
    extras=False,
)
SPECS = {spec.entity: spec for spec in (OPPORTUNITIES, PROJECTS, TASKS)}
_REFS = ("party", "milestone", "category", "opportunity", "kase")
HIDDEN = "#"  # projection keys an export does not write


def column_order(spec: Spec) -> list[str]:
    return ["Id", *(column.key for column in spec.columns)]


# -- projection ---------------------------------------------------------------------------------


def project(
    conn: sa.Connection, context: Context, spec: Spec, ids: list[int]
) -> dict[int, dict[str, str]]:
    table = spec.table
    query = sa.select(table).where(table.c.account_id == context.account_id, table.c.id.in_(ids))
    rows = {row.id: row for row in conn.execute(query)}
    names = {
        kind: links.names(
            conn,
            kind,
            {
                getattr(row, c.column)
                for row in rows.values()
                for c in spec.columns
                if c.kind == kind
            }
            - {None},
        )
        for kind in _REFS
    }
    out: dict[int, dict[str, str]] = {}
    for record_id in ids:
        row = rows.get(record_id)
        if row is None:
            continue
        values = {"Id": str(record_id)}
        for column in spec.columns:
            raw = getattr(row, column.column)
            if raw is None:
                values[column.key] = ""
            elif column.kind in names:
                values[column.key] = names[column.kind].get(raw, "")
                values[HIDDEN + column.key] = str(raw)  # to compare links by id, not name
            elif column.kind == "owner":
                values[column.key] = context.usernames.get(raw, "")
            else:
                values[column.key] = str(raw)
        out[record_id] = values
    if spec.extras:
        extras.project(conn, spec.entity, ids, out)
    return out


# -- matching -------------------------------------------------------------------------------------


def find(context: Context, spec: Spec, values: dict[str, str], match: str) -> int | None:
    if match == "id":
        raw = values.get("Id", "")
        if not raw:
            return None
        table = spec.table
        query = sa.select(table.c.id).where(
            table.c.account_id == context.account_id,
            table.c.id == (whole_number(raw) or -1),
        )
        if context.conn.scalar(query) is None:
            raise RowError(f"no record with id {raw}", "Id")
        return int(raw)
    if match != "name":
        return None
    conditions = [spec.table.c.account_id == context.account_id]
    for column in spec.columns:
        if column.key not in spec.match_keys:
            continue
        value = values.get(column.key, "")
        if column.kind in _REFS:
            target = links.resolve(context, column.kind, value, column.key) if value else None
            conditions.append(spec.table.c[column.column] == target)
        else:
            conditions.append(sa.func.lower(spec.table.c[column.column]) == value.lower())
    query = sa.select(spec.table.c.id).where(*conditions).order_by(spec.table.c.id).limit(1)
    found: int | None = context.conn.scalar(query)
    return found


# -- writing --------------------------------------------------------------------------------------


def write(context: Context, spec: Spec, values: dict[str, str], record_id: int | None) -> str:
    current = None
    if record_id is not None:
        current = project(context.conn, context, spec, [record_id])[record_id]
    body, sources = _body(context, spec, values, current)
    if current is not None and not body:
        return "unchanged"
    if current is None and spec is OPPORTUNITIES and "milestone" not in body:
        body["milestone"] = {"id": _first_milestone(context)}
    data = validated(spec.model, body, sources)
    if record_id is None:
        applied(lambda: spec.create(context.conn, context.actor, data), sources)
        return "created"
    applied(lambda: spec.update(context.conn, context.actor, record_id, data), sources)
    return "updated"


def _body(
    context: Context, spec: Spec, values: dict[str, str], current: dict[str, str] | None
) -> tuple[dict[str, Any], Sources]:
    body: dict[str, Any] = {}
    sources: Sources = {}
    was = current or {}
    for column in spec.columns:
        value = values.get(column.key, "")
        if not value:
            continue
        converted = _converted(context, column, value)
        if column.kind in _REFS and str(converted["id"]) == was.get(HIDDEN + column.key):
            continue
        if column.kind not in _REFS and _same(column, value, was.get(column.key, "")):
            continue
        body[column.prop] = converted
        sources[column.prop] = column.key
    if "value" in body:  # amount and currency travel together
        amount = values.get("Value") or was.get("Value") or None
        currency = (values.get("Currency") or was.get("Currency") or "").upper() or None
        body["value"] = {"amount": amount, "currency": currency}
    if spec.extras:
        body.update(extras.changes(context, values, current))
    return body, sources


def _same(column: Column, value: str, was: str) -> bool:
    if column.kind in ("upper", "owner"):
        return value.strip().lower() == was.lower()
    return value == was


def _converted(context: Context, column: Column, value: str) -> Any:
    if column.kind == "int":
        try:
            return int(value)
        except ValueError:
            raise RowError(f"not a whole number: {value!r}", column.key) from None
    if column.kind == "upper":
        return value.strip().upper()
    if column.kind == "owner":
        return {"id": context.owner_id(value, column.key)}
    if column.kind in _REFS:
        return {"id": links.resolve(context, column.kind, value, column.key)}
    return value


def _first_milestone(context: Context) -> int:
    """New opportunities without a Milestone column start at the first pipeline's first one."""
    query = (
        sa.select(milestones.c.id)
        .join(pipelines, pipelines.c.id == milestones.c.pipeline_id)
        .where(milestones.c.account_id == context.account_id)
        .order_by(pipelines.c.id, milestones.c.display_order, milestones.c.id)
        .limit(1)
    )
    found = context.conn.scalar(query)
    if found is None:
        raise RowError("the account has no milestone to start an opportunity at", "Milestone")
    return int(found)
