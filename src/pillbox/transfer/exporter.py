"""CSV export: every record of one type, in headers that `import csv` reads back.

Two passes over the records, a page at a time: the first finds which contact-detail columns
the account needs (`Work Email 2` only if someone has two), the second writes the rows.
"""

from collections.abc import Iterator
from typing import IO

import sqlalchemy as sa

from pillbox.store.accounts import Principal
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties
from pillbox.store.tables.tasks import tasks
from pillbox.transfer import csv_files, party_columns, party_rows, record_rows
from pillbox.transfer.context import Context
from pillbox.transfer.extras import TAGS
from pillbox.transfer.headers import FIELD_PREFIX

TABLES = {"parties": parties, "opportunities": opportunities, "kases": kases, "tasks": tasks}
PAGE = 500


def export(conn: sa.Connection, actor: Principal, entity: str, out: IO[str]) -> int:
    """Writes the records as CSV to `out`; returns how many."""
    context = Context.load(conn, actor, entity)
    columns = _columns(conn, context)
    writer = csv_files.writer(out)
    writer.writerow([_header(key) for key in columns])
    count = 0
    for page in _pages(conn, context):
        for values in page.values():
            writer.writerow([values.get(key, "") for key in columns])
            count += 1
    return count


def _header(key: str) -> str:
    return key.removeprefix(FIELD_PREFIX)


def _columns(conn: sa.Connection, context: Context) -> list[str]:
    fields = [FIELD_PREFIX + row.name for row in context.definitions.values()]
    if context.entity != "parties":
        spec = record_rows.SPECS[context.entity]
        return [*record_rows.column_order(spec), *((TAGS, *fields) if spec.extras else ())]
    keys: set[str] = set()
    for page in _pages(conn, context):
        for values in page.values():
            keys.update(key for key in values if not key.startswith(FIELD_PREFIX))
    fixed = [*party_columns.COLUMN_ORDER, TAGS, "Owner", "About"]
    details = sorted((keys - set(fixed)), key=party_columns.sort_key)
    return [*party_columns.COLUMN_ORDER, *details, TAGS, "Owner", "About", *fields]


def _pages(conn: sa.Connection, context: Context) -> Iterator[dict[int, dict[str, str]]]:
    table = TABLES[context.entity]
    last = 0
    while True:
        query = (
            sa.select(table.c.id)
            .where(table.c.account_id == context.account_id, table.c.id > last)
            .order_by(table.c.id)
            .limit(PAGE)
        )
        ids = list(conn.scalars(query))
        if not ids:
            return
        last = ids[-1]
        if context.entity == "parties":
            yield party_rows.project(conn, context, ids)
        else:
            yield record_rows.project(conn, context, record_rows.SPECS[context.entity], ids)
