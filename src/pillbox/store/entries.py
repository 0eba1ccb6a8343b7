"""Entry queries: pages by date (account-wide or per record), loading with references, writes,
attachments and uploads."""

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store import page_blocks
from pillbox.store.listing import Listing
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, insert_id
from pillbox.store.sql_terms import account_checked, account_rows_by_id, ids_param
from pillbox.store.tables.accounts import users
from pillbox.store.tables.entries import (
    attachments,
    entries,
    entry_participants,
    entry_parties,
    orphan_files,
    uploads,
)
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties

_NEWEST_FIRST = (entries.c.entry_at.desc(), entries.c.id.desc())
SCOPED = Scoped(entries, order=_NEWEST_FIRST)
_PAGE_BEFORE = Query(
    sa.select(entries.c.id)
    .where(
        entries.c.account_id == sa.bindparam("account_id"),
        entries.c.entry_at < sa.bindparam("before"),
    )
    .order_by(*_NEWEST_FIRST)
    .limit(sa.bindparam("limit"))
    .offset(sa.bindparam("offset"))
)


def page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    """A page of the account's entries, newest first; a deep one starts at its day's block."""
    found = None
    if listing.offset >= page_blocks.ANCHOR_FROM:
        found = page_blocks.anchor(conn, account_id, ["entries"], listing.offset, descending=True)
    if found is None:
        return SCOPED.page_ids(conn, account_id, listing)
    return _PAGE_BEFORE.scalars(
        conn,
        account_id=account_id,
        before=page_blocks.day_after_block(found.block),
        offset=listing.offset - found.rows_before,
        limit=listing.limit,
    )


_LOAD = Query(
    sa.select(
        entries,
        users.c.username.label("creator_username"),
        users.c.name.label("creator_name"),
        users.c.deleted.label("creator_deleted"),
        parties.c.type.label("party_type"),
        parties.c.first_name.label("party_first_name"),
        parties.c.last_name.label("party_last_name"),
        parties.c.name.label("party_name"),
        opportunities.c.name.label("opportunity_name"),
        kases.c.name.label("kase_name"),
    )
    .select_from(
        entries.outerjoin(users, users.c.id == entries.c.creator_id)
        .outerjoin(parties, parties.c.id == entries.c.party_id)
        .outerjoin(opportunities, opportunities.c.id == entries.c.opportunity_id)
        .outerjoin(kases, kases.c.id == entries.c.kase_id)
    )
    .where(account_rows_by_id(entries))
)


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in _LOAD.rows(conn, account_id=account_id, ids=ids)}


def record_entry_ids(
    conn: sa.Connection, account_id: int, column: str, record_id: int, offset: int, limit: int
) -> list[int]:
    """Entries filed on one record, newest first; for a party, also emails filed against it.

    The ids come from the per-record indexes (a UNION, not an OR, which would scan the account's
    entries), then only those few are sorted."""
    query = _RECORD_PAGES.get(column) or _record_page(column)
    return query.scalars(
        conn, account_id=account_id, record_id=record_id, offset=offset, limit=limit
    )


_RECORD_PAGES: dict[str, Query] = {}


def _record_page(column: str) -> Query:
    record_id: sa.BindParameter[Any] = sa.bindparam("record_id")
    own: sa.Select[Any] = sa.select(entries.c.id).where(entries.c[column] == record_id)
    if column == "party_id":
        filed = sa.select(entry_parties.c.entry_id).where(entry_parties.c.party_id == record_id)
        ids: Any = sa.union(own, filed)
    else:
        ids = own
    # The account only checked: SQLite would walk the account's date index (all its entries)
    # instead of looking up the record's few ids and sorting them.
    query = _RECORD_PAGES[column] = Query(
        sa.select(entries.c.id)
        .where(account_checked(entries), entries.c.id.in_(ids))
        .order_by(*_NEWEST_FIRST)
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )
    return query


def find(conn: sa.Connection, account_id: int, entry_id: int) -> Any:
    return SCOPED.find(conn, account_id, entry_id)


def insert(conn: sa.Connection, values: dict[str, Any]) -> int:
    return insert_id(conn, entries.insert().values(**values))


def update(conn: sa.Connection, account_id: int, entry_id: int, values: dict[str, Any]) -> None:
    SCOPED.update(conn, account_id, entry_id, values)


def delete(conn: sa.Connection, account_id: int, entry_id: int) -> None:
    """Deletes the entry; its files are queued for removal once this commits."""
    query = (
        sa.select(attachments.c.storage_key)
        .join(entries, entries.c.id == attachments.c.entry_id)
        .where(entries.c.account_id == account_id, entries.c.id == entry_id)
    )
    keys = list(conn.scalars(query))
    orphan(conn, keys)
    SCOPED.delete(conn, account_id, entry_id)


def reassign_activity_type(conn: sa.Connection, type_id: int, to: int) -> None:
    conn.execute(
        entries.update().where(entries.c.activity_type_id == type_id).values(activity_type_id=to)
    )


# -- emails: filed parties and participants ------------------------------------------------------


_FILED_PARTIES = Query(
    sa.select(entry_parties.c.entry_id, entry_parties.c.party_id)
    .where(ids_param(entry_parties.c.entry_id))
    .order_by(entry_parties.c.party_id)
)
_PARTICIPANTS = Query(
    sa.select(entry_participants)
    .where(ids_param(entry_participants.c.entry_id))
    .order_by(entry_participants.c.id)
)


def filed_parties(conn: sa.Connection, ids: list[int]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for entry_id, party_id in _FILED_PARTIES.tuples(conn, ids=ids):
        grouped[entry_id].append(party_id)
    return grouped


def participants(conn: sa.Connection, ids: list[int]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in _PARTICIPANTS.rows(conn, ids=ids):
        grouped[row.entry_id].append(row)
    return grouped


def file_email(
    conn: sa.Connection, entry_id: int, party_ids: list[int], people: list[dict[str, Any]]
) -> None:
    if party_ids:
        conn.execute(
            entry_parties.insert(), [{"entry_id": entry_id, "party_id": p} for p in party_ids]
        )
    if people:
        conn.execute(entry_participants.insert(), [{"entry_id": entry_id, **p} for p in people])


# -- attachments and uploads ----------------------------------------------------------------------


_ATTACHMENTS = Query(
    sa.select(attachments).where(ids_param(attachments.c.entry_id)).order_by(attachments.c.id)
)


def load_attachments(conn: sa.Connection, ids: list[int]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in _ATTACHMENTS.rows(conn, ids=ids):
        grouped[row.entry_id].append(row)
    return grouped


def find_attachment(conn: sa.Connection, account_id: int, attachment_id: int) -> Any:
    query = sa.select(attachments).where(
        attachments.c.account_id == account_id, attachments.c.id == attachment_id
    )
    return conn.execute(query).first()


def create_upload(conn: sa.Connection, account_id: int, token: str, values: dict[str, Any]) -> None:
    conn.execute(
        uploads.insert().values(
            token=token, account_id=account_id, created_at=timestamps.now(), **values
        )
    )


def take_upload(conn: sa.Connection, account_id: int, token: str, fresh_since: str) -> Any:
    """The account's upload with this token made at or after `fresh_since`, used up by taking."""
    query = sa.select(uploads).where(
        uploads.c.account_id == account_id,
        uploads.c.token == token,
        uploads.c.created_at >= fresh_since,
    )
    row = conn.execute(query).first()
    if row is not None:
        conn.execute(uploads.delete().where(uploads.c.token == token))
    return row


def attach(conn: sa.Connection, account_id: int, entry_id: int, upload: Any) -> None:
    conn.execute(
        attachments.insert().values(
            account_id=account_id,
            entry_id=entry_id,
            filename=upload.filename,
            content_type=upload.content_type,
            size=upload.size,
            storage_key=upload.storage_key,
            created_at=timestamps.now(),
        )
    )


def detach(conn: sa.Connection, entry_id: int, attachment_id: int) -> bool:
    query = sa.select(attachments.c.storage_key).where(
        attachments.c.entry_id == entry_id, attachments.c.id == attachment_id
    )
    key = conn.scalar(query)
    if key is None:
        return False
    conn.execute(attachments.delete().where(attachments.c.id == attachment_id))
    orphan(conn, [key])
    return True


def attachment_count(conn: sa.Connection, entry_id: int) -> int:
    query = sa.select(sa.func.count()).where(attachments.c.entry_id == entry_id)
    return int(conn.scalar(query) or 0)


def orphan(conn: sa.Connection, keys: list[str]) -> None:
    if keys:
        now = timestamps.now()
        conn.execute(orphan_files.insert(), [{"storage_key": k, "created_at": now} for k in keys])


def expire_uploads(conn: sa.Connection, before: str) -> int:
    """Unattached uploads made before `before` become orphans; returns how many."""
    stale = list(
        conn.execute(
            sa.select(uploads.c.token, uploads.c.storage_key).where(uploads.c.created_at < before)
        )
    )
    orphan(conn, [row.storage_key for row in stale])
    if stale:
        conn.execute(uploads.delete().where(uploads.c.token.in_([row.token for row in stale])))
    return len(stale)


def orphans(conn: sa.Connection, limit: int) -> list[str]:
    query = sa.select(orphan_files.c.storage_key).order_by(orphan_files.c.created_at).limit(limit)
    return list(conn.scalars(query))


def forget_orphans(conn: sa.Connection, keys: list[str]) -> None:
    conn.execute(orphan_files.delete().where(orphan_files.c.storage_key.in_(keys)))


def orphan_files_of(conn: sa.Connection, column: str, record_id: int) -> None:
    """Queues the attachment files of a record's entries, which its deletion cascades away."""
    query = (
        sa.select(attachments.c.storage_key)
        .join(entries, entries.c.id == attachments.c.entry_id)
        .where(entries.c[column] == record_id)
    )
    orphan(conn, list(conn.scalars(query)))
