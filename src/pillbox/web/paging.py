"""Pages of a list, as the API pages them: `page` from 1, `perPage` up to 100, no row cap; one
row more than the page is read to know whether a next page exists."""

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


def _number(raw: str | None, default: int, ceiling: int) -> int:
    digits = (raw or "").strip()
    if not digits.isascii() or not digits.isdigit():
        return default
    return max(1, min(int(digits) if len(digits) <= 18 else ceiling, ceiling))


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int
    query: dict[str, str]  # the list's other parameters, kept by the page links
    has_more: bool = False

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def fetch(self) -> int:
        """How many ids to ask for: one more than a page tells whether there is another."""
        return self.per_page + 1

    def trim(self, ids: list[int]) -> tuple["Paging", list[int]]:
        more = len(ids) > self.per_page
        return Paging(self.page, self.per_page, self.query, more), ids[: self.per_page]

    def link(self, page: int) -> str:
        params = {**self.query, "page": str(page)}
        if self.per_page != DEFAULT_PER_PAGE:
            params["perPage"] = str(self.per_page)
        return "?" + urlencode(params)


def paging(request: Request, keep: tuple[str, ...]) -> Paging:
    query = request.query_params
    return Paging(
        page=_number(query.get("page"), 1, MAX_PAGE),
        per_page=_number(query.get("perPage"), DEFAULT_PER_PAGE, MAX_PER_PAGE),
        query={name: query[name] for name in keep if query.get(name)},
    )
