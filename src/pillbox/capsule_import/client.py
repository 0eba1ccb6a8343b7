"""Reading Capsule's API v2: pages, files, its rate limit, and failures worth retrying.

- The rate limit: every answer says how many requests are left in the window and when it ends
  (`X-RateLimit-Remaining`, `X-RateLimit-Reset`). Below `SLOW_BELOW` left, requests are spread
  evenly over what is left of the window, so the limit is reached, if at all, just as it resets.
- A 429 is waited out until the reset it announces (the caller is told until when), then the
  request is made again; it does not count as a failure.
- A 5xx answer or a connection dropped or refused is retried after 1, 2, 4, … seconds, up to
  `ATTEMPTS` times in all; then the import stops with the reason (and resumes where it stopped).
- Time is read and waited through the `clock` and `sleep` given, so tests wait for nothing.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

ATTEMPTS = 6
SLOW_BELOW = 50  # requests left in the window
TIMEOUT_SECONDS = 60.0
PER_PAGE = 100
MISSING_RESET_WAIT = 60.0  # a 429 without X-RateLimit-Reset (nor Retry-After)


class CapsuleUnavailable(Exception):
    """Capsule could not be read: the message says why, in one line."""


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    has_more: bool
    total: int | None = None  # `meta.totalCount`, where `embed=meta` was asked and is served


class CapsuleClient:
    """Requests to one Capsule origin with one token."""

    def __init__(
        self,
        origin: str,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        on_wait: Callable[[str], None] = lambda message: None,
    ) -> None:
        self._http = httpx.Client(
            base_url=origin.rstrip("/"),
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=TIMEOUT_SECONDS,
            transport=transport,
        )
        self._sleep, self._clock, self._on_wait = sleep, clock, on_wait
        self.requests = 0
        self.limit: int | None = None  # requests per window, once an answer has said
        self._remaining: int | None = None
        self._reset: float | None = None

    def close(self) -> None:
        self._http.close()

    def page(self, path: str, key: str, page: int, params: dict[str, str]) -> Page:
        """Page `page` (from 1) of a list, `key` being its envelope's name."""
        query = {**params, "page": str(page), "perPage": str(PER_PAGE)}
        response = self._get(f"/api/v2{path}", query)
        body = _json(response)
        items = body.get(key)
        if not isinstance(items, list):
            raise CapsuleUnavailable(f"{path} answered without a {key!r} list.")
        more = response.headers.get("X-Pagination-Has-More")
        has_more = (
            more == "true" if more is not None else 'rel="next"' in response.headers.get("Link", "")
        )
        meta = body.get("meta")
        total = meta.get("totalCount") if isinstance(meta, dict) else None
        return Page(items, has_more and bool(items), total if isinstance(total, int) else None)

    def show(self, path: str) -> dict[str, Any]:
        return _json(self._get(f"/api/v2{path}", {}))

    def download(self, path: str) -> bytes:
        return self._get(f"/api/v2{path}", {}).content

    def _get(self, path: str, params: dict[str, str]) -> httpx.Response:
        failures = 0
        while True:
            self._pace()
            try:
                self.requests += 1
                response = self._http.get(path, params=params)
            except httpx.TransportError as error:
                failures = self._retry(failures, f"{path}: {type(error).__name__}")
                continue
            self._note_quota(response)
            if response.status_code == 429:
                self._wait_out_limit(response)
            elif response.status_code >= 500:
                failures = self._retry(failures, f"{path}: HTTP {response.status_code}")
            elif response.status_code >= 400:
                raise CapsuleUnavailable(_refusal(path, response))
            else:
                return response

    def _pace(self) -> None:
        """Spreads the requests left evenly over the rest of the window, when few are left."""
        if self._remaining is None or self._reset is None or self._remaining >= SLOW_BELOW:
            return
        delay = (self._reset - self._clock()) / (self._remaining + 1)
        if delay > 0:
            self._sleep(delay)

    def _note_quota(self, response: httpx.Response) -> None:
        headers = response.headers
        self.limit = _int(headers.get("X-RateLimit-Limit")) or self.limit
        self._remaining = _int(headers.get("X-RateLimit-Remaining"))
        reset = _int(headers.get("X-RateLimit-Reset"))
        self._reset = float(reset) if reset is not None else None

    def _wait_out_limit(self, response: httpx.Response) -> None:
        now = self._clock()
        retry_after = _int(response.headers.get("Retry-After"))
        if self._reset is not None and self._reset > now:
            until = self._reset
        elif retry_after is not None:
            until = now + retry_after
        else:
            until = now + MISSING_RESET_WAIT
        moment = datetime.fromtimestamp(until, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        self._on_wait(f"Capsule's rate limit is reached: waiting until {moment}.")
        self._sleep(max(until - now, 0.0) + 1.0)  # a second more: the window has surely turned
        self._remaining = None

    def _retry(self, failures: int, what: str) -> int:
        failures += 1
        if failures >= ATTEMPTS:
            raise CapsuleUnavailable(f"Capsule kept failing ({what}); run the import again later.")
        delay = 2.0 ** (failures - 1)
        self._on_wait(f"{what}; trying again in {delay:.0f} s.")
        self._sleep(delay)
        return failures


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise CapsuleUnavailable(f"{response.url.path} did not answer with JSON.") from None
    if not isinstance(body, dict):
        raise CapsuleUnavailable(f"{response.url.path} did not answer with a JSON object.")
    return body


def _refusal(path: str, response: httpx.Response) -> str:
    if response.status_code == 401:
        return "Capsule refused the token (401): check --token."
    if response.status_code == 403:
        return "The token may not read this account (403): use a token with read access."
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        message = None
    return f"{path} answered {response.status_code}{f': {message}' if message else ''}."
