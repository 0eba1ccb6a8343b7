"""Fixtures for the plugin's tests: small suites that use the `capsule` fixture, run by pytester
the way an integration's own suite runs them.

Every suite runs with warnings as errors, and resolves no host name but loopback's: a call that
interception should have caught and did not fails at once, and never leaves the machine.
"""

import pytest

SUITE_INI = """
[pytest]
addopts = -p no:cacheprovider
filterwarnings = error
"""

SUITE_CONFTEST = """
import socket

import pytest

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@pytest.fixture(autouse=True)
def only_loopback_resolves(monkeypatch):
    resolve = socket.getaddrinfo

    def loopback_only(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in LOOPBACK:
            raise socket.gaierror(socket.EAI_NONAME, f"{name} is not resolved in these tests")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
"""


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A directory to write a small test suite in, and run it with the plugin loaded."""
    # The browser plugin Pillbox's own web tests use is no part of an integration's suite, and
    # it cannot run nested inside the suite that runs this one.
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:playwright")
    pytester.makeini(SUITE_INI)
    pytester.makeconftest(SUITE_CONFTEST)
    return pytester
