"""The Capsule client: paging, the rate limit, 429s, retries, and refusals, over a mocked
transport and a clock that moves only when the client sleeps."""

import httpx
import pytest

from pillbox.capsule_import.client import ATTEMPTS, SLOW_BELOW, CapsuleClient, CapsuleUnavailable
from tests.capsule_import.conftest import Waits

RESET = 1_800_003_600


def client_of(handler, waits: Waits, said: list[str] | None = None) -> CapsuleClient:
    notes = said if said is not None else []
    return CapsuleClient(
        "https://api.capsulecrm.com",
        "secret",
        transport=httpx.MockTransport(handler),
        sleep=waits.sleep,
        clock=waits.clock,
        on_wait=notes.append,
    )


def quota(remaining: int, reset: int = RESET) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": "4000",
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(reset),
    }


def test_page_sends_token_paging_and_params_and_reads_has_more():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={"parties": [{"id": 1}]},
            headers={"Link": '<https://api.capsulecrm.com/api/v2/parties?page=3>; rel="next"'},
        )

    client = client_of(handler, Waits())
    page = client.page("/parties", "parties", 2, {"embed": "tags"})
    assert (page.items, page.has_more) == ([{"id": 1}], True)
    assert seen[0].headers["Authorization"] == "Bearer secret"
    assert dict(seen[0].url.params) == {"embed": "tags", "page": "2", "perPage": "100"}


def test_plenty_left_means_no_waiting():
    waits = Waits()
    client = client_of(lambda r: httpx.Response(200, json={"users": []}, headers=quota(500)), waits)
    for _ in range(3):
        client.page("/users", "users", 1, {})
    assert waits.slept == []
    assert client.limit == 4000


def test_few_left_spreads_the_rest_over_the_window():
    waits = Waits()
    remaining = iter([SLOW_BELOW - 1, 9, 0])
    reset = int(waits.now) + 100

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"users": []}, headers=quota(next(remaining), reset))

    client = client_of(handler, waits)
    for _ in range(3):
        client.page("/users", "users", 1, {})
    assert waits.slept == [pytest.approx(100 / SLOW_BELOW), pytest.approx((100 - 2) / 10)]


def test_429_waits_until_the_reset_and_says_until_when():
    waits, said = Waits(), []
    reset = int(waits.now) + 1200
    answers = iter(
        [
            httpx.Response(429, json={"message": "Too many"}, headers=quota(0, reset)),
            httpx.Response(200, json={"users": [{"id": 7}]}, headers=quota(3999, reset + 3600)),
        ]
    )
    client = client_of(lambda r: next(answers), waits, said)
    assert client.page("/users", "users", 1, {}).items == [{"id": 7}]
    assert waits.slept == [1201.0]
    assert said == ["Capsule's rate limit is reached: waiting until 2027-01-15 08:20:00 UTC."]


def test_5xx_and_dropped_connections_are_retried_with_growing_waits():
    waits, said = Waits(), []
    answers = iter(
        [
            httpx.Response(500),
            httpx.RemoteProtocolError("peer closed connection"),
            httpx.Response(502),
            httpx.Response(200, json={"users": []}),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = client_of(handler, waits, said)
    assert client.page("/users", "users", 1, {}).items == []
    assert waits.slept == [1.0, 2.0, 4.0]
    assert said[1] == "/api/v2/users: RemoteProtocolError; trying again in 2 s."
    assert client.requests == 4


def test_failing_every_time_gives_up_after_the_last_attempt():
    waits = Waits()
    client = client_of(lambda r: httpx.Response(503), waits)
    with pytest.raises(CapsuleUnavailable, match=r"Capsule kept failing .* run the import again"):
        client.page("/users", "users", 1, {})
    assert client.requests == ATTEMPTS
    assert waits.slept == [2.0**n for n in range(ATTEMPTS - 1)]


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (401, {"message": "invalid token"}, "Capsule refused the token (401): check --token."),
        (403, {}, "The token may not read this account (403): use a token with read access."),
        (404, {"message": "Not found"}, "/api/v2/users answered 404: Not found."),
    ],
)
def test_refusals_stop_at_once_with_one_line(status, body, message):
    waits = Waits()
    client = client_of(lambda r: httpx.Response(status, json=body), waits)
    with pytest.raises(CapsuleUnavailable) as raised:
        client.page("/users", "users", 1, {})
    assert str(raised.value) == message
    assert waits.slept == []


def test_an_answer_without_its_list_is_refused():
    client = client_of(lambda r: httpx.Response(200, json={"other": []}), Waits())
    with pytest.raises(CapsuleUnavailable, match="/parties answered without a 'parties' list"):
        client.page("/parties", "parties", 1, {})
