"""What every renderer shares: its signature, loading a page of rows, embedding full records."""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from pillbox.store.accounts import Principal

# (conn, principal, ids, embeds) -> wire dicts of the ids found, in the order asked for
Render = Callable[[sa.Connection, Principal, list[int], frozenset[str]], list[dict[str, Any]]]
# (conn, account_id, ids) -> rows by id
Loader = Callable[[sa.Connection, int, list[int]], dict[int, Any]]


def found_rows(load: Loader, conn: sa.Connection, who: Principal, ids: list[int]) -> list[Any]:
    """The account's rows of `ids`, in the order asked for, from one query (none for no ids).

    Another account's ids are simply not found, so they take the same path as missing ones."""
    if not ids:
        return []
    rows = load(conn, who.account_id, ids)
    return [rows[i] for i in ids if i in rows]


def rows_render(load: Loader, to_wire: Callable[[Any], dict[str, Any]]) -> Render:
    """A Render from a row loader and a to_wire: one query for the rows, in the order asked."""

    def render(
        conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
    ) -> list[dict[str, Any]]:
        return [to_wire(row) for row in found_rows(load, conn, who, ids)]

    return render


def embed_full(
    items: list[dict[str, Any]],
    key: str,
    render: Render,
    conn: sa.Connection,
    who: Principal,
) -> None:
    """Replaces each item's short reference under `key` (`{"id", "name"}`) with the full
    record, rendered for the whole page at once (no per-item queries)."""
    wanted = list(dict.fromkeys(item[key]["id"] for item in items if item.get(key)))
    if not wanted:
        return
    full = {record["id"]: record for record in render(conn, who, wanted, frozenset())}
    for item in items:
        if item.get(key):
            item[key] = full.get(item[key]["id"], item[key])


def embedding(render: Render, full: dict[str, Render]) -> Render:
    """`render`, then the full records of the `embed`s named in `full` (embed -> their Render)."""

    def render_embedded(
        conn: sa.Connection, who: Principal, ids: list[int], embeds: frozenset[str]
    ) -> list[dict[str, Any]]:
        items = render(conn, who, ids, embeds)
        for key in sorted(embeds & full.keys()):
            embed_full(items, key, full[key], conn, who)
        return items

    return render_embedded
