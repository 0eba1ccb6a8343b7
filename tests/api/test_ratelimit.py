"""Capsule's rate limit: per user per hour, headers on every response, 429 past the limit."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from pillbox.api.ratelimit import RateLimiter
from pillbox.settings import Settings
from pillbox.store.ratelimits import DatabaseCounters, RedisCounters


@pytest.fixture
def settings():
    return Settings(database_url="sqlite://", rate_limit_per_hour=3, run_worker=False)


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
    limiter = RateLimiter(2, DatabaseCounters(engine), clock=clock)
    assert [limiter.hit(1).allowed for _ in range(3)] == [True, True, False]
    quota = limiter.hit(1)
    assert quota.reset == 10800
    clock.now = quota.reset
    assert limiter.hit(1).allowed


def test_processes_sharing_the_database_never_admit_past_the_limit_together(engine):
    clock = Clock(3600.0)
    first = RateLimiter(10, DatabaseCounters(engine), clock=clock)
    second = RateLimiter(10, DatabaseCounters(engine), clock=clock)
    admitted = [limiter.hit(7).allowed for _ in range(8) for limiter in (first, second)]
    assert admitted.count(True) == 10
    assert not first.hit(7).allowed and not second.hit(7).allowed


def test_a_process_reserves_a_batch_and_serves_it_without_the_store(engine):
    clock = Clock(3600.0)
    counters = DatabaseCounters(engine)
    limiter = RateLimiter(4000, counters, clock=clock)
    assert limiter.hit(3).remaining == 3999
    assert not limiter.needs_sync(3)  # 40 reserved (1% of 4,000), 39 left here
    assert counters.reserve(3, 3600, 1, 4000) == (1, 41)  # another process's reservation
    assert [limiter.hit(3).remaining for _ in range(2)] == [3998, 3997]


def test_remaining_counts_down_to_zero_then_refuses(engine):
    clock = Clock(3600.0)
    limiter = RateLimiter(5, DatabaseCounters(engine), clock=clock)
    assert [limiter.hit(1).remaining for _ in range(6)] == [4, 3, 2, 1, 0, 0]
    assert not limiter.hit(1).allowed
    assert not limiter.needs_sync(1)  # refused from memory until the window ends


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
    assert a.reserve(user, 0, 3, 6) == (3, 3)
    assert b.reserve(user, 0, 2, 6) == (2, 5)
    assert a.reserve(user, 0, 3, 6) == (1, 6)
    assert b.reserve(user, 0, 1, 6) == (0, 6)


@pytest.mark.parametrize(
    "settings", [Settings(database_url="sqlite://", rate_limit_per_hour=1000, run_worker=False)]
)
def test_concurrent_writes_while_the_limiter_syncs_every_request_all_succeed(account, engine):
    """Near a small limit each request reserves its allowance in the database, on the event loop,
    while other requests' writes wait for their group's commit: the reservation must not wait on
    that group's lock (it would, for the 5 s busy timeout, and then fail)."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write groups")

    def create(i: int) -> int:
        body = {"party": {"type": "organisation", "name": f"Concurrent {i}"}}
        return int(account.post("/parties", body).status_code)

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(create, range(40)))
    assert statuses == [201] * 40
