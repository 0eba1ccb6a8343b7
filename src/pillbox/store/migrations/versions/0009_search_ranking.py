"""Search indexes with a column per rank and normalised (accent- and case-folded) texts.

Rebuilds `party_search` (names, emails, phones, other), `opportunity_search` and `kase_search`
(names, other) and fills them from the records; the downgrade rebuilds the single `text` column
of 0001/0003/0004 and fills that. The texts are built here, not by `pillbox.store.search`, so
that this revision keeps producing the layout it creates whatever the code does later.

Revision ID: 0009
Revises: 0008
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BATCH = 2000
SEARCHED_FIELD_TYPES = "('text', 'link', 'list', 'multiselectlist')"
_UNDECOMPOSED = str.maketrans(
    dict(zip("øłđðħ\u0131", "olddhi", strict=True)) | {"æ": "ae", "œ": "oe", "þ": "th"}
)

Entry = dict[str, Any]


@dataclass(frozen=True)
class _Index:
    table: str
    id_column: str
    records: str  # the record table
    columns: tuple[str, ...]  # the ranked text columns this revision creates


PARTIES = _Index("party_search", "party_id", "parties", ("names", "emails", "phones", "other"))
OPPORTUNITIES = _Index("opportunity_search", "opportunity_id", "opportunities", ("names", "other"))
KASES = _Index("kase_search", "kase_id", "kases", ("names", "other"))


def upgrade() -> None:
    for index in (PARTIES, OPPORTUNITIES, KASES):
        op.drop_table(index.table)
        _create(index.table, index.id_column, index.columns, "trigram case_sensitive 1")
    _fill(PARTIES, "first_name, last_name, name", _party_entries, PARTIES.columns)
    for index in (OPPORTUNITIES, KASES):
        _fill(index, "name, description", _record_entries(index.records), index.columns)


def downgrade() -> None:
    for index in (PARTIES, OPPORTUNITIES, KASES):
        op.drop_table(index.table)
        _create(index.table, index.id_column, ("text",), "trigram")
    _fill(PARTIES, "first_name, last_name, name", _old_party_entries, ("text",))
    for index in (OPPORTUNITIES, KASES):
        _fill(index, "name, description", _old_record_entries, ("text",))


def _create(table: str, id_column: str, columns: tuple[str, ...], tokenizer: str) -> None:
    """FTS5 with trigrams on SQLite; on PostgreSQL a table with a trigram GIN index over its
    text columns joined by spaces (the expression search queries with LIKE)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5({id_column} UNINDEXED, "
            f"account_id UNINDEXED, {', '.join(columns)}, tokenize = '{tokenizer}')"
        )
        return
    op.create_table(
        table,
        sa.Column(id_column, sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        *(sa.Column(column, sa.Text(), nullable=False) for column in columns),
        sa.PrimaryKeyConstraint(id_column, name=op.f(f"pk_{table}")),
    )
    joined = " || ' ' || ".join(columns)
    op.execute(f"CREATE INDEX ix_{table}_text_trgm ON {table} USING gin (({joined}) gin_trgm_ops)")


# -- filling ------------------------------------------------------------------------------------

Entries = Callable[[sa.Connection, list[Any]], list[Entry]]


def _fill(index: _Index, read: str, entries: Entries, text_columns: tuple[str, ...]) -> None:
    """Indexes every record, reading the columns `read` of each and writing `text_columns`."""
    bind = op.get_bind()
    targets = [index.id_column, "account_id", *text_columns]
    values = [f":{name}" for name in targets]
    if bind.dialect.name == "sqlite":
        targets, values = ["rowid", *targets], [f":{index.id_column}", *values]
    insert = sa.text(
        f"INSERT INTO {index.table} ({', '.join(targets)}) VALUES ({', '.join(values)})"
    )
    for rows in _batches(bind, index.records, read):
        found = entries(bind, rows)
        bind.execute(
            insert,
            [
                {index.id_column: row.id, "account_id": row.account_id, **entry}
                for row, entry in zip(rows, found, strict=True)
            ],
        )
    if bind.dialect.name == "sqlite":  # one segment instead of the many a bulk fill leaves
        op.execute(f"INSERT INTO {index.table} ({index.table}) VALUES ('optimize')")


def _batches(bind: sa.Connection, table: str, columns: str) -> Iterator[list[Any]]:
    query = sa.text(
        f"SELECT id, account_id, {columns} FROM {table} WHERE id > :after ORDER BY id LIMIT {BATCH}"
    )
    after = 0
    while rows := list(bind.execute(query, {"after": after})):
        yield rows
        after = rows[-1].id


def _grouped(bind: sa.Connection, sql: str, ids: list[int]) -> dict[int, list[str]]:
    """(record id, text) rows of `sql`, whose `:ids` is the batch's record ids, by record."""
    statement = sa.text(sql).bindparams(sa.bindparam("ids", expanding=True))
    grouped: dict[int, list[str]] = defaultdict(list)
    for record_id, text in bind.execute(statement, {"ids": ids}):
        grouped[record_id].append(text)
    return grouped


def _emails(bind: sa.Connection, ids: list[int]) -> dict[int, list[str]]:
    sql = "SELECT party_id, address FROM party_email_addresses WHERE party_id IN :ids ORDER BY id"
    return _grouped(bind, sql, ids)


def _phones(bind: sa.Connection, ids: list[int]) -> dict[int, list[str]]:
    sql = "SELECT party_id, number FROM party_phone_numbers WHERE party_id IN :ids ORDER BY id"
    return _grouped(bind, sql, ids)


def _fields(bind: sa.Connection, entity: str, ids: list[int]) -> dict[int, list[str]]:
    sql = (
        "SELECT v.record_id, v.value FROM field_values v "
        "JOIN field_definitions d ON d.id = v.definition_id "
        f"WHERE v.entity = '{entity}' AND d.deleted_at IS NULL "
        f"AND d.type IN {SEARCHED_FIELD_TYPES} AND v.record_id IN :ids ORDER BY v.id"
    )
    return _grouped(bind, sql, ids)


def _digits(numbers: list[str]) -> list[str]:
    return [re.sub(r"\D", "", number) for number in numbers]


# -- the texts of this revision -----------------------------------------------------------------


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(bare.translate(_UNDECOMPOSED).split())


def _lines(texts: Iterable[str | None]) -> str:
    unique = dict.fromkeys(_normalise(text) for text in texts if text)
    return "\n".join(text for text in unique if text)


def _names(names: Iterable[str | None]) -> str:
    lines = _lines(names)
    return f"\n{lines}\n" if lines else ""


def _party_entries(bind: sa.Connection, rows: list[Any]) -> list[Entry]:
    ids = [row.id for row in rows]
    emails, phones, fields = _emails(bind, ids), _phones(bind, ids), _fields(bind, "parties", ids)
    entries = []
    for row in rows:
        full_name = " ".join(n for n in (row.first_name, row.last_name) if n)
        numbers = phones[row.id]
        entries.append(
            {
                "names": _names([row.first_name, row.last_name, full_name, row.name]),
                "emails": _lines(emails[row.id]),
                "phones": _lines([*numbers, *_digits(numbers)]),
                "other": _lines(fields[row.id]),
            }
        )
    return entries


def _record_entries(entity: str) -> Entries:
    def entries(bind: sa.Connection, rows: list[Any]) -> list[Entry]:
        fields = _fields(bind, entity, [row.id for row in rows])
        return [
            {"names": _names([row.name]), "other": _lines([row.description, *fields[row.id]])}
            for row in rows
        ]

    return entries


# -- the texts of 0008 --------------------------------------------------------------------------


def _joined(parts: Iterable[str | None]) -> str:
    return " ".join(part for part in parts if part)


def _old_party_entries(bind: sa.Connection, rows: list[Any]) -> list[Entry]:
    ids = [row.id for row in rows]
    emails, phones = _emails(bind, ids), _phones(bind, ids)
    return [
        {
            "text": _joined(
                [
                    row.first_name,
                    row.last_name,
                    row.name,
                    *emails[row.id],
                    *phones[row.id],
                    *_digits(phones[row.id]),
                ]
            )
        }
        for row in rows
    ]


def _old_record_entries(bind: sa.Connection, rows: list[Any]) -> list[Entry]:
    return [{"text": _joined([row.name, row.description])} for row in rows]
