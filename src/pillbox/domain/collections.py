"""Applying a nested collection from a write body: add, change or remove rows, leave the rest."""

from collections.abc import Callable
from typing import Any

from pillbox.domain.base import CollectionItem
from pillbox.errors import NotFound


def apply_collection(
    items: list[Any],
    *,
    add: Callable[[Any], None],
    change: Callable[[int, Any], bool],
    remove: Callable[[int], bool],
) -> bool:
    """Applies each item in order; `change`/`remove` return False for a row the record lacks (404).

    Returns whether anything was sent at all (an empty list changes nothing).
    """
    for item in items:
        assert isinstance(item, CollectionItem)
        if item.id is None:
            if not item.delete:
                add(item)
        elif item.delete:
            if not remove(item.id):
                raise NotFound()
        elif not change(item.id, item):
            raise NotFound()
    return bool(items)
