"""What an import has done so far: counts per type, records skipped and why, ids that changed,
and links waiting for the record they point at. Kept as JSON with the import's progress, so
that a resumed import reports the whole of it."""

from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass
class Report:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # type -> read/written/…
    skipped: list[list[Any]] = field(default_factory=list)  # [type, Capsule id, reason]
    remapped: list[list[Any]] = field(default_factory=list)  # [table, Capsule id, local id]
    # [table, local id, column, table pointed at, Capsule id]: set once that record is in.
    pending: list[list[Any]] = field(default_factory=list)
    deleted: int = 0  # records removed because Capsule deleted them (--since-last)
    since: str | None = None  # --since-last: the run reads what changed after this moment
    anonymise: bool = False  # the run replaces personal data (a resumed run must as well)
    # [collection, Capsule id] of records with tasks on tracks: their tracks are read later.
    track_records: list[list[Any]] = field(default_factory=list)

    def count(self, kind: str, what: str, n: int = 1) -> None:
        tally = self.counts.setdefault(kind, {"read": 0, "written": 0, "skipped": 0})
        tally[what] = tally.get(what, 0) + n

    def skip(self, kind: str, source_id: Any, reason: str) -> None:
        self.count(kind, "skipped")
        self.skipped.append([kind, source_id, reason])

    def dumps(self) -> str:
        return orjson.dumps(self.__dict__).decode()

    @classmethod
    def loads(cls, text: str) -> "Report":
        data = orjson.loads(text) if text else {}
        return cls(**data)

    def lines(self) -> list[str]:
        """The summary printed at the end."""
        lines = [
            f"{kind}: read {c.get('read', 0):,}, written {c.get('written', 0):,}, "
            f"skipped {c.get('skipped', 0):,}"
            for kind, c in self.counts.items()
        ]
        if self.deleted:
            lines.append(
                f"deleted in Capsule since the last import, removed here: {self.deleted:,}"
            )
        if self.skipped:
            lines.append("Skipped:")
            lines += [f"  {kind} {source_id}: {reason}" for kind, source_id, reason in self.skipped]
        if self.remapped:
            lines.append("Ids already taken in this database, given new ones (Capsule id -> id):")
            lines += [f"  {table} {old} -> {new}" for table, old, new in self.remapped]
        return lines
