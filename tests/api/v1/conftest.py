"""Fixtures for API v1 tests: a v1 client acting as the test account."""

import pytest

from tests.api.v1.wire import V1


@pytest.fixture
def v1(account):
    return V1(account.client, account.token)
