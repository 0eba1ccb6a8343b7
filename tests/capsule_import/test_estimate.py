"""The estimate said before an import: records counted by probing pages, time from the limit."""

import httpx
import pytest

from pillbox.capsule_import.client import PER_PAGE, CapsuleClient
from pillbox.capsule_import.estimate import SMALL_LISTS, estimate
from tests.capsule_import.conftest import Waits


def account_of(sizes: dict[str, int], seen: list[str]) -> httpx.MockTransport:
    """Lists of the given sizes, paged as Capsule pages them, 4,000 requests an hour."""

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v2")
        seen.append(path)
        key = path.strip("/")
        total = sizes.get(key, 0)
        page = int(request.url.params["page"])
        start = (page - 1) * PER_PAGE
        items = [{"id": n} for n in range(start, min(start + PER_PAGE, total))]
        more = "true" if start + PER_PAGE < total else "false"
        headers = {"X-Pagination-Has-More": more, "X-RateLimit-Limit": "4000"}
        return httpx.Response(200, json={key: items}, headers=headers)

    return httpx.MockTransport(handler)


@pytest.mark.parametrize("parties", [0, 1, 100, 101, 12_345, 50_000])
def test_estimate_counts_records_exactly_in_a_few_requests(parties):
    seen: list[str] = []
    sizes = {"parties": parties, "opportunities": 250, "kases": 40, "entries": 9_000, "tasks": 0}
    client = CapsuleClient(
        "https://api.capsulecrm.com", "t", transport=account_of(sizes, seen), sleep=Waits().sleep
    )
    found = estimate(client, None)
    assert found.records == {
        "parties": parties,
        "opportunities": 250,
        "projects": 40,
        "entries": 9_000,
        "tasks": 0,
    }
    assert seen.count("/parties") <= 2 * (parties // PER_PAGE).bit_length() + 2
    pages = max(1, -(-parties // PER_PAGE)) + 3 + 1 + 90 + 1
    assert found.requests == SMALL_LISTS + pages + 250 + 40


def test_a_large_account_is_said_to_take_hours():
    seen: list[str] = []
    sizes = {"parties": 50_000, "opportunities": 5_000, "kases": 1_000, "entries": 200_000}
    client = CapsuleClient(
        "https://api.capsulecrm.com", "t", transport=account_of(sizes, seen), sleep=Waits().sleep
    )
    line = estimate(client, None).line()
    assert line == (
        "About 256,000 records to read in about 8,581 requests; "
        "at 4,000 requests an hour, that takes about 2.1 hours."
    )


def test_a_first_page_with_its_total_count_is_all_the_estimate_reads():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        key = request.url.path.removeprefix("/api/v2/")
        body = {key: [{"id": 1}], "meta": {"totalCount": 4_321}}
        return httpx.Response(200, json=body, headers={"X-Pagination-Has-More": "true"})

    client = CapsuleClient(
        "https://api.capsulecrm.com", "t", transport=httpx.MockTransport(handler)
    )
    found = estimate(client, None)
    assert set(found.records.values()) == {4_321}
    assert len(seen) == 5
    assert seen[0].url.params["embed"] == "tags,fields,meta"
