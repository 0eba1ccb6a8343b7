"""A valid write body for every API v2 resource, so the shared contract tests can exercise it.

A resource without an example here fails tests/api/test_resource_contract.py.
"""

import itertools
from collections.abc import Callable
from typing import Any

_counter = itertools.count()


def _party() -> dict[str, Any]:
    return {"type": "organisation", "name": f"Example Org {next(_counter)}"}


def _party_change() -> dict[str, Any]:
    return {"about": f"Changed {next(_counter)}"}


# plural -> (new record body, partial update body)
EXAMPLES: dict[str, tuple[Callable[[], dict[str, Any]], Callable[[], dict[str, Any]]]] = {
    "parties": (_party, _party_change),
}
