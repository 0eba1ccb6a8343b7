"""What an import will do with each column: the field it holds, and how records are matched."""

import json
from dataclasses import dataclass, field

from pillbox.transfer import party_columns, record_rows
from pillbox.transfer.context import Context
from pillbox.transfer.headers import READ_ONLY, normalise, recognise

ENTITIES = {
    "parties": "parties",
    "opportunities": "opportunities",
    "projects": "kases",
    "tasks": "tasks",
}
MATCHES = ("email", "name", "id", "none")
NAME_KEYS = {"First Name", "Last Name", "Name", "Organisation"}


class ImportRefused(Exception):
    """The import cannot run at all (a mapping to nowhere, a match it cannot do)."""


@dataclass(frozen=True)
class Options:
    entity: str  # parties, opportunities, kases, tasks
    mapping: tuple[tuple[str, str], ...] = ()  # (CSV column, field) pairs from --map
    match: str | None = None

    def to_json(self) -> str:
        return json.dumps({"entity": self.entity, "map": self.mapping, "match": self.match})

    @classmethod
    def from_json(cls, text: str) -> "Options":
        data = json.loads(text)
        return cls(data["entity"], tuple(tuple(pair) for pair in data["map"]), data["match"])


def parse_mapping(items: list[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in items:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise ImportRefused(f'--map takes "CSV column=field", not {item!r}')
        pairs.append((column.strip(), target.strip()))
    return tuple(pairs)


@dataclass
class Plan:
    entity: str
    header: list[str]
    keys: list[str | None]  # per column: the field key, or None when ignored
    match: str
    ignored: list[str] = field(default_factory=list)

    def column_of(self, key: str | None) -> str | None:
        return self.header[self.keys.index(key)] if key in self.keys else None


def make_plan(context: Context, header: list[str], options: Options) -> Plan:
    definitions = context.definition_names()
    mapped = {column.lower(): target for column, target in options.mapping}
    known = {column.lower() for column in header}
    for column, _ in options.mapping:
        if column.lower() not in known:
            raise ImportRefused(f"--map: the file has no column {column!r}")
    keys: list[str | None] = []
    ignored = []
    for column in header:
        target = mapped.get(column.lower())
        key = recognise(options.entity, target or column, definitions)
        if target is not None and key is None:
            raise ImportRefused(f"--map: {target!r} is not a field of {options.entity}")
        key = _unique(key, keys)
        if key is None and normalise(column) not in READ_ONLY:
            ignored.append(column)
        keys.append(key)
    match = _match(options, keys)
    if options.entity == "parties" and not NAME_KEYS & set(keys) and match not in ("email", "id"):
        raise ImportRefused(
            "the file has no name column (First Name, Last Name, Name or Organisation); "
            'use --map "column=field"'
        )
    return Plan(options.entity, header, keys, match, ignored)


def _unique(key: str | None, taken: list[str | None]) -> str | None:
    """A second column of the same contact detail becomes the next one (`Email 2`)."""
    if key is None or key not in taken:
        return key
    if party_columns.details({key: "x"}) == party_columns.Details():
        return None  # a second Name column: the first one wins
    number = 2
    while f"{key} {number}" in taken:
        number += 1
    return f"{key} {number}"


def _match(options: Options, keys: list[str | None]) -> str:
    has_email = any(party_columns.details({k: "x"}).emails for k in keys if k)
    match = options.match
    if match is None:
        return "email" if options.entity == "parties" and has_email else "name"
    if match not in MATCHES:
        raise ImportRefused(f"--match must be one of {', '.join(MATCHES)}")
    if match == "email" and (options.entity != "parties" or not has_email):
        raise ImportRefused("--match email needs a parties file with an email column")
    if match == "id" and "Id" not in keys:
        raise ImportRefused("--match id needs an Id column")
    return match


def entity_columns(entity: str) -> list[str]:
    """The fixed columns of an export, in order (details, tags and fields follow)."""
    if entity == "parties":
        return party_columns.COLUMN_ORDER
    return record_rows.column_order(record_rows.SPECS[entity])
