"""Likely duplicate parties: pairs sharing an email address, a phone number or a person's name.

Each pair is found through an index: a party's email addresses and phone numbers are looked up
in the expression indexes over `lower(address)` and the number without punctuation, and a
person's name in the index over (account, "first last" in lower case). A page therefore costs
one index lookup per email address, phone number and person of the account, plus sorting the
pairs found (O(k log n) for k such rows and n rows in all), never a comparison of every party
with every other. Pairs are listed once, lower id first, under their strongest reason (email,
then phone, then name), in id order; people pair with people and organisations with
organisations only, since only those can be merged.
"""

from typing import Any

import sqlalchemy as sa

from pillbox.store.sql import Query
from pillbox.store.tables.parties import (
    email_addresses,
    parties,
    person_name_key,
    phone_key,
    phone_numbers,
)

REASONS = ("email", "phone", "name")
MIN_PHONE_DIGITS = 5  # shorter numbers (extensions, placeholders) say little about a party

_ACCOUNT: Any = sa.bindparam("account_id")


def _by_contact(table: sa.Table, key: Any, rank: int, *conditions: Any) -> sa.Select[Any]:
    """Pairs of same-type parties of the account with a row of `table` whose `key` is equal."""
    mine, other = table.alias(f"{table.name}_1"), table.alias(f"{table.name}_2")
    party, match = parties.alias("party_1"), parties.alias("party_2")
    # `_check`: these comparisons are checks, not ways in (SQLite would otherwise range-scan the
    # account's parties for each row rather than look the key up in its index).
    joined = (
        party.join(mine, mine.c.party_id == party.c.id)
        .join(
            other,
            sa.and_(key(other) == key(mine), _check(other.c.party_id) > _check(mine.c.party_id)),
        )
        .join(
            match,
            sa.and_(
                match.c.id == other.c.party_id,
                _check(match.c.account_id) == _check(party.c.account_id),
                match.c.type == party.c.type,
            ),
        )
    )
    return (
        sa.select(
            mine.c.party_id.label("a"),
            other.c.party_id.label("b"),
            sa.literal_column(str(rank)).label("rank"),
        )
        .select_from(joined)
        .where(party.c.account_id == _ACCOUNT, *[c(mine) for c in conditions])
    )


def _check(column: Any) -> Any:
    """`column + 0`: the same value, through which no index is used."""
    return column + sa.literal_column("0")


def _email(table: Any) -> Any:
    return sa.func.lower(table.c.address)


def _phone(table: Any) -> Any:
    return phone_key(table.c.number)


def _long_enough(table: Any) -> Any:
    return sa.func.length(phone_key(table.c.number)) >= MIN_PHONE_DIGITS


def _by_name() -> sa.Select[Any]:
    person, match = parties.alias("person_1"), parties.alias("person_2")
    joined = person.join(
        match,
        sa.and_(
            match.c.account_id == person.c.account_id,
            person_name_key(match) == person_name_key(person),
            match.c.id > person.c.id,
            match.c.type == "person",
        ),
    )
    return (
        sa.select(
            person.c.id.label("a"), match.c.id.label("b"), sa.literal_column("2").label("rank")
        )
        .select_from(joined)
        .where(person.c.account_id == _ACCOUNT, person.c.type == "person")
    )


_PAIRS = sa.union_all(
    _by_contact(email_addresses, _email, 0),
    _by_contact(phone_numbers, _phone, 1, _long_enough),
    _by_name(),
).subquery("pairs")

PAIR_PAGE = Query(
    sa.select(_PAIRS.c.a, _PAIRS.c.b, sa.func.min(_PAIRS.c.rank).label("rank"))
    .group_by(_PAIRS.c.a, _PAIRS.c.b)
    .order_by(_PAIRS.c.a, _PAIRS.c.b)
    .limit(sa.bindparam("limit"))
    .offset(sa.bindparam("offset"))
)


def pair_page(conn: sa.Connection, account_id: int, offset: int, limit: int) -> list[Any]:
    """One page of (a, b, reason) pairs of the account's likely duplicates."""
    rows = PAIR_PAGE.rows(conn, account_id=account_id, offset=offset, limit=limit)
    return [(row.a, row.b, REASONS[row.rank]) for row in rows]
