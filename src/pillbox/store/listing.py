"""What one list request asks the store for: `since`, one page, and the resource's own flags."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Listing:
    since: str | None  # only records changed at or after it (record types only)
    offset: int
    limit: int
    flags: dict[str, bool | None] = field(default_factory=dict)  # a resource's boolean filters
    name: str | None = None  # `q` on settings lists: a part of the name
    choices: dict[str, str | None] = field(default_factory=dict)  # e.g. {"status": "OPEN"}
    params: dict[str, Any] = field(default_factory=dict)  # a resource's own list parameters
