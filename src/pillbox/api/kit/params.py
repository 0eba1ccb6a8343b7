"""Query parameters every list shares (page, perPage, since, embed, q) and id lists in paths."""

from dataclasses import dataclass

from starlette.datastructures import QueryParams

from pillbox import timestamps
from pillbox.domain.base import MAX_ID
from pillbox.errors import NotFound, ValidationFailed

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
    """Out-of-range numbers are clamped (page to 1.., perPage to 1..max); non-numbers are a 422."""
    page = _integer(params, "page", 1, resource)
    per_page = _integer(params, "perPage", min(50, max_per_page), resource)
    return Paging(page=min(max(page, 1), MAX_PAGE), per_page=min(max(per_page, 1), max_per_page))


def embeds(params: QueryParams, allowed: frozenset[str]) -> frozenset[str]:
    """Requested embeds this endpoint supports; others are ignored, as Capsule ignores them."""
    requested: set[str] = set()
    for value in params.getlist("embed"):
        requested.update(part.strip() for part in value.split(","))
    return frozenset(requested & allowed)


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
    digits = raw[1:] if signed and raw.startswith("-") else raw
    if not digits.isascii() or not digits.isdigit():
        raise NotFound()
    value = int(raw)
    if not 1 <= abs(value) <= MAX_ID:
        raise NotFound()
    return value


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
