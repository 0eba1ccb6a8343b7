"""Merging duplicate parties: what hangs off the sources moves to the target, then they go.

- The target and the sources are the account's (else a 404, as for any record), all people or
  all organisations (else a 422), and the target is not among the sources (a 422).
- What moves to the target: entries (and emails filed against a source), tracks, tasks,
  opportunities and projects (as main party and as additional party), an organisation's people,
  the user whose person record a source is, tags, the contacts the target lacks (an email
  address, phone number, website or address the target has already is not repeated) and the
  custom field values the target has no value for. The target's own properties stay;
  `lastContactedAt` becomes the latest of all.
- The sources are then deleted, into `/parties/deleted`.
- REST hooks fire as for the same changes made one by one: `task/updated`,
  `opportunity/updated` and `kase/updated` for each record moved, `party/updated` for each person
  moved and for the target, `party/deleted` for each source. The change history records the
  same, through `merge`.
"""

import re
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field

from pillbox import timestamps
from pillbox.domain import changes, hooks
from pillbox.domain.base import InputModel, RefIn
from pillbox.domain.parties import ENTITY, RESOURCE, delete_party
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import additional_parties, search
from pillbox.store import merges as store
from pillbox.store import parties as party_store
from pillbox.store.accounts import Principal

MAX_SOURCES = 100
# Records that have one party of their own, with the event a change of it fires and the field
# the history names.
_OWN = (
    ("tasks", "task/updated", "party"),
    ("opportunities", "opportunity/updated", "party"),
    ("kases", "kase/updated", "party"),
    ("people", "party/updated", "organisation"),
)
_ENTITIES = {"tasks": "tasks", "opportunities": "opportunities", "kases": "kases", "people": ENTITY}
_LINKS = {"opportunities": additional_parties.OPPORTUNITIES, "kases": additional_parties.KASES}


class MergeInput(InputModel):
    parties: Annotated[list[RefIn], Field(min_length=1, max_length=MAX_SOURCES)]


def merge_parties(conn: sa.Connection, who: Principal, target_id: int, data: MergeInput) -> int:
    """Merges the parties of `data` into the target; returns the target's id."""
    with changes.via("merge"):
        target = _find(conn, who, target_id)
        sources = [_find(conn, who, ref.id) for ref in data.parties]
        source_ids = list(dict.fromkeys(source.id for source in sources))
        _check(target, sources)
        before = changes.collections(conn, ENTITY, target_id, list(changes.COLLECTIONS))
        now = timestamps.now()
        found: list[tuple[str, int, changes.Change]] = []
        for source_id in source_ids:
            found += _absorb(conn, who, source_id, target_id, now)
        found += [
            (ENTITY, target_id, change)
            for change in changes.applied(conn, ENTITY, target_id, before)
        ]
        changes.record_many(conn, who, found)
        last = store.last_contacted(conn, [target_id, *source_ids])
        party_store.update(
            conn, who.account_id, target_id, {"updated_at": now, "last_contacted_at": last}
        )
        search.reindex(conn, who.account_id, target_id)
        hooks.emit(conn, who.account_id, "party/updated", target_id)
        for source_id in source_ids:
            delete_party(conn, who, source_id)
    return target_id


def _find(conn: sa.Connection, who: Principal, party_id: int | None) -> Any:
    found = party_store.find(conn, who.account_id, party_id) if party_id else None
    if found is None:
        raise NotFound()
    return found


def _check(target: Any, sources: list[Any]) -> None:
    if any(source.id == target.id for source in sources):
        raise ValidationFailed.single("a party cannot be merged into itself", RESOURCE, "parties")
    if any(source.type != target.type for source in sources):
        message = "parties to merge must be all people or all organisations"
        raise ValidationFailed.single(message, RESOURCE, "parties")


def _absorb(
    conn: sa.Connection, who: Principal, source: int, target: int, now: str
) -> list[tuple[str, int, changes.Change]]:
    """Moves everything from one source to the target; returns the changes to record."""
    found: list[tuple[str, int, changes.Change]] = []
    moved_main: dict[str, list[int]] = {}
    for kind, event, field in _OWN:
        ids = moved_main[kind] = store.ids_on(conn, kind, source)
        store.move_own(conn, kind, ids, target, now)
        for record_id in ids:
            hooks.emit(conn, who.account_id, event, record_id)
            found.append((_ENTITIES[kind], record_id, (field, {"id": source}, {"id": target})))
    for kind, links in _LINKS.items():
        store.drop_links(conn, links, moved_main[kind], target)
        store.move_links(conn, links, source, target, now)
    store.move_entries_and_tracks(conn, source, target)
    store.move_users(conn, source, target)
    store.move_tags(conn, source, target)
    store.move_field_values(conn, source, target)
    _move_contacts(conn, source, target)
    return found


def _move_contacts(conn: sa.Connection, source: int, target: int) -> None:
    """Moves the source's contacts that the target lacks; the others go with the source."""
    children = party_store.load_children(conn, [target, source])
    for kind, table in party_store.CHILD_TABLES.items():
        seen = {_contact_key(kind, item) for item in children[kind].get(target, [])}
        moving = []
        for item in children[kind].get(source, []):
            key = _contact_key(kind, item)
            if key not in seen:
                seen.add(key)
                moving.append(item["id"])
        store.move_children(conn, table, moving, target)


_NOT_DIGITS = re.compile(r"[^0-9]")


def _contact_key(kind: str, item: dict[str, Any]) -> tuple[str, ...]:
    """What makes two contacts the same: an email address in any case, a phone number's digits,
    a website's service and address, an address's every line (any case)."""
    if kind == "phoneNumbers":
        return (_NOT_DIGITS.sub("", item["number"] or ""),)
    names = party_store.CHILD_FIELDS[kind]
    return tuple((item.get(name) or "").strip().lower() for name in names if name != "url")
