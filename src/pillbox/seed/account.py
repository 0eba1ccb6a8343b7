"""The account seeding fills, and what its records refer to: users, tags, pipelines, stages, ….

A new account starts as any account does (the store's default titles, pipeline and board); an
existing one is used as it is. Either way seeding then finds by name, or else creates, its users,
tags, the renewals pipeline, lost reasons and task categories, so seeding an account twice adds
records but no second copy of its vocabulary. Users are made by the domain (each with the person
record every user has); everything else through the store, as the API would.
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox.domain.pipelines import MAX_ACTIVE_PIPELINES
from pillbox.domain.site import subdomain
from pillbox.domain.users import create_user
from pillbox.seed import phrases
from pillbox.store import accounts as account_store
from pillbox.store import boards, pipelines, tags, task_categories, titles, users
from pillbox.store.tables.parties import parties


class SeedRefused(Exception):
    """The account cannot take what seeding would add; the message says why."""


@dataclass(frozen=True)
class Pipeline:
    id: int
    open: tuple[tuple[int, int], ...]  # (milestone id, probability), in the pipeline's order
    won: int  # complete at 100%
    lost: int  # complete at 0%


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    admin_id: int
    user_ids: tuple[int, ...]  # the administrator first
    currency: str  # the administrator's, for opportunity values
    titles: dict[str, str]  # person titles seeded -> the account's spelling, if it has them
    sales: Pipeline
    renewals: Pipeline
    lost_reasons: tuple[int, ...]
    stages: tuple[int, ...]  # of the default board, in order
    categories: dict[str, int]
    tags: dict[str, dict[str, int]]  # entity -> name -> id
    organisation_keys: set[str]  # organisation names taken (lower case): they must stay unique


def prepare(conn: sa.Connection, name: str | None, default_name: str) -> Account:
    account_id, name = _open(conn, name, default_name)
    admin_id, user_ids = _users(conn, account_id, f"{subdomain(name)}.example")
    admin = users.load(conn, account_id, [admin_id])[admin_id]
    return Account(
        id=account_id,
        name=name,
        admin_id=admin_id,
        user_ids=user_ids,
        currency=admin.currency,
        titles=_titles(conn, account_id),
        sales=_sales_pipeline(conn, account_id),
        renewals=_renewals_pipeline(conn, account_id),
        lost_reasons=tuple(_lost_reason(conn, account_id, n) for n in phrases.LOST_REASONS),
        stages=_stages(conn, account_id),
        categories={n: _category(conn, account_id, n, c) for n, c in phrases.CATEGORIES},
        tags={
            "parties": _tags(conn, account_id, "parties", phrases.PARTY_TAGS),
            "opportunities": _tags(conn, account_id, "opportunities", phrases.OPPORTUNITY_TAGS),
            "kases": _tags(conn, account_id, "kases", phrases.KASE_TAGS),
        },
        organisation_keys=_organisation_keys(conn, account_id),
    )


def _open(conn: sa.Connection, name: str | None, default_name: str) -> tuple[int, str]:
    """The named account (created when missing), or a new one named after the profile."""
    if name is not None:
        found = account_store.account_id_by_name(conn, name)
        return found or account_store.create_account(conn, name), name
    name, number = default_name, 1
    while account_store.account_id_by_name(conn, name) is not None:
        number += 1
        name = f"{default_name}-{number}"
    return account_store.create_account(conn, name), name


def _users(conn: sa.Connection, account_id: int, domain: str) -> tuple[int, tuple[int, ...]]:
    """The seeded users (found by email, or created); the administrator whose token is given."""
    ids = tuple(_user(conn, account_id, spec, domain) for spec in phrases.USERS)
    admins = account_store.live_admin_ids(conn, account_id)
    admin_id = ids[0] if ids[0] in admins else min(admins)
    return admin_id, ids


def _user(conn: sa.Connection, account_id: int, spec: phrases.UserSpec, domain: str) -> int:
    email = spec.email(domain)
    found = account_store.user_id_by_email(conn, account_id, email)
    if found is not None:
        return found
    username, number = spec.first_name.lower(), 1
    while users.user_with_username(conn, account_id, username) is not None:
        number += 1
        username = f"{spec.first_name.lower()}{number}"
    return create_user(
        conn, account_id, email=email, name=spec.name, username=username, admin=spec.admin
    )


def _titles(conn: sa.Connection, account_id: int) -> dict[str, str]:
    """The titles seeded people may have -> the account's spelling of each it has."""
    found = {title: titles.find_title(conn, account_id, title) for title in phrases.TITLES}
    return {title: row.title for title, row in found.items() if row is not None}


def _shape(conn: sa.Connection, pipeline_id: int) -> Pipeline | None:
    """The pipeline as seeding uses it; None when it lacks an open, a won or a lost milestone."""
    milestones = pipelines.milestones_of(conn, pipeline_id)
    open_ = tuple((m.id, m.probability) for m in milestones if not m.complete)
    won = [m.id for m in milestones if m.complete and m.probability == 100]
    lost = [m.id for m in milestones if m.complete and m.probability == 0]
    if not (open_ and won and lost):
        return None
    return Pipeline(pipeline_id, open_, won[0], lost[0])


def _active_pipelines(conn: sa.Connection, account_id: int) -> list[Any]:
    ids = pipelines.pipeline_page_ids(conn, account_id, 0, MAX_ACTIVE_PIPELINES, False, None)
    found = pipelines.load_pipelines(conn, account_id, ids)
    return [found[i] for i in ids]


def _sales_pipeline(conn: sa.Connection, account_id: int) -> Pipeline:
    """The oldest active pipeline that has open, won and lost milestones (else a new default)."""
    for row in _active_pipelines(conn, account_id):
        shape = _shape(conn, row.id) if row.name != phrases.RENEWALS_PIPELINE else None
        if shape is not None:
            return shape
    _check_pipeline_room(conn, account_id)
    shape = _shape(conn, pipelines.create_default_pipeline(conn, account_id))
    assert shape is not None  # the default pipeline has all three
    return shape


def _renewals_pipeline(conn: sa.Connection, account_id: int) -> Pipeline:
    for row in _active_pipelines(conn, account_id):
        shape = _shape(conn, row.id) if row.name == phrases.RENEWALS_PIPELINE else None
        if shape is not None:
            return shape
    _check_pipeline_room(conn, account_id)
    pipeline_id = pipelines.create_pipeline_with(
        conn, account_id, phrases.RENEWALS_PIPELINE, phrases.RENEWALS_MILESTONES
    )
    shape = _shape(conn, pipeline_id)
    assert shape is not None
    return shape


def _check_pipeline_room(conn: sa.Connection, account_id: int) -> None:
    if pipelines.active_pipeline_count(conn, account_id) >= MAX_ACTIVE_PIPELINES:
        raise SeedRefused(
            f"The account has {MAX_ACTIVE_PIPELINES} active pipelines, the most it may have; "
            "archive one to seed it."
        )


def _stages(conn: sa.Connection, account_id: int) -> tuple[int, ...]:
    """The active stages of the oldest active board that has some (else of a new default)."""
    for board_id in boards.board_page_ids(conn, account_id, 0, 100, "active", None):
        found = boards.stage_page_ids(conn, account_id, 0, 100, board_id=board_id)
        if found:
            return tuple(found)
    board_id = boards.create_default_board(conn, account_id)
    return tuple(boards.stage_page_ids(conn, account_id, 0, 100, board_id=board_id))


def _lost_reason(conn: sa.Connection, account_id: int, name: str) -> int:
    ids = pipelines.lost_reason_page_ids(conn, account_id, 0, 100, name)
    found = pipelines.load_lost_reasons(conn, account_id, ids)
    same = [i for i in ids if found[i].name == name]
    return same[0] if same else pipelines.create_lost_reason(conn, account_id, name, True)


def _category(conn: sa.Connection, account_id: int, name: str, colour: str) -> int:
    found = task_categories.find(conn, account_id, None, name)
    return found if found is not None else task_categories.create(conn, account_id, name, colour)


def _tags(
    conn: sa.Connection, account_id: int, entity: str, names: tuple[str, ...]
) -> dict[str, int]:
    return {
        name: tags.find_tag(conn, account_id, entity, name=name)
        or tags.create_tag(conn, account_id, entity, name)
        for name in names
    }


def _organisation_keys(conn: sa.Connection, account_id: int) -> set[str]:
    query = sa.select(parties.c.organisation_key).where(
        parties.c.account_id == account_id, parties.c.organisation_key.is_not(None)
    )
    return set(conn.scalars(query))
