"""People and organisations with their addresses, phone numbers, websites and email addresses."""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

parties = sa.Table(
    "parties",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("type", sa.String(12), nullable=False),
    sa.Column("first_name", sa.String(200)),
    sa.Column("last_name", sa.String(200)),
    sa.Column("title", sa.String(100)),
    sa.Column("job_title", sa.String(200)),
    sa.Column("name", sa.String(200)),
    # lower(name) for organisations, NULL for people: Capsule requires organisation names to be
    # unique within an account, and a unique index over this column enforces it race-free.
    sa.Column("organisation_key", sa.String(200)),
    sa.Column("about", sa.Text),
    sa.Column("organisation_id", sa.Integer, sa.ForeignKey("parties.id", ondelete="SET NULL")),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id", ondelete="SET NULL")),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("last_contacted_at", nullable=True),
    sa.Index(None, "account_id", "id"),
    sa.Index(None, "account_id", "updated_at", "id"),
    # Filters by when a party was added or last contacted read a rare range of days from these.
    sa.Index(None, "account_id", "created_at"),
    sa.Index(None, "account_id", "last_contacted_at"),
    sa.Index(None, "organisation_id"),
    sa.UniqueConstraint("account_id", "organisation_key"),
)


def _child(name: str, *columns: sa.Column[str]) -> sa.Table:
    """A party sub-collection: rows owned by one party, removed with it."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "party_id", sa.Integer, sa.ForeignKey("parties.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("type", sa.String(20)),
        *columns,
        sa.Index(None, "party_id"),
    )


addresses = _child(
    "party_addresses",
    sa.Column("street", sa.Text),
    sa.Column("city", sa.String(200)),
    sa.Column("state", sa.String(200)),
    sa.Column("country", sa.String(200)),
    sa.Column("zip", sa.String(50)),
)
phone_numbers = _child("party_phone_numbers", sa.Column("number", sa.String(100), nullable=False))
websites = _child(
    "party_websites",
    sa.Column("service", sa.String(20), nullable=False),
    sa.Column("address", sa.String(1000), nullable=False),
    sa.Column("url", sa.String(1100), nullable=False),
)
email_addresses = _child(
    "party_email_addresses", sa.Column("address", sa.String(320), nullable=False)
)
# Filters compare the texts of a party's rows in any case: `email is …`, `city is …`, `phone
# starts with …` find the rows through these, and read the party's id from the index alone.
for _table, _column in (
    (email_addresses, "address"),
    (addresses, "city"),
    (addresses, "zip"),
    (addresses, "state"),
    (addresses, "country"),
    (phone_numbers, "number"),
    (websites, "address"),
):
    sa.Index(
        f"ix_{_table.name}_lower_{_column}_party_id",
        sa.func.lower(_table.c[_column]),
        _table.c.party_id,
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
    phone_numbers  # an index over an expression of literals alone finds no table by itself
)
sa.Index("ix_parties_person_name_key", parties.c.account_id, person_name_key(parties))


def display_name(table: sa.FromClause = parties) -> sa.ColumnElement[str]:
    """A party's name as shown: a person's first and last name, an organisation's name."""
    first = sa.func.coalesce(table.c.first_name, _text(""))
    last = sa.func.coalesce(table.c.last_name, _text(""))
    person = sa.func.trim(first.op("||")(_text(" ")).op("||")(last))
    return sa.case((table.c.type == _text("person"), person), else_=table.c.name)


# Filters on a party's name (`name is`, `starts with`, `is` no name, `org.name …`) and lists in
# order of name find the parties through this, not by working out every party's name.
sa.Index("ix_parties_lower_name", parties.c.account_id, sa.func.lower(display_name(parties)))

# The search index: one row per party, its normalised texts in columns by rank (see
# store/search.py). On PostgreSQL a plain table with a trigram GIN index over the columns joined;
# on SQLite an FTS5 virtual table with the trigram tokenizer (rowid = party id). Created by its
# migration per dialect, so it is left out of the metadata/migration comparison.
party_search = sa.Table(
    "party_search",
    metadata,
    sa.Column("party_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("account_id", sa.Integer, nullable=False),
    sa.Column("names", sa.Text, nullable=False),
    sa.Column("emails", sa.Text, nullable=False),
    sa.Column("phones", sa.Text, nullable=False),
    sa.Column("other", sa.Text, nullable=False),
    info={"dialect_specific": True},
)
