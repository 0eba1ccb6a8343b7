"""The change history of records: one row per field a write changed."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp
from pillbox.store.tables.parties import email_addresses, parties, phone_numbers

# `entity` is the API collection (parties, opportunities, kases, tasks) and `record_id` the
# record's id, with no foreign key: a deleted record keeps its history. Values are JSON text.
record_changes = sa.Table(
    "record_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("entity", sa.String(20), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    timestamp("at"),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("via", sa.String(20)),
    sa.Column("field", sa.String(100), nullable=False),
    sa.Column("old_value", sa.Text),
    sa.Column("new_value", sa.Text),
    sa.Index(None, "account_id", "entity", "record_id", "id"),
    sqlite_autoincrement=True,
)

# Keys for likely duplicate parties (GET /parties/duplicates), each one indexed so that pairs are
# found by index lookups rather than by comparing every party with every other.
PHONE_PUNCTUATION = (" ", "-", "(", ")", ".", "+", "/")


def phone_key(number: sa.ColumnElement[str]) -> sa.ColumnElement[str]:
    """A phone number without spaces and punctuation: "+44 (20) 7946-0000" -> "4420794600000"."""
    # Literals, not parameters: a database uses an expression index only for the same expression.
    key = number
    for mark in PHONE_PUNCTUATION:
        key = sa.func.replace(key, _text(mark), _text(""))
    return key


def person_name_key(table: sa.FromClause) -> sa.ColumnElement[str]:
    """A person's "first last" in lower case."""
    first = sa.func.coalesce(table.c.first_name, _text(""))
    last = sa.func.coalesce(table.c.last_name, _text(""))
    return sa.func.lower(first.op("||")(_text(" ")).op("||")(last))


def _text(value: str) -> sa.ColumnElement[str]:
    return sa.literal_column(f"'{value}'", sa.String)


sa.Index("ix_party_phone_numbers_phone_key", phone_key(phone_numbers.c.number))._set_parent(
    phone_numbers
)
sa.Index("ix_parties_person_name_key", parties.c.account_id, person_name_key(parties))
# Indexed by ix_party_email_addresses_lower_address (migration 0010).
EMAIL_KEY = sa.func.lower(email_addresses.c.address)
