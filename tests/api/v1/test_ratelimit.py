"""API v1 shares v2's rate limit: one quota per user across both APIs."""

import pytest

from pillbox.settings import Settings


@pytest.fixture
def settings():
    return Settings(database_url="sqlite://", rate_limit_per_hour=3, run_worker=False)


def test_v1_and_v2_requests_count_against_one_quota_and_v1_says_429_its_way(account, v1):
    assert v1.get("/party").headers["X-RateLimit-Remaining"] == "2"
    assert account.get("/parties").headers["X-RateLimit-Remaining"] == "1"
    assert v1.get("/party", "json").headers["X-RateLimit-Remaining"] == "0"
    refused = v1.get("/party", "json")
    assert refused.status_code == 429
    assert refused.json() == {"message": "rate limit reached"}
    assert refused.headers["X-RateLimit-Limit"] == "3"
    assert account.get("/parties").status_code == 429
