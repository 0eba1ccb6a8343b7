"""Lists ranked by search: the best matches first when there are search terms, else id order,
and both search terms and conditions together (the v1 lists and the web's party list)."""

from collections.abc import Callable
from typing import Protocol, TypeVar

import sqlalchemy as sa

from pillbox.store import search

SEARCH_BATCH = 500


class Criteria(Protocol):
    @property
    def empty(self) -> bool: ...


C = TypeVar("C", bound=Criteria)
# (conn, account_id, criteria, offset, limit, among) -> ids meeting the criteria, in id order
Matching = Callable[[sa.Connection, int, C, int, int, list[int] | None], list[int]]


def ranked_ids(
    conn: sa.Connection,
    account_id: int,
    index: search.SearchIndex,
    terms: list[str],
    criteria: C,
    matching: Matching[C],
    start: int,
    limit: int,
) -> list[int]:
    """One page of a list: search matches best first when there are terms, else id order."""
    if not terms:
        return matching(conn, account_id, criteria, start, limit, None)
    if criteria.empty:
        return search.search_ids(conn, account_id, terms, start, limit, index)
    # Search and criteria together: walk the ranked matches, keeping those that meet both.
    wanted = start + limit
    kept: list[int] = []
    offset = 0
    while len(kept) < wanted:
        batch = search.search_ids(conn, account_id, terms, offset, SEARCH_BATCH, index)
        meeting = set(matching(conn, account_id, criteria, 0, len(batch), batch) if batch else [])
        kept += [record_id for record_id in batch if record_id in meeting]
        if len(batch) < SEARCH_BATCH:
            break
        offset += SEARCH_BATCH
    return kept[start:wanted]
