"""Query parameters every list shares (page, perPage, since, embed, q) and id lists in paths."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.datastructures import QueryParams

from pillbox import timestamps
from pillbox.api.sandbox import findings
from pillbox.errors import NotFound, ValidationFailed
from pillbox.numbers import whole_number

MAX_IDS = 10
MAX_PAGE = 2**31 - 1


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _integer(params: QueryParams, name: str, default: int, resource: str) -> int:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ValidationFailed.single(f"{name} must be an integer", resource, name) from None


def paging(params: QueryParams, resource: str, max_per_page: int) -> Paging:
    """Out-of-range numbers are clamped (page to 1.., perPage to 1..max); non-numbers are a 422.

    Capsule calls a perPage out of range invalid: strict mode says so."""
    page = _integer(params, "page", 1, resource)
    per_page = _integer(params, "perPage", min(50, max_per_page), resource)
    if per_page > max_per_page:
        findings.note(
            f"perPage {per_page} is above the maximum of {max_per_page} {findings.REFUSED}"
        )
    elif per_page < 1:
        findings.note(f"perPage {per_page} is below the minimum of 1 {findings.REFUSED}")
    return Paging(page=min(max(page, 1), MAX_PAGE), per_page=min(max(per_page, 1), max_per_page))


def embeds(params: QueryParams, allowed: frozenset[str]) -> frozenset[str]:
    """Requested embeds this endpoint supports; others are ignored, as Capsule ignores them."""
    requested: set[str] = set()
    for value in params.getlist("embed"):
        requested.update(part.strip() for part in value.split(","))
    ignored = requested - allowed - {""}
    if ignored and findings.active():
        _note_ignored_embeds(ignored)
    return frozenset(requested & allowed)


# Embeds Capsule serves that Pillbox does not: ignored here, but not by Capsule.
_UNSERVED_EMBEDS = {"meta": "embed meta is not served here (Capsule adds meta.totalCount)"}


def _note_ignored_embeds(names: set[str]) -> None:
    for name in sorted(names):
        unserved = f"embed {name} is not served here {findings.IGNORED}"
        findings.note(_UNSERVED_EMBEDS.get(name, unserved))


def since(params: QueryParams, resource: str, required: bool = False) -> str | None:
    raw = params.get("since")
    if raw is None or raw.strip() == "":
        if required:
            raise ValidationFailed.single("since is required", resource, "since")
        return None
    try:
        return timestamps.parse(raw)
    except (ValueError, OverflowError):
        raise ValidationFailed.single("since is invalid", resource, "since") from None


def search_terms(params: QueryParams) -> list[str]:
    """Whitespace-separated terms of `q`; every one must match."""
    return (params.get("q") or "").replace("\x00", "").split()


def record_id(raw: str, signed: bool = False) -> int:
    """A single id in a path; anything that cannot be an id is simply not found.

    Ids are positive, except where a resource has built-in records with negative ids."""
    negative = signed and raw.startswith("-")
    value = whole_number(raw[1:] if negative else raw)
    if not value:
        raise NotFound()
    return -value if negative else value


def record_ids(raw: str, resource: str, many: bool = True, signed: bool = False) -> list[int]:
    """A comma-separated id list (at most 10), duplicates dropped, order kept.

    Where a resource shows one record at a time, a list is simply not found."""
    if not many:
        return [record_id(raw, signed)]
    parts = [part.strip() for part in raw.split(",")]
    ids = list(dict.fromkeys(record_id(part) for part in parts))
    if len(ids) > MAX_IDS:
        raise ValidationFailed.single("too many ids", resource, "id")
    return ids


def flag(params: QueryParams, name: str, resource: str) -> bool | None:
    """A boolean parameter: true/false (any case), absent or empty is None, anything else a 422."""
    raw = (params.get(name) or "").strip().lower()
    if raw in ("true", "false"):
        return raw == "true"
    if raw == "":
        return None
    raise ValidationFailed.single(f"{name} must be true or false", resource, name)


def choice(params: QueryParams, name: str, allowed: tuple[str, ...], resource: str) -> str | None:
    """One of `allowed` (any case, answered in its listed spelling); absent is None, else 422."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    for value in allowed:
        if value.lower() == raw.lower():
            return value
    raise ValidationFailed.single(f"{name} must be one of {', '.join(allowed)}", resource, name)


@dataclass(frozen=True)
class ListParam:
    """A list's own query parameter: parsed (bad values are a 422) into Listing.params."""

    name: str
    parse: Callable[[QueryParams, str], Any]  # (query, resource) -> value, None when absent
    schema: dict[str, Any]
    description: str = ""


def subset(name: str, allowed: tuple[str, ...], default: tuple[str, ...] = ()) -> ListParam:
    """A comma-separated subset of `allowed` (any case), e.g. status=open,completed."""

    def parse(params: QueryParams, resource: str) -> tuple[str, ...]:
        parts = [p.strip() for p in (params.get(name) or "").split(",") if p.strip()]
        chosen: list[str] = []
        for part in parts:
            value = next((a for a in allowed if a.lower() == part.lower()), None)
            if value is None:
                message = f"{name} must be a comma-separated list of {', '.join(allowed)}"
                raise ValidationFailed.single(message, resource, name)
            chosen.append(value)
        return tuple(dict.fromkeys(chosen)) or default

    return ListParam(
        name,
        parse,
        {"type": "string"},
        f"Comma-separated: {', '.join(allowed)}"
        + (f" (default {', '.join(default)})." if default else "."),
    )


def positive_id(name: str, description: str) -> ListParam:
    """The id of a related record; an id that is not one of the account's simply matches none."""

    def parse(params: QueryParams, resource: str) -> int | None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        value = whole_number(raw)
        if not value:
            raise ValidationFailed.single(f"{name} must be an id", resource, name)
        return value

    return ListParam(name, parse, {"type": "integer", "minimum": 1}, description)


def day(name: str, description: str) -> ListParam:
    """A date, `YYYY-MM-DD`; a full ISO 8601 date-time is taken at its date (UTC)."""

    def parse(params: QueryParams, resource: str) -> str | None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        try:
            return (
                date.fromisoformat(raw).isoformat()
                if len(raw) == 10
                else timestamps.parse(raw)[:10]
            )
        except (ValueError, OverflowError):
            raise ValidationFailed.single(f"{name} must be a date", resource, name) from None

    return ListParam(name, parse, {"type": "string"}, description)
