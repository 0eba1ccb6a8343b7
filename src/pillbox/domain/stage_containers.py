"""Ordered, archivable containers of stages (boards of stages, pipelines of milestones): the
rules they share.

Administrators manage them. An account has at most 30 active ones of a kind; a name is
required; deleting one archives it, and restoring it needs room again. domain/boards.py and
domain/pipelines.py keep what differs (what a stage holds, when one may go, duplication).
"""

from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field

from pillbox import timestamps
from pillbox.domain.base import InputModel, require_admin, required_name
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store.accounts import Principal
from pillbox.store.stage_containers import StageContainers

MAX_ACTIVE = 30
Name = Annotated[str, Field(max_length=200)]
Description = Annotated[str, Field(max_length=10_000)]
DisplayOrder = Annotated[int, Field(ge=0, le=10_000)]


class ContainerInput(InputModel):
    name: Name | None = None
    description: Description | None = None


@dataclass(frozen=True)
class ContainerKind:
    resource: str  # "board": 422 `resource`
    plural: str  # "boards"
    store: StageContainers


def check_room(conn: sa.Connection, who: Principal, kind: ContainerKind) -> None:
    if kind.store.active_count(conn, who.account_id) >= MAX_ACTIVE:
        message = f"an account has at most {MAX_ACTIVE} active {kind.plural}"
        raise ValidationFailed.single(message, kind.resource, "name")


def create(conn: sa.Connection, who: Principal, kind: ContainerKind, data: ContainerInput) -> int:
    require_admin(who)
    check_room(conn, who, kind)
    name = required_name(data.name, kind.resource)
    return kind.store.create(conn, who.account_id, name, data.description)


def found(conn: sa.Connection, who: Principal, kind: ContainerKind, container_id: int) -> Any:
    """The account's container, archived or not, or NotFound."""
    row = kind.store.find(conn, who.account_id, container_id)
    if row is None:
        raise NotFound()
    return row


def update(
    conn: sa.Connection,
    who: Principal,
    kind: ContainerKind,
    container_id: int,
    data: ContainerInput,
) -> None:
    found(conn, who, kind, container_id)
    require_admin(who)
    values: dict[str, Any] = {}
    if data.sent("name"):
        values["name"] = required_name(data.name, kind.resource)
    if data.sent("description"):
        values["description"] = data.description
    if values:
        kind.store.update(conn, who.account_id, container_id, values)


def archive(conn: sa.Connection, who: Principal, kind: ContainerKind, container_id: int) -> None:
    """Takes a container out of the lists (still shown by id); its records stay on it."""
    kind.store.update(conn, who.account_id, container_id, {"archived_at": timestamps.now()})


def restore(conn: sa.Connection, who: Principal, kind: ContainerKind, container_id: int) -> int:
    row = found(conn, who, kind, container_id)
    require_admin(who)
    if row.archived_at is not None:
        check_room(conn, who, kind)
        kind.store.update(conn, who.account_id, container_id, {"archived_at": None})
    return container_id


def stage_changes(data: Any, resource: str) -> dict[str, Any]:
    """Columns for a stage's `name`, `description` and `displayOrder`, when sent (`data` is a
    StageInput or a MilestoneInput)."""
    values: dict[str, Any] = {}
    if data.sent("name"):
        values["name"] = required_name(data.name, resource)
    if data.sent("description"):
        values["description"] = data.description
    if data.display_order is not None:
        values["display_order"] = data.display_order
    return values
