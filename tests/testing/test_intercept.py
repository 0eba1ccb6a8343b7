"""Interception: an integration's own calls to https://api.capsulecrm.com, made with requests or
httpx, are served by the test's Pillbox when a test asks for it, and by nothing else otherwise.

The suites resolve no host name but loopback's (see conftest.py), so a call that is not
intercepted fails with a connection error instead of reaching the network.
"""

pytest_plugins = ["pytester"]

CLIENTS = """
import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import requests

CAPSULE = "https://api.capsulecrm.com"


def with_requests(method, path, **kwargs):
    return requests.request(method, CAPSULE + path, **kwargs)


def with_httpx(method, path, **kwargs):
    return httpx.request(method, CAPSULE + path, **kwargs)


def with_async_httpx(method, path, **kwargs):
    async def call():
        async with httpx.AsyncClient() as client:
            return await client.request(method, CAPSULE + path, **kwargs)

    # In a thread of its own, as an async integration runs its loop: the process running this
    # suite may hold a loop of its own in its main thread (Playwright's, in the browser tests).
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, call()).result()


CALLERS = [with_requests, with_httpx, with_async_httpx]
NOT_SERVED = (requests.ConnectionError, httpx.TransportError)
"""


def write_suite(suite, tests: str) -> None:
    suite.makepyfile(clients=CLIENTS, test_integration=tests)


def test_marked_test_has_its_capsule_calls_served_with_every_client(suite):
    write_suite(
        suite,
        """
        import json

        import httpx
        import pytest
        import requests
        from clients import CALLERS, CAPSULE

        pytestmark = pytest.mark.capsule_intercept

        @pytest.mark.parametrize("call", CALLERS)
        def test_create_then_follow_location(capsule, call):
            body = {"party": {"type": "organisation", "name": "Acme"}}
            created = call("POST", "/api/v2/parties", headers=capsule.headers, json=body)
            assert created.status_code == 201, created.text
            location = created.headers["Location"]
            assert location.startswith("https://api.capsulecrm.com/api/v2/parties/")
            shown = call("GET", location.removeprefix("https://api.capsulecrm.com"),
                         headers=capsule.headers)
            assert shown.json()["party"]["name"] == "Acme"
            assert capsule.get("/parties/" + location.rsplit("/", 1)[1]).status_code == 200

        @pytest.mark.parametrize("call", CALLERS)
        def test_query_and_headers_are_relayed(capsule, call):
            for name in ("Acme", "Globex", "Initech"):
                capsule.organisation(name)
            listed = call("GET", "/api/v2/parties?perPage=2&page=1", headers=capsule.headers)
            assert listed.status_code == 200
            assert len(listed.json()["parties"]) == 2
            assert listed.headers["X-Pagination-Has-More"] == "true"
            assert "https://api.capsulecrm.com/api/v2/parties?" in listed.headers["Link"]

        def test_raw_and_streamed_bodies_arrive_unchanged(capsule):
            body = json.dumps({"party": {"type": "person", "lastName": "Zoë"}}).encode()
            headers = {**capsule.headers, "Content-Type": "application/json"}
            url = CAPSULE + "/api/v2/parties"
            sent = [
                requests.post(url, headers=headers, data=body),
                requests.post(url, headers=headers, data=iter([body[:9], body[9:]])),
                httpx.post(url, headers=headers, content=body),
            ]
            assert [response.status_code for response in sent] == [201, 201, 201]
            assert {response.json()["party"]["lastName"] for response in sent} == {"Zoë"}

        @pytest.mark.parametrize("call", CALLERS)
        def test_a_wrong_token_gets_pillboxs_401(capsule, call):
            refused = call("GET", "/api/v2/parties", headers={"Authorization": "Bearer wrong"})
            assert refused.status_code == 401
            assert refused.headers["Content-Type"].startswith("application/json")
            assert "WWW-Authenticate" in refused.headers
            assert call("GET", "/api/v2/parties").status_code == 401

        @pytest.mark.parametrize("call", CALLERS)
        def test_another_accounts_record_is_404(capsule, capsule_sandbox, call):
            from pillbox.testing.client import Capsule

            other = Capsule(capsule_sandbox.base_url, capsule_sandbox.open_account())
            theirs = other.organisation("Theirs")
            path = f"/api/v2/parties/{theirs['id']}"
            assert call("GET", path, headers=capsule.headers).status_code == 404
            assert call("GET", path, headers=other.headers).status_code == 200
            other.close()
        """,
    )
    suite.runpytest().assert_outcomes(passed=13)


def test_a_dropped_connection_fails_as_over_the_network_and_logs_nothing(suite):
    write_suite(
        suite,
        """
        import httpx
        import pytest
        import requests
        from clients import with_async_httpx, with_httpx, with_requests

        pytestmark = pytest.mark.capsule_intercept
        CUT_SHORT = {
            with_requests: (requests.ConnectionError, requests.exceptions.ChunkedEncodingError),
            with_httpx: (httpx.RemoteProtocolError,),
            with_async_httpx: (httpx.RemoteProtocolError,),
        }

        @pytest.mark.parametrize("call", CUT_SHORT)
        def test_drop(capsule, call, caplog):
            capsule.fault(drop=True, path="/api/v2/parties")
            with pytest.raises(CUT_SHORT[call][0]) as raised:
                call("GET", "/api/v2/parties", headers=capsule.headers)
            assert all(isinstance(raised.value, kind) for kind in CUT_SHORT[call])
            assert call("GET", "/api/v2/parties", headers=capsule.headers).status_code == 200
            assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
        """,
    )
    suite.runpytest().assert_outcomes(passed=3)


def test_other_hosts_pass_through_while_intercepting(suite):
    write_suite(
        suite,
        """
        import httpx
        import pytest
        import requests
        from clients import NOT_SERVED

        @pytest.mark.capsule_intercept
        def test_loopback_pillbox_is_reached_directly(capsule):
            url = capsule.api_url + "/users/current"
            assert requests.get(url, headers=capsule.headers).status_code == 200
            assert httpx.get(url, headers=capsule.headers).status_code == 200

        @pytest.mark.capsule_intercept
        @pytest.mark.parametrize("client", [requests, httpx])
        def test_another_host_goes_to_the_network(capsule, client):
            # Passed through: the network, where no name resolves in these tests.
            with pytest.raises(NOT_SERVED):
                client.get("https://example.com/api/v2/parties", headers=capsule.headers)

        @pytest.mark.capsule_intercept
        @pytest.mark.parametrize("client", [requests, httpx])
        def test_plain_http_to_capsule_is_not_served(capsule, client):
            with pytest.raises(NOT_SERVED):
                client.get("http://api.capsulecrm.com/api/v2/parties", headers=capsule.headers)
        """,
    )
    suite.runpytest().assert_outcomes(passed=5)


def test_the_tests_own_mocks_keep_the_calls_they_mock(suite):
    write_suite(
        suite,
        """
        import httpx
        import pytest
        import requests
        import responses
        import respx

        OTHER = "https://billing.example/invoices"

        def served_here(capsule, client):
            return client.get(
                "https://api.capsulecrm.com/api/v2/users/current", headers=capsule.headers
            ).status_code == 200

        @pytest.mark.capsule_intercept
        def test_respx_router_started_after(capsule, respx_mock):
            respx_mock.get(OTHER).respond(json={"invoices": []})
            assert httpx.get(OTHER).json() == {"invoices": []}
            assert served_here(capsule, httpx)
            with pytest.raises(respx.models.AllMockedAssertionError):
                httpx.get("https://unmocked.example/")

        @pytest.mark.capsule_intercept
        def test_respx_router_started_before(respx_mock, capsule):
            respx_mock.get(OTHER).respond(json={"invoices": []})
            assert httpx.get(OTHER).json() == {"invoices": []}
            assert served_here(capsule, httpx)
            with pytest.raises(respx.models.AllMockedAssertionError):
                httpx.get("https://unmocked.example/")

        def test_responses_mock_started_before(capsule):
            with responses.RequestsMock() as mock:
                mock.get(OTHER, json={"invoices": []})
                with capsule.intercept():
                    assert requests.get(OTHER).json() == {"invoices": []}
                    assert served_here(capsule, requests)
                    with pytest.raises(requests.ConnectionError, match="Responses"):
                        requests.get("https://unmocked.example/")
        """,
    )
    suite.runpytest().assert_outcomes(passed=3)


def test_nothing_is_intercepted_unless_asked(suite):
    write_suite(
        suite,
        """
        import pytest
        from clients import CALLERS, NOT_SERVED

        @pytest.mark.parametrize("call", CALLERS)
        def test_unmarked(capsule, call):
            with pytest.raises(NOT_SERVED):
                call("GET", "/api/v2/parties", headers=capsule.headers)

        @pytest.mark.parametrize("call", CALLERS)
        def test_only_inside_the_block(capsule, call):
            with capsule.intercept():
                assert call("GET", "/api/v2/parties", headers=capsule.headers).status_code == 200
            with pytest.raises(NOT_SERVED):
                call("GET", "/api/v2/parties", headers=capsule.headers)
        """,
    )
    suite.runpytest().assert_outcomes(passed=6)


def test_intercept_option_turns_it_on_for_every_capsule_test(suite):
    write_suite(
        suite,
        """
        import pytest
        from clients import CALLERS

        @pytest.mark.parametrize("call", CALLERS)
        def test_unmarked(capsule, call):
            assert call("GET", "/api/v2/parties", headers=capsule.headers).status_code == 200
        """,
    )
    suite.runpytest("--capsule-intercept").assert_outcomes(passed=3)
    suite.makeini("[pytest]\nfilterwarnings = error\ncapsule_intercept = true\n")
    suite.runpytest().assert_outcomes(passed=3)


def test_a_missing_mocking_library_is_reported_with_how_to_install_it(suite):
    write_suite(
        suite,
        """
        import sys

        import pytest

        @pytest.fixture
        def without_respx(monkeypatch):
            monkeypatch.setitem(sys.modules, "respx", None)
            monkeypatch.delitem(sys.modules, "pillbox.testing.intercept", raising=False)

        @pytest.mark.capsule_intercept
        def test_intercepted(without_respx, capsule):
            pass
        """,
    )
    result = suite.runpytest()
    result.assert_outcomes(errors=1)
    assert (
        "needs Pillbox's sandbox extra: from a clone of Pillbox, pip install" in result.stdout.str()
    )
    assert "no module named 'respx'" in result.stdout.str()


def test_the_marker_without_the_fixture_is_reported(suite):
    write_suite(
        suite,
        """
        import pytest

        @pytest.mark.capsule_intercept
        def test_forgot_the_fixture():
            pass
        """,
    )
    result = suite.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*capsule_intercept needs the capsule fixture*"])
