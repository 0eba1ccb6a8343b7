"""Capsule's rate limit: per user per hour, headers on every response, 429 past the limit."""

import pytest

from pillbox.api.ratelimit import RateLimiter
from pillbox.settings import Settings
from pillbox.store.ratelimits import DatabaseCounters, RedisCounters


@pytest.fixture
def settings():
    return Settings(
        database_url="sqlite://", rate_limit_per_hour=3, rate_limit_sync_seconds=0, run_worker=False
    )


def test_remaining_counts_down_and_the_limit_gives_429(account):
    remaining = [int(account.get("/parties").headers["X-RateLimit-Remaining"]) for _ in range(3)]
    assert remaining == [2, 1, 0]
    response = account.get("/parties")
    assert response.status_code == 429
    assert response.json() == {"error": "rate limit reached"}
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert response.headers["X-RateLimit-Remaining"] == "0"


def test_limit_is_per_user_not_per_token(account):
    for _ in range(3):
        account.get("/parties")
    assert account.get("/parties", headers=account.read_headers).status_code == 429


def test_other_users_are_not_affected(account, other_account):
    for _ in range(4):
        account.get("/parties")
    assert other_account.get("/parties").status_code == 200


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_window_resets_at_the_advertised_time(engine):
    clock = Clock(7200.0)
    limiter = RateLimiter(2, DatabaseCounters(engine), sync_seconds=0, clock=clock)
    assert [limiter.hit(1).allowed for _ in range(3)] == [True, True, False]
    quota = limiter.hit(1)
    assert quota.reset == 10800
    clock.now = quota.reset
    assert limiter.hit(1).allowed


def test_processes_sharing_the_database_agree_on_the_count(engine):
    clock = Clock(3600.0)
    first = RateLimiter(10, DatabaseCounters(engine), sync_seconds=1, clock=clock)
    second = RateLimiter(10, DatabaseCounters(engine), sync_seconds=1, clock=clock)
    for _ in range(4):
        first.hit(7)
    clock.now += 1  # the next hit of each process syncs its local count
    first.hit(7)
    assert second.hit(7).remaining == 10 - 6


def test_unsynced_requests_of_one_process_are_still_counted_locally(engine):
    clock = Clock(3600.0)
    limiter = RateLimiter(5, DatabaseCounters(engine), sync_seconds=60, clock=clock)
    assert [limiter.hit(1).remaining for _ in range(6)] == [4, 3, 2, 1, 0, 0]


def _redis_url() -> str:
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis not reachable on 127.0.0.1:6379")
    return url


def test_redis_counters_are_shared_between_processes():
    import uuid

    url = _redis_url()
    user = int(uuid.uuid4().int % 1_000_000_000)
    a, b = RedisCounters(url), RedisCounters(url)
    assert a.add(user, 0, 3) == 3
    assert b.add(user, 0, 2) == 5
