"""The sandbox's controls on the `capsule` handle: snapshots, forks, resets, the clock, seeded
ids, strict mode, faults and the journal, as a test of an integration uses them."""

pytest_plugins = ["pytester"]


def test_snapshots_forks_and_resets(suite):
    suite.makepyfile(
        """
        def test_state(capsule):
            acme = capsule.organisation("Acme")
            capsule.snapshot("with-acme")
            capsule.organisation("Later")
            capsule.restore("with-acme")
            names = [p.get("name") for p in capsule.get("/parties").json()["parties"]]
            assert "Later" not in names and "Acme" in names
            forked = capsule.fork()
            assert forked.token != capsule.token
            assert forked.get(f"/parties/{acme['id']}").status_code == 404
            assert "Acme" in [p.get("name") for p in forked.get("/parties").json()["parties"]]
            capsule.reset()
            assert capsule.get(f"/parties/{acme['id']}").status_code == 404
        """
    )
    suite.runpytest().assert_outcomes(passed=1)


def test_the_clock_is_back_to_real_time_for_the_next_test(suite):
    suite.makepyfile(
        """
        def test_moves_the_clock(capsule):
            capsule.set_clock("2030-01-01T00:00:00Z")
            assert capsule.advance(days=1) == "2030-01-02T00:00:00Z"
            assert capsule.organisation()["createdAt"] == "2030-01-02T00:00:00Z"

        def test_sees_real_time(capsule):
            assert not capsule.organisation()["createdAt"].startswith("2030")
        """
    )
    suite.runpytest().assert_outcomes(passed=2)


def test_seeded_ids_strict_mode_faults_and_the_journal(suite):
    suite.makepyfile(
        """
        import pytest
        from pillbox.testing.client import RequestFailed

        def test_controls(capsule):
            capsule.seed_ids(42)
            assert capsule.organisation()["id"] >= 1_000_000_000
            capsule.strict("report")
            response = capsule.get("/parties", params={"perPage": 500})
            assert "perPage" in response.headers["X-Pillbox-Strict"]
            capsule.fault(status=503, path="/api/v2/parties*")
            assert capsule.get("/parties").status_code == 503
            assert capsule.get("/parties").status_code == 200
            statuses = [r["status"] for r in capsule.journal(path="/api/v2/parties")]
            assert statuses[:2] == [200, 503]
            capsule.fault(status=500, times=5)
            capsule.clear_faults()
            assert capsule.get("/parties").status_code == 200
            with pytest.raises(RequestFailed):
                capsule.fault(status=99)
        """
    )
    suite.runpytest().assert_outcomes(passed=1)
