"""A party's sub-collections (addresses, phone numbers, websites, email addresses): the rules
for a row, and how a write adds, changes and removes rows."""

from typing import Any

import sqlalchemy as sa

from pillbox.domain.collections import apply_collection
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import parties as store

RESOURCE = "party"

# Services whose `address` is a handle; the others hold a URL.
_PROFILE_URLS = {
    "SKYPE": "skype:{}?call",
    "TWITTER": "https://twitter.com/{}",
    "GITHUB": "https://github.com/{}",
    "YOUTUBE": "https://www.youtube.com/user/{}",
    "INSTAGRAM": "https://instagram.com/{}",
    "PINTEREST": "https://pinterest.com/{}",
    "TIKTOK": "https://www.tiktok.com/@{}",
    "THREADS": "https://www.threads.net/@{}",
    "BLUESKY": "https://bsky.app/profile/{}",
    "SNAPCHAT": "https://www.snapchat.com/add/{}",
}

_SINGULAR = {
    "addresses": "address",
    "phoneNumbers": "phoneNumber",
    "websites": "website",
    "emailAddresses": "emailAddress",
}
_REQUIRED = {"phoneNumbers": "number", "websites": "address", "emailAddresses": "address"}


def apply_children(conn: sa.Connection, party_id: int, kind: str, items: list[Any]) -> bool:
    def add(item: Any) -> None:
        store.insert_child(conn, kind, party_id, _new_child_values(item, kind))

    def change(child_id: int, item: Any) -> bool:
        values = _child_values(item, kind)
        required = _REQUIRED.get(kind)
        if required in values and not (values[required] or "").strip():
            field = f"{_SINGULAR[kind]}.{required}"
            raise ValidationFailed.single(f"{required} is required", RESOURCE, field)
        if kind == "websites" and ("service" in values or "address" in values):
            current = store.child(conn, kind, party_id, child_id)
            if current is None:
                return False
            merged = {"service": current.service, "address": current.address, **values}
            values["url"] = website_url(merged["service"] or "URL", merged["address"])
        return store.update_child(conn, kind, party_id, child_id, values)

    return apply_collection(
        items,
        add=add,
        change=change,
        remove=lambda child_id: store.delete_child(conn, kind, party_id, child_id),
    )


def _new_child_values(item: Any, kind: str) -> dict[str, Any]:
    """A new row of a sub-collection: its required value present, a website's link derived."""
    values = _child_values(item, kind)
    required = _REQUIRED.get(kind)
    if required and not (values.get(required) or "").strip():
        field = f"{_SINGULAR[kind]}.{required}"
        raise ValidationFailed.single(f"{required} is required", RESOURCE, field)
    if kind == "websites":
        values.setdefault("service", "URL")
        values["url"] = website_url(values["service"], values["address"])
    return values


def _child_values(item: Any, kind: str) -> dict[str, Any]:
    names = ("type", *store.CHILD_FIELDS[kind])
    values = {name: getattr(item, name) for name in names if name != "url" and item.sent(name)}
    if kind == "websites" and values.get("service", "URL") is None:
        values["service"] = "URL"
    return values


def website_url(service: str, address: str) -> str:
    """The link Capsule derives from a website's service and address."""
    address = address.strip()
    if "://" in address:
        return address
    template = _PROFILE_URLS.get(service)
    if template:
        return template.format(address.lstrip("@"))
    return f"http://{address}"


def add_children(conn: sa.Connection, party_id: int, kind: str, items: list[Any]) -> list[Any]:
    """Adds the items of a new party's sub-collection; returns them as the history shows them.

    A new party has no rows yet: an item naming one (by id) is a 404, as on an update."""
    rows = []
    for item in items:
        if item.id is not None:
            raise NotFound()
        if not item.delete:
            rows.append(_new_child_values(item, kind))
    if rows:
        store.insert_children(conn, kind, party_id, rows)
    names = ("type", *store.CHILD_FIELDS[kind])
    return [{name: row.get(name) for name in names} for row in rows]
