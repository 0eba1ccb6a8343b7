"""The `capsule` fixture as an integration's suite uses it: a fresh account per test, its URL and
token for any HTTP client, helpers that make records, and what a fresh account costs."""

import statistics
import subprocess
import sys
import threading

import pytest

pytest_plugins = ["pytester"]

ACCOUNTS_MEASURED = 50
# The target is 20 ms a test. What is asserted is the CPU this process spends, which a busy
# machine hardly changes (the time on the wall there can be several times longer), in the
# median, so that a pause of the garbage collector does not decide; the bound leaves room for a
# slower machine. The time on the wall is printed beside it.
CPU_BOUND_SECONDS = 0.040


def test_each_test_gets_a_fresh_account_that_sees_nothing_of_the_others(suite):
    suite.makepyfile(
        """
        import pytest

        seen = []

        @pytest.mark.parametrize("run", [1, 2, 3])
        def test_fresh(capsule, run):
            seen.append((capsule.account_id, capsule.token))
            parties = capsule.get("/parties").json()["parties"]
            assert [p["type"] for p in parties] == ["person"]  # the administrator's own
            capsule.organisation("Acme")  # names are unique per account: fails if shared
            assert len(capsule.get("/parties").json()["parties"]) == 2

        def test_no_account_or_token_was_handed_out_twice():
            assert len(seen) == 3
            assert len({account for account, _ in seen}) == 3
            assert len({token for _, token in seen}) == 3
        """
    )
    suite.runpytest().assert_outcomes(passed=4)


def test_base_url_is_the_server_root_and_the_token_works_with_requests_and_httpx(suite):
    suite.makepyfile(
        """
        import httpx
        import requests

        def test_clients(capsule):
            assert capsule.base_url.startswith("http://127.0.0.1:")
            assert capsule.api_url == capsule.base_url + "/api/v2"
            assert capsule.headers == {"Authorization": f"Bearer {capsule.token}"}
            url = f"{capsule.base_url}/api/v2/users/current"
            with_requests = requests.get(url, headers=capsule.headers)
            with_httpx = httpx.get(url, headers=capsule.headers)
            assert with_requests.status_code == with_httpx.status_code == 200
            assert with_requests.json() == with_httpx.json()
            assert with_httpx.json()["user"]["username"] == "admin"

        def test_a_wrong_token_is_refused(capsule):
            url = f"{capsule.base_url}/api/v2/parties"
            wrong = {"Authorization": "Bearer not-" + capsule.token}
            assert requests.get(url, headers=wrong).status_code == 401
            assert httpx.get(url, headers=wrong).status_code == 401

        def test_the_handle_client_sends_the_token(capsule):
            assert capsule.get("/users/current").json()["user"]["username"] == "admin"
            assert capsule.http.base_url == capsule.api_url + "/"
        """
    )
    suite.runpytest().assert_outcomes(passed=3)


def test_helpers_create_records_through_the_api_with_sensible_defaults(suite):
    suite.makepyfile(
        """
        import datetime

        def shown(capsule, path, key):
            response = capsule.get(path)
            assert response.status_code == 200, response.text
            return response.json()[key]

        def test_parties(capsule):
            ada = capsule.person("Ada", "Lovelace", jobTitle="Engineer")
            assert (ada["firstName"], ada["lastName"], ada["jobTitle"]) == (
                "Ada", "Lovelace", "Engineer"
            )
            acme = capsule.organisation("Acme")
            assert shown(capsule, f"/parties/{acme['id']}", "party")["name"] == "Acme"
            assert capsule.party()["type"] == "person"
            assert capsule.party(type="organisation", name="Initech")["name"] == "Initech"
            assert capsule.organisation()["name"] != capsule.organisation()["name"]

        def test_opportunity_defaults_to_a_new_organisation_at_the_first_milestone(capsule):
            opportunity = capsule.opportunity()
            assert opportunity["party"]["type"] == "organisation"
            assert opportunity["milestone"]["id"] == capsule.first_milestone()["id"]
            first = shown(capsule, "/milestones", "milestones")[0]
            assert capsule.first_milestone()["id"] == first["id"]

        def test_opportunity_on_a_given_party_and_milestone(capsule):
            ada = capsule.person("Ada", "Lovelace")
            milestone = shown(capsule, "/milestones", "milestones")[1]
            opportunity = capsule.opportunity("Deal", party=ada, milestone=milestone["id"])
            assert opportunity["name"] == "Deal"
            assert opportunity["party"]["id"] == ada["id"]
            assert opportunity["milestone"]["id"] == milestone["id"]

        def test_projects(capsule):
            project = capsule.kase()
            assert project["party"]["type"] == "organisation"
            assert project["status"] == "OPEN"
            acme = capsule.organisation("Acme")
            assert capsule.project("Rollout", party=acme)["party"]["id"] == acme["id"]

        def test_tasks(capsule):
            task = capsule.task()
            assert task["dueOn"] == datetime.date.today().isoformat()
            assert task["status"] == "OPEN"
            ada = capsule.person()
            linked = capsule.task("Call back", "2030-01-31", party={"id": ada["id"]})
            assert (linked["description"], linked["dueOn"]) == ("Call back", "2030-01-31")
            assert linked["party"]["id"] == ada["id"]

        def test_notes(capsule):
            note = capsule.note()
            assert note["type"] == "note"
            assert note["party"]["type"] == "person"
            opportunity = capsule.opportunity()
            on_deal = capsule.entry("Met them", opportunity=opportunity)
            assert on_deal["opportunity"]["id"] == opportunity["id"]
            assert on_deal["content"] == "Met them"

        def test_create_posts_any_resource(capsule):
            organisation = capsule.create(
                "/parties", {"party": {"type": "organisation", "name": "Globex"}}
            )
            assert organisation["name"] == "Globex"
            path = f"/parties/{organisation['id']}"
            assert shown(capsule, path, "party")["id"] == organisation["id"]
        """
    )
    suite.runpytest().assert_outcomes(passed=7)


def test_a_refused_helper_raises_with_pillboxs_answer(suite):
    suite.makepyfile(
        """
        import pytest
        from pillbox.testing.client import RequestFailed

        def test_refused(capsule):
            capsule.organisation("Acme")
            with pytest.raises(RequestFailed, match="answered 422") as failure:
                capsule.organisation("Acme")
            assert failure.value.response.json()["errors"][0]["resource"] == "party"
            assert len(capsule.get("/parties").json()["parties"]) == 2
        """
    )
    suite.runpytest().assert_outcomes(passed=1)


def test_thin_http_helpers_send_what_they_are_given(suite):
    suite.makepyfile(
        """
        def test_round_trip(capsule):
            body = {"party": {"type": "organisation", "name": "A"}}
            created = capsule.post("/parties", json=body)
            assert created.status_code == 201
            path = f"/parties/{created.json()['party']['id']}"
            renamed = capsule.put(path, json={"party": {"name": "B"}})
            assert renamed.json()["party"]["name"] == "B"
            assert capsule.get(path, params={"embed": "tags"}).status_code == 200
            assert capsule.delete(path).status_code == 204
            assert capsule.get(path).status_code == 404
        """
    )
    suite.runpytest().assert_outcomes(passed=1)


CPU_CLOCK = """

import time


def _cpu_clocked(item):
    started = time.process_time()
    try:
        yield
    finally:
        item.user_properties.append(("cpu_seconds", time.process_time() - started))


pytest_runtest_setup = pytest.hookimpl(wrapper=True)(_cpu_clocked)
pytest_runtest_teardown = pytest.hookimpl(wrapper=True)(_cpu_clocked)
"""


def fresh_account_costs(result: pytest.RunResult) -> tuple[list[float], list[float]]:
    """Seconds of setup and teardown of each test but the first (which also starts the server):
    as the clock on the wall saw them, and as the process's CPU spent them."""
    reports = result.reprec.getreports("pytest_runtest_logreport")  # type: ignore[attr-defined]
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for report in reports:
        if report.when in ("setup", "teardown"):
            wall[report.nodeid] = wall.get(report.nodeid, 0.0) + report.duration
        if report.when == "teardown":  # its properties hold the setup's clock as well
            cpu[report.nodeid] = sum(value for _, value in report.user_properties)
    return list(wall.values())[1:], list(cpu.values())[1:]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_fresh_account_costs_a_test_well_under_its_budget(suite, request, backend):
    conftest = suite.path / "conftest.py"
    conftest.write_text(conftest.read_text() + CPU_CLOCK)
    suite.makepyfile(
        f"""
        import pytest

        @pytest.mark.parametrize("run", range({ACCOUNTS_MEASURED + 1}))
        def test_account(capsule, run):
            assert capsule.account_id
        """
    )
    args = []
    if backend == "postgres":
        engine = request.getfixturevalue("postgres_engine")
        args.append(f"--capsule-database-url={engine.url.render_as_string(hide_password=False)}")
    result = suite.runpytest(*args)
    result.assert_outcomes(passed=ACCOUNTS_MEASURED + 1)
    wall, cpu = fresh_account_costs(result)
    print(
        f"a fresh account costs a test on {backend}, over {len(wall)} tests: "
        f"wall median {statistics.median(wall) * 1000:.1f} ms "
        f"(mean {statistics.mean(wall) * 1000:.1f} ms), "
        f"CPU median {statistics.median(cpu) * 1000:.1f} ms"
    )
    assert statistics.median(cpu) < CPU_BOUND_SECONDS


def test_a_suite_that_never_asks_for_capsule_starts_no_server(suite):
    # The inner suite runs in this process: servers that other tests of this process started
    # (the web interface's browser tests, say) are already running and are not its doing.
    already = ",".join(str(t.ident) for t in threading.enumerate())
    suite.makepyfile(
        f"""
        import threading

        def test_plain():
            already = set("{already}".split(","))
            started = [
                t for t in threading.enumerate()
                if t.name.startswith("pillbox-") and str(t.ident) not in already
            ]
            assert not started
        """
    )
    suite.runpytest().assert_outcomes(passed=1)


def test_loading_the_plugin_imports_nothing_it_does_not_need_yet():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, pillbox.testing.plugin; "
            "print(' '.join(m for m in sys.modules if m.split('.')[0] in "
            "('pillbox', 'uvicorn', 'sqlalchemy', 'httpx', 'requests', 'responses', 'respx')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sorted(loaded) == ["pillbox", "pillbox.testing", "pillbox.testing.plugin"]


def test_a_second_user_a_read_only_token_and_an_oauth_app(suite):
    suite.makepyfile(
        """
        import re
        from urllib.parse import parse_qs, urlsplit

        import httpx
        import pytest
        from pillbox.testing.client import RequestFailed

        ACTIVITY = {"activityType": {"name": "Visit", "icon": {"id": "TRAVEL"}}}

        def test_permissions(capsule):
            bob = capsule.add_user("Bob Smith", email="bob@acme.example")
            assert bob.user["username"] == "bob" and bob.token != capsule.token
            assert bob.get("/users/current").json()["user"]["id"] == bob.user["id"]
            assert bob.post("/activitytypes", json=ACTIVITY).status_code == 403
            assert capsule.post("/activitytypes", json=ACTIVITY).status_code == 201
            reader = capsule.read_only()
            assert reader.get("/parties").status_code == 200
            assert reader.post("/parties", json={"party": {"type": "person"}}).status_code == 403
            bobs_reader = capsule.new_token("read", user=bob.user)
            auth = {"Authorization": f"Bearer {bobs_reader}"}
            me = capsule.http.get("/users/current", headers=auth)
            assert me.json()["user"]["id"] == bob.user["id"]
            with pytest.raises(RequestFailed):
                capsule.add_user(email="bob@acme.example")

        def test_authorisation_code_flow(capsule):
            carol = capsule.add_user("Carol", email="carol@acme.example", password="long enough")
            app = capsule.oauth_app("Sync", redirect_uris=["https://sync.example/back"])
            query = {
                "response_type": "code",
                "client_id": app["clientId"],
                "redirect_uri": "https://sync.example/back",
                "scope": "read",
            }
            csrf = re.compile(r'name="csrf" value="([^"]+)"')
            with httpx.Client() as browser:
                page = browser.get(app["authorizeUrl"], params=query)
                sign_in = {"action": "sign_in", "email": "carol@acme.example",
                           "password": "long enough", "csrf": csrf.search(page.text)[1]}
                consent = browser.post(
                    app["authorizeUrl"], params=query, data=sign_in, follow_redirects=True
                )
                allow = {"action": "allow", "csrf": csrf.search(consent.text)[1]}
                back = browser.post(app["authorizeUrl"], params=query, data=allow)
            code = parse_qs(urlsplit(back.headers["location"]).query)["code"][0]
            exchange = {"grant_type": "authorization_code", "code": code, **query,
                        "client_secret": app["clientSecret"]}
            token = httpx.post(app["tokenUrl"], data=exchange).json()
            assert token["scope"] == "read"
            me = capsule.http.get("/users/current",
                                  headers={"Authorization": f"Bearer {token['access_token']}"})
            assert me.json()["user"]["id"] == carol.user["id"]
        """
    )
    suite.runpytest().assert_outcomes(passed=2)
