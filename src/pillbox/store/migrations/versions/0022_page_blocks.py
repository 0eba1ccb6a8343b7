"""Page blocks: each list's rows counted per block of its order, kept by triggers, so that a deep
page is reached from the count of the blocks before it instead of stepping over every row. And
indexes for filters: a tag's records read from the index alone, and a party's zip, state,
country, phone numbers and websites in lower case (as its email addresses and cities were). On
SQLite, the full-text search indexes merge their segments as soon as two of a level exist.

Revision ID: 0022
Revises: 0021
"""

from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# The same lists as store/page_blocks.py reads: a row's list and block as SQL over `{row}`.
_DAY = "CAST(REPLACE(SUBSTR({row}.{column}, 1, 10), '-', '') AS INTEGER)"


@dataclass(frozen=True)
class Counted:
    table: str
    listing: str
    block: str
    moved_by: tuple[str, ...] = ()  # columns whose change can move a row to another block


COUNTED = (
    Counted("parties", "'parties'", "{row}.id / 1024"),
    Counted("opportunities", "'opportunities'", "{row}.id / 1024"),
    Counted("kases", "'kases'", "{row}.id / 1024"),
    Counted("entries", "'entries'", _DAY.replace("{column}", "entry_at"), ("entry_at",)),
    Counted(
        "tasks",
        "'tasks:' || {row}.status",
        _DAY.replace("{column}", "due_on"),
        ("status", "due_on"),
    ),
)


def _of(counted: Counted, row: str) -> tuple[str, str]:
    return counted.listing.format(row=row), counted.block.format(row=row)


# Level 0 counts each block, level 1 each run of FANOUT blocks (block / FANOUT).
FANOUT = 100
LEVELS = {0: "{block}", 1: f"({{block}}) / {FANOUT}"}


def _add(counted: Counted, row: str, pg: bool) -> str:
    listing, block = _of(counted, row)
    count = "page_blocks.row_count" if pg else "row_count"
    return " ".join(
        f"INSERT INTO page_blocks (account_id, listing, level, block, row_count) "
        f"VALUES ({row}.account_id, {listing}, {level}, {at.format(block=block)}, 1) "
        f"ON CONFLICT (account_id, listing, level, block) DO UPDATE SET row_count = {count} + 1;"
        for level, at in LEVELS.items()
    )


def _remove(counted: Counted, row: str) -> str:
    listing, block = _of(counted, row)
    return " ".join(
        f"UPDATE page_blocks SET row_count = row_count - 1 WHERE account_id = {row}.account_id "
        f"AND listing = {listing} AND level = {level} AND block = {at.format(block=block)};"
        for level, at in LEVELS.items()
    )


def _moved(counted: Counted, distinct: str) -> str:
    (old_listing, old_block), (new_listing, new_block) = _of(counted, "OLD"), _of(counted, "NEW")
    return f"{old_listing} {distinct} {new_listing} OR {old_block} {distinct} {new_block}"


def _sqlite_triggers(counted: Counted) -> list[str]:
    name = f"page_blocks_{counted.table}"
    add, remove = _add(counted, "NEW", False), _remove(counted, "OLD")
    found = [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {counted.table} BEGIN {add} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {counted.table} BEGIN {remove} END",
    ]
    if counted.moved_by:
        found.append(
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(counted.moved_by)} "
            f"ON {counted.table} WHEN {_moved(counted, 'IS NOT')} BEGIN {remove} {add} END"
        )
    return found


def _postgresql_triggers(counted: Counted) -> list[str]:
    name = f"page_blocks_{counted.table}"
    add, remove = _add(counted, "NEW", True), _remove(counted, "OLD")
    found = [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {remove} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {add} END IF; RETURN NULL; END $$",
        f"CREATE TRIGGER {name}_insert_delete AFTER INSERT OR DELETE ON {counted.table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]
    if counted.moved_by:
        found.append(
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(counted.moved_by)} "
            f"ON {counted.table} FOR EACH ROW WHEN ({_moved(counted, 'IS DISTINCT FROM')}) "
            f"EXECUTE FUNCTION {name}()"
        )
    return found


def _count_existing(counted: Counted, level: int) -> str:
    listing, block = _of(counted, counted.table)
    return (
        f"INSERT INTO page_blocks (account_id, listing, level, block, row_count) "
        f"SELECT account_id, {listing}, {level}, {LEVELS[level].format(block=block)}, COUNT(*) "
        f"FROM {counted.table} GROUP BY 1, 2, 3, 4"
    )


# (name, table, column): indexes of a party's texts in lower case, for filters.
LOWER_CASE = (
    ("ix_party_addresses_lower_zip", "party_addresses", "zip"),
    ("ix_party_addresses_lower_state", "party_addresses", "state"),
    ("ix_party_addresses_lower_country", "party_addresses", "country"),
    ("ix_party_phone_numbers_lower_number", "party_phone_numbers", "number"),
    ("ix_party_websites_lower_address", "party_websites", "address"),
)


SEARCH_TABLES = ("party_search", "opportunity_search", "kase_search")
# FTS5 merges a level's segments once this many exist (its default: 4): writes keep the index
# in fewer segments, so a search reads fewer of them, without any one-off `optimize`.
AUTOMERGE = 2


def upgrade() -> None:
    op.drop_index("ix_record_tags_tag_id", table_name="record_tags")
    op.create_index("ix_record_tags_tag_id_record_id", "record_tags", ["tag_id", "record_id"])
    for name, table, column in LOWER_CASE:
        op.create_index(name, table, [sa.text(f"lower({column})")])
    op.create_table(
        "page_blocks",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("listing", sa.String(length=30), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("block", sa.BigInteger(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_page_blocks_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "listing", "level", "block", name=op.f("pk_page_blocks")
        ),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in () if postgresql else SEARCH_TABLES:
        op.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', {AUTOMERGE})")
    for counted in COUNTED:
        for level in LEVELS:
            op.execute(_count_existing(counted, level))
        triggers = _postgresql_triggers if postgresql else _sqlite_triggers
        for statement in triggers(counted):
            op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in () if postgresql else SEARCH_TABLES:
        op.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 4)")
    for counted in COUNTED:
        name = f"page_blocks_{counted.table}"
        if postgresql:
            op.execute(f"DROP FUNCTION {name}() CASCADE")  # its triggers with it
        else:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")
    op.drop_table("page_blocks")
    op.drop_index("ix_record_tags_tag_id_record_id", table_name="record_tags")
    op.create_index("ix_record_tags_tag_id", "record_tags", ["tag_id"])
    for name, table, _column in LOWER_CASE:
        op.drop_index(name, table_name=table)
