"""What each searchable record type is indexed by: the texts of a record's index row, normalised
(store/search.py writes and searches the index)."""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox.store.sql import Query
from pillbox.store.sql_terms import ids_param
from pillbox.store.tables.kases import kase_search, kases
from pillbox.store.tables.opportunities import opportunities, opportunity_search
from pillbox.store.tables.parties import email_addresses, parties, party_search, phone_numbers
from pillbox.store.tables.records import field_definitions, field_values

SEARCHED_FIELD_TYPES = ("text", "link", "list", "multiselectlist")

# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans(
    dict(zip("øłđðħ\u0131", "olddhi", strict=True)) | {"æ": "ae", "œ": "oe", "þ": "th"}
)


def normalise(text: str) -> str:
    """The form texts are indexed and searched in: "Zoë  MÜLLER" -> "zoe muller"."""
    if text.isascii():  # most texts: nothing to decompose, and lower() is casefold() here
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(bare.translate(_UNDECOMPOSED).split())


def _lines(texts: Iterable[str | None]) -> str:
    """The normalised texts, each once, one per line."""
    unique = dict.fromkeys(normalise(text) for text in texts if text)
    return "\n".join(text for text in unique if text)


def _names(names: Iterable[str | None]) -> str:
    lines = _lines(names)
    return f"\n{lines}\n" if lines else ""


def party_entry(
    first_name: str | None,
    last_name: str | None,
    name: str | None,
    emails: Iterable[str],
    phones: Iterable[str],
    fields: Iterable[str],
) -> dict[str, str]:
    """A party's index columns: a person's first, last and full name, an organisation's name."""
    full_name = " ".join(n for n in (first_name, last_name) if n)
    numbers = list(phones)
    digits = [re.sub(r"\D", "", number) for number in numbers]
    return {
        "names": _names([first_name, last_name, full_name, name]),
        "emails": _lines(emails),
        "phones": _lines([*numbers, *digits]),
        "other": _lines(fields),
    }


def record_entry(
    name: str | None, description: str | None, fields: Iterable[str]
) -> dict[str, str]:
    """An opportunity's or project's index columns."""
    return {"names": _names([name]), "other": _lines([description, *fields])}


# -- what a record is found by ------------------------------------------------------------------

_ID: sa.BindParameter[int] = sa.bindparam("id")


def _texts(
    kind: str, text: sa.ColumnElement[Any], position: sa.ColumnElement[Any] | None = None
) -> sa.Select[Any]:
    """(kind, text, position) rows; a record's several emails, phones or values are indexed in
    the order they were added (their ids), on every database."""
    order = position if position is not None else sa.literal_column("0")
    return sa.select(
        sa.literal_column(f"'{kind}'").label("kind"), text.label("text"), order.label("position")
    )


def _field_texts(entity: str) -> sa.Select[Any]:
    return (
        _texts("field", field_values.c.value, field_values.c.id)
        .join_from(field_values, field_definitions)
        .where(
            field_values.c.entity == entity,
            field_values.c.record_id == _ID,
            ids_param(field_definitions.c.type, "types"),
            field_definitions.c.deleted_at.is_(None),
        )
    )


def _texts_query(*parts: sa.Select[Any]) -> Query:
    """(kind, text) rows of one record in one statement; a "name" row exists iff the record does."""
    texts = sa.union_all(*parts).subquery()
    return Query(sa.select(texts.c.kind, texts.c.text).order_by(texts.c.position))


def _record_texts(table: sa.Table, entity: str) -> Query:
    return _texts_query(
        _texts("name", table.c.name).where(table.c.id == _ID),
        _texts("description", table.c.description).where(table.c.id == _ID),
        _field_texts(entity),
    )


Texts = dict[str, list[str | None]]


def _party_columns(texts: Texts) -> dict[str, str]:
    return party_entry(
        texts["first"][0],
        texts["last"][0],
        texts["name"][0],
        [t for t in texts["email"] if t],
        [t for t in texts["phone"] if t],
        [t for t in texts["field"] if t],
    )


def _record_columns(texts: Texts) -> dict[str, str]:
    return record_entry(texts["name"][0], texts["description"][0], [t for t in texts["field"] if t])


@dataclass(frozen=True)
class SearchIndex:
    table: sa.Table
    id_column: str
    entity: str
    columns: tuple[str, ...]  # ranked, best first; the first holds the names
    texts: Query  # what a record is found by, as (kind, text) rows
    entry: Callable[[Texts], dict[str, str]]  # those texts as index columns


PARTIES = SearchIndex(
    party_search,
    "party_id",
    "parties",
    ("names", "emails", "phones", "other"),
    _texts_query(
        _texts("name", parties.c.name).where(parties.c.id == _ID),
        _texts("first", parties.c.first_name).where(parties.c.id == _ID),
        _texts("last", parties.c.last_name).where(parties.c.id == _ID),
        _texts("email", email_addresses.c.address, email_addresses.c.id).where(
            email_addresses.c.party_id == _ID
        ),
        _texts("phone", phone_numbers.c.number, phone_numbers.c.id).where(
            phone_numbers.c.party_id == _ID
        ),
        _field_texts("parties"),
    ),
    _party_columns,
)
OPPORTUNITIES = SearchIndex(
    opportunity_search,
    "opportunity_id",
    "opportunities",
    ("names", "other"),
    _record_texts(opportunities, "opportunities"),
    _record_columns,
)
KASES = SearchIndex(
    kase_search,
    "kase_id",
    "kases",
    ("names", "other"),
    _record_texts(kases, "kases"),
    _record_columns,
)
BY_ENTITY = {index.entity: index for index in (PARTIES, OPPORTUNITIES, KASES)}
