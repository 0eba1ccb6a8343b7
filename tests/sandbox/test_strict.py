"""Strict mode (/_pillbox/strict): what Capsule would refuse or ignore, reported or refused."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from pillbox.settings import Settings
from tests.api.snapshot import account_snapshot

HEADER = "X-Pillbox-Strict"
PERSON = {"type": "person", "firstName": "Ada", "lastName": "Lovelace"}


def set_mode(admin, account, mode):
    response = admin.request("PUT", "/strict", token=account.token, json={"mode": mode})
    assert response.status_code == 200, response.text
    return response


def create_person(account, **extra):
    response = account.post("/parties", {"party": {**PERSON, **extra}})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def findings(response):
    return response.headers[HEADER].split("; ")


# The admin endpoints


def test_strict_mode_of_a_new_account_is_off(admin, account):
    response = admin.request("GET", "/strict", token=account.token)
    assert response.status_code == 200
    assert response.json() == {"strict": {"mode": "off"}}


@pytest.mark.parametrize("mode", ["report", "fail", "off"])
def test_set_strict_mode_answers_and_keeps_the_mode(admin, account, mode):
    assert set_mode(admin, account, mode).json() == {"strict": {"mode": mode}}
    shown = admin.request("GET", "/strict", token=account.read_token)
    assert shown.json() == {"strict": {"mode": mode}}


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_strict_mode_without_token_is_401(admin, method):
    response = admin.request(method, "/strict", json={"mode": "fail"})
    assert response.status_code == 401
    assert response.json() == {"message": "Requires authentication"}


def test_strict_mode_with_unknown_token_is_401(admin):
    response = admin.request("PUT", "/strict", token="nobody", json={"mode": "fail"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "body", [{"mode": "loud"}, {"mode": "FAIL"}, {"mode": None}, {}, {"mode": "fail", "x": 1}]
)
def test_set_strict_mode_to_anything_but_a_mode_is_422_and_keeps_it(admin, account, body):
    set_mode(admin, account, "report")
    response = admin.request("PUT", "/strict", token=account.token, json=body)
    assert response.status_code == 422
    assert response.json()["message"] == "Validation Failed"
    assert response.json()["errors"][0]["resource"] == "strict"
    shown = admin.request("GET", "/strict", token=account.token)
    assert shown.json() == {"strict": {"mode": "report"}}


def test_set_strict_mode_with_a_body_that_is_not_json_is_400(admin, account):
    response = admin.request("PUT", "/strict", token=account.token, content=b"{mode")
    assert response.status_code == 400


def test_strict_mode_belongs_to_the_callers_account(admin, account, other_account):
    set_mode(admin, account, "fail")
    shown = admin.request("GET", "/strict", token=other_account.token)
    assert shown.json() == {"strict": {"mode": "off"}}
    assert other_account.get("/parties?perPage=500").status_code == 200


def test_strict_mode_can_be_switched_off_from_fail(admin, account):
    set_mode(admin, account, "fail")
    set_mode(admin, account, "off")
    assert account.get("/parties?perPage=500").status_code == 200


# Off


def test_off_mode_serves_what_capsule_would_not_without_a_header(account):
    create_person(account, colour="blue", createdAt="2020-01-01T00:00:00Z")
    response = account.get("/parties?perPage=500&embed=colours")
    assert response.status_code == 200
    assert HEADER not in response.headers


# Report: paging


def test_report_per_page_above_the_maximum_is_served_and_reported(admin, account):
    set_mode(admin, account, "report")
    response = account.get("/parties?perPage=500")
    assert response.status_code == 200
    assert findings(response) == ["perPage 500 is above the maximum of 100 (Capsule refuses it)"]


def test_report_per_page_below_one_is_served_and_reported(admin, account):
    set_mode(admin, account, "report")
    create_person(account)
    response = account.get("/parties?perPage=0")
    assert response.status_code == 200
    assert len(response.json()["parties"]) == 1
    assert findings(response) == ["perPage 0 is below the minimum of 1 (Capsule refuses it)"]


def test_report_per_page_in_range_has_no_header(admin, account):
    set_mode(admin, account, "report")
    response = account.get("/parties?perPage=100&page=2")
    assert response.status_code == 200
    assert HEADER not in response.headers


def test_report_covers_every_paged_list(admin, account):
    set_mode(admin, account, "report")
    response = account.get("/parties/deleted?since=2020-01-01T00:00:00Z&perPage=101")
    assert response.status_code == 200
    assert findings(response) == ["perPage 101 is above the maximum of 100 (Capsule refuses it)"]


# Report: embed


def test_report_unsupported_embed_is_served_and_reported(admin, account):
    set_mode(admin, account, "report")
    party = create_person(account)
    response = account.get(f"/parties/{party['id']}?embed=tags,colours,party")
    assert response.status_code == 200
    assert response.json()["party"]["tags"] == []
    assert findings(response) == [
        "embed colours is not served here (Capsule ignores it)",
        "embed party is not served here (Capsule ignores it)",
    ]


def test_report_embed_meta_says_capsule_would_count(admin, account):
    set_mode(admin, account, "report")
    response = account.get("/parties?embed=meta")
    assert response.status_code == 200
    assert findings(response) == ["embed meta is not served here (Capsule adds meta.totalCount)"]


def test_report_supported_and_empty_embeds_have_no_header(admin, account):
    set_mode(admin, account, "report")
    response = account.get("/parties?embed=tags,,fields&embed=")
    assert response.status_code == 200
    assert HEADER not in response.headers


# Report: write bodies


def test_report_unknown_property_is_ignored_and_reported(admin, account):
    set_mode(admin, account, "report")
    response = account.post("/parties", {"party": {**PERSON, "colour": "blue"}})
    assert response.status_code == 201
    assert "colour" not in response.json()["party"]
    assert findings(response) == ["party.colour is an unknown property (Capsule ignores it)"]


def test_report_read_only_properties_are_ignored_and_reported(admin, account):
    set_mode(admin, account, "report")
    sent = {"id": 999999, "createdAt": "2001-01-01T00:00:00Z", "pictureURL": "https://x.test/a.png"}
    response = account.post("/parties", {"party": {**PERSON, **sent}})
    assert response.status_code == 201
    party = response.json()["party"]
    assert party["id"] != 999999 and party["createdAt"] != sent["createdAt"]
    assert findings(response) == [
        "party.id is read-only (Capsule ignores it)",
        "party.createdAt is read-only (Capsule ignores it)",
        "party.pictureURL is read-only (Capsule ignores it)",
    ]


def test_report_nested_properties_name_their_place(admin, account):
    set_mode(admin, account, "report")
    website = {"service": "URL", "address": "https://a.test", "url": "https://b.test"}
    body = {
        **PERSON,
        "websites": [website],
        "addresses": [{"city": "London"}, {"city": "Paris", "planet": "Earth"}],
        "organisation": {"name": "Acme", "pictureURL": "x"},
    }
    response = account.post("/parties", {"party": body})
    assert response.status_code == 201
    assert response.json()["party"]["websites"][0]["url"] == "https://a.test"
    assert sorted(findings(response)) == [
        "party.addresses[1].planet is an unknown property (Capsule ignores it)",
        "party.organisation.pictureURL is read-only (Capsule ignores it)",
        "party.websites[0].url is read-only (Capsule ignores it)",
    ]


def test_report_snake_case_property_is_taken_here_and_reported(admin, account):
    set_mode(admin, account, "report")
    response = account.post("/parties", {"party": {"type": "person", "first_name": "Ada"}})
    assert response.status_code == 201
    assert findings(response) == [
        "party.first_name is taken here as firstName (Capsule ignores it)"
    ]


def test_report_update_with_read_only_property_changes_the_rest(admin, account):
    party = create_person(account)
    set_mode(admin, account, "report")
    body = {"party": {"jobTitle": "Countess", "updatedAt": "2001-01-01T00:00:00Z"}}
    response = account.put(f"/parties/{party['id']}", body)
    assert response.status_code == 200
    assert response.json()["party"]["jobTitle"] == "Countess"
    assert findings(response) == ["party.updatedAt is read-only (Capsule ignores it)"]


def test_report_covers_settings_bodies(admin, account):
    set_mode(admin, account, "report")
    response = account.post("/parties/tags", {"tag": {"name": "VIP", "id": 7, "colour": "red"}})
    assert response.status_code == 201
    assert findings(response) == [
        "tag.id is read-only (Capsule ignores it)",
        "tag.colour is an unknown property (Capsule ignores it)",
    ]


def test_report_filter_body_unknown_property_is_reported(admin, account):
    set_mode(admin, account, "report")
    body = {"filter": {"conditions": [{"field": "name", "operator": "is", "value": "x", "n": 1}]}}
    response = account.post("/parties/filters/results", body)
    assert response.status_code == 200
    assert findings(response) == [
        "filter.conditions[0].n is an unknown property (Capsule ignores it)"
    ]


def test_report_finds_properties_of_deeply_nested_conditions_before_the_rules(admin, account):
    set_mode(admin, account, "report")
    condition = {"field": "name", "operator": "is", "value": "x", "n": 1}
    for _ in range(200):
        condition = {"conditions": [condition]}
    response = account.post("/parties/filters/results", {"filter": {"conditions": [condition]}})
    assert response.status_code == 422  # groups hold conditions only
    (finding,) = findings(response)
    assert finding.startswith("filter.conditions[0].conditions[0].conditions[0].")
    assert len(finding) == 200 and finding.endswith("...")


def test_report_lists_every_kind_of_finding_of_one_request(admin, account):
    set_mode(admin, account, "report")
    response = account.post("/parties?embed=colours", {"party": {**PERSON, "colour": "blue"}})
    assert response.status_code == 201
    assert findings(response) == [
        "party.colour is an unknown property (Capsule ignores it)",
        "embed colours is not served here (Capsule ignores it)",
    ]


def test_report_a_finding_once_however_often_it_is_made(admin, account):
    set_mode(admin, account, "report")
    response = account.get("/parties?embed=colours&embed=colours,colours")
    assert findings(response) == ["embed colours is not served here (Capsule ignores it)"]


def test_report_lists_at_most_twenty_findings_and_counts_the_rest(admin, account):
    set_mode(admin, account, "report")
    extra = {f"extra{n:02}": n for n in range(25)}
    response = account.post("/parties", {"party": {**PERSON, **extra}})
    assert response.status_code == 201
    listed = findings(response)
    assert len(listed) == 21
    assert listed[0] == "party.extra00 is an unknown property (Capsule ignores it)"
    assert listed[-1] == "and 5 more"


def test_report_escapes_what_a_header_cannot_carry(admin, account):
    set_mode(admin, account, "report")
    body = {"party": {**PERSON, "a;b\nc\u00e9\u2603\U0001f600": 1, "x" * 300: 2}}
    response = account.post("/parties", body)
    assert response.status_code == 201
    escaped, long = findings(response)
    name = "a\\x3bb\\x0ac\\xe9\\u2603\\U0001f600"
    assert escaped == f"party.{name} is an unknown property (Capsule ignores it)"
    assert len(long) == 200 and long.endswith("...")


def test_report_of_a_request_without_findings_has_no_header(admin, account):
    set_mode(admin, account, "report")
    response = account.post("/parties?embed=tags", {"party": PERSON})
    assert response.status_code == 201
    assert HEADER not in response.headers


# Fail


def test_fail_per_page_above_the_maximum_is_400(admin, account):
    set_mode(admin, account, "fail")
    response = account.get("/parties?perPage=500")
    assert response.status_code == 400
    message = "Refused in strict mode: perPage 500 is above the maximum of 100 (Capsule refuses it)"
    assert response.json() == {"message": message}
    assert findings(response) == ["perPage 500 is above the maximum of 100 (Capsule refuses it)"]


def test_fail_unsupported_embed_on_a_list_is_400(admin, account):
    set_mode(admin, account, "fail")
    response = account.get("/parties?embed=colours")
    assert response.status_code == 400
    assert response.json() == {
        "message": "Refused in strict mode: embed colours is not served here (Capsule ignores it)"
    }


@pytest.mark.parametrize(
    "extra",
    [
        {"colour": "blue"},
        {"createdAt": "2001-01-01T00:00:00Z"},
        {"first_name": "Ada"},
        {"addresses": [{"city": "London", "planet": "Earth"}]},
    ],
)
def test_fail_create_with_an_ignored_property_is_400_and_writes_nothing(
    admin, account, engine, extra
):
    set_mode(admin, account, "fail")
    before = account_snapshot(engine, account.id)
    response = account.post("/parties", {"party": {**PERSON, **extra}})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Refused in strict mode: party.")
    assert account_snapshot(engine, account.id) == before


def test_fail_create_with_an_unsupported_embed_is_400_and_writes_nothing(admin, account, engine):
    set_mode(admin, account, "fail")
    before = account_snapshot(engine, account.id)
    response = account.post("/parties?embed=colours", {"party": PERSON})
    assert response.status_code == 400
    assert account_snapshot(engine, account.id) == before


def test_fail_update_with_a_read_only_property_is_400_and_writes_nothing(admin, account, engine):
    party = create_person(account)
    set_mode(admin, account, "fail")
    before = account_snapshot(engine, account.id)
    body = {"party": {"jobTitle": "Countess", "lastContactedAt": "2001-01-01T00:00:00Z"}}
    response = account.put(f"/parties/{party['id']}", body)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Refused in strict mode: party.lastContactedAt is read-only (Capsule ignores it)"
    }
    assert account_snapshot(engine, account.id) == before


def test_fail_serves_requests_without_findings(admin, account):
    set_mode(admin, account, "fail")
    party = create_person(account)
    response = account.get(f"/parties/{party['id']}?embed=tags,fields")
    assert response.status_code == 200
    assert HEADER not in response.headers


def test_fail_keeps_capsules_own_errors_first(admin, account):
    set_mode(admin, account, "fail")
    response = account.post("/parties", {"party": {"type": "robot", "colour": "blue"}})
    assert response.status_code == 422


def test_fail_in_one_account_leaves_another_unaffected(admin, account, other_account, engine):
    set_mode(admin, account, "fail")
    response = other_account.post("/parties?perPage=500", {"party": {**PERSON, "colour": "x"}})
    assert response.status_code == 201
    assert HEADER not in response.headers
    assert account.get("/parties?perPage=500").status_code == 400


def test_request_without_valid_token_is_401_whatever_the_mode(admin, account):
    set_mode(admin, account, "fail")
    response = account.client.get(
        "/api/v2/parties?perPage=500", headers={"Authorization": "Bearer nobody"}
    )
    assert response.status_code == 401
    assert HEADER not in response.headers


# The setting


class TestDefaultMode:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"strict": "report"})

    def test_new_accounts_start_in_the_configured_mode(self, admin, account):
        shown = admin.request("GET", "/strict", token=account.token)
        assert shown.json() == {"strict": {"mode": "report"}}
        response = account.get("/parties?perPage=500")
        assert response.status_code == 200
        assert findings(response) == [
            "perPage 500 is above the maximum of 100 (Capsule refuses it)"
        ]

    def test_an_account_may_still_change_its_mode(self, admin, account):
        set_mode(admin, account, "off")
        assert HEADER not in account.get("/parties?perPage=500").headers


def test_strict_setting_defaults_to_off(monkeypatch):
    monkeypatch.delenv("PILLBOX_STRICT", raising=False)
    assert Settings().strict == "off"


def test_strict_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("PILLBOX_STRICT", "fail")
    assert Settings().strict == "fail"


def test_strict_setting_takes_only_the_three_modes():
    with pytest.raises(ValidationError):
        Settings(strict="loud")


# Outside a sandbox


class TestWithoutSandbox:
    @pytest.fixture
    def settings(self, tmp_path: Path) -> Settings:
        return Settings(
            database_url="sqlite://",
            rate_limit_per_hour=100_000,
            run_worker=False,
            attachments_dir=str(tmp_path / "attachments"),
            strict="fail",
        )

    def test_strict_endpoints_are_not_served(self, client, account):
        headers = {"Authorization": f"Bearer {account.token}"}
        assert client.get("/_pillbox/strict", headers=headers).status_code == 404

    def test_requests_are_served_without_a_header(self, account):
        listed = account.get("/parties?perPage=500&embed=meta,colours")
        created = account.post("/parties", {"party": {**PERSON, "colour": "blue", "id": 1}})
        assert (listed.status_code, created.status_code) == (200, 201)
        assert HEADER not in listed.headers and HEADER not in created.headers


# The journal keeps the findings


def journal(admin, account):
    return admin.request("GET", "/journal", token=account.token).json()["requests"]


def test_the_journal_lists_each_requests_findings_as_its_header_does(admin, account):
    set_mode(admin, account, "report")
    reported = account.get("/parties?perPage=500&embed=colours")
    account.get("/parties")
    clean, flagged = journal(admin, account)
    assert (
        flagged["strict"]
        == findings(reported)
        == [
            "perPage 500 is above the maximum of 100 (Capsule refuses it)",
            "embed colours is not served here (Capsule ignores it)",
        ]
    )
    assert clean["strict"] == []


def test_the_journal_lists_the_finding_that_refused_a_request(admin, account):
    set_mode(admin, account, "fail")
    refused = account.post("/parties", {"party": {**PERSON, "colour": "blue"}})
    assert refused.status_code == 400
    (entry,) = journal(admin, account)
    assert (entry["status"], entry["strict"]) == (400, findings(refused))
    assert entry["strict"] == ["party.colour is an unknown property (Capsule ignores it)"]


def test_the_journal_keeps_how_many_findings_were_left_out(admin, account):
    set_mode(admin, account, "report")
    many = {f"extra{n}": n for n in range(25)}
    account.post("/parties", {"party": {**PERSON, **many}})
    (entry,) = journal(admin, account)
    assert len(entry["strict"]) == 21 and entry["strict"][-1] == "and 5 more"


def test_off_mode_journals_no_findings(admin, account):
    account.get("/parties?perPage=500")
    assert [entry["strict"] for entry in journal(admin, account)] == [[]]
