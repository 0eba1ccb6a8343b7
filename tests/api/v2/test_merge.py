"""POST /parties/{id}/merge (a Pillbox extension): everything on the sources moves to the
target, the sources are deleted, events fire as for the same changes made one by one."""

from typing import Any

import pytest

from pillbox.domain.entries import file_email
from pillbox.settings import Settings
from pillbox.store import field_definitions
from tests.api.v2.checks import add_user, errors_of
from tests.conftest import Account


def create(account: Account, **party: Any) -> dict[str, Any]:
    response = account.post("/parties", {"party": party})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def person(account: Account, **extra: Any) -> dict[str, Any]:
    return create(account, type="person", firstName="Scott", lastName="Spacey", **extra)


def merge(account: Account, target: dict[str, Any], *sources: dict[str, Any]) -> Any:
    body = {"parties": [{"id": source["id"]} for source in sources]}
    return account.post(f"/parties/{target['id']}/merge", body)


def merged(account: Account, target: dict[str, Any], *sources: dict[str, Any]) -> dict[str, Any]:
    response = merge(account, target, *sources)
    assert response.status_code == 200, response.text
    return response.json()["party"]


def milestone_id(account: Account) -> int:
    return int(account.get("/milestones").json()["milestones"][0]["id"])


def opportunity(account: Account, party: dict[str, Any], name: str = "Deal") -> dict[str, Any]:
    body = {"name": name, "party": {"id": party["id"]}, "milestone": {"id": milestone_id(account)}}
    response = account.post("/opportunities", {"opportunity": body})
    assert response.status_code == 201, response.text
    return response.json()["opportunity"]


def kase(account: Account, party: dict[str, Any], name: str = "Project") -> dict[str, Any]:
    response = account.post("/kases", {"kase": {"name": name, "party": {"id": party["id"]}}})
    assert response.status_code == 201, response.text
    return response.json()["kase"]


def additional_ids(account: Account, collection: str, record: dict[str, Any]) -> list[int]:
    listed = account.get(f"/{collection}/{record['id']}/parties").json()["parties"]
    return [party["id"] for party in listed]


# -- what moves -----------------------------------------------------------------------------------


def test_merge_moves_entries_tasks_opportunities_and_projects_to_the_target(account):
    target, source = person(account), person(account)
    note = account.post("/entries", {"entry": {"type": "note", "content": "hi", "party": source}})
    task = account.post(
        "/tasks", {"task": {"description": "Call", "dueOn": "2030-01-01", "party": source}}
    ).json()["task"]
    deal, project = opportunity(account, source), kase(account, source)

    party = merged(account, target, source)

    assert party["id"] == target["id"]
    entry_id = note.json()["entry"]["id"]
    assert account.get(f"/entries/{entry_id}").json()["entry"]["party"]["id"] == target["id"]
    assert account.get(f"/tasks/{task['id']}").json()["task"]["party"]["id"] == target["id"]
    shown_deal = account.get(f"/opportunities/{deal['id']}").json()["opportunity"]
    assert shown_deal["party"]["id"] == target["id"]
    assert account.get(f"/kases/{project['id']}").json()["kase"]["party"]["id"] == target["id"]
    assert account.get(f"/parties/{source['id']}").status_code == 404
    deleted = account.get("/parties/deleted?since=2000-01-01T00:00:00Z").json()["parties"]
    assert [item["id"] for item in deleted] == [source["id"]]


def test_merge_files_emails_of_the_sources_against_the_target_once(account, engine):
    target, source, bystander = person(account), person(account), person(account)

    def email(party_ids: list[int]) -> int:
        with engine.begin() as conn:
            return file_email(
                conn,
                account.id,
                creator_id=account.user_id,
                subject="Hello",
                content="Hi",
                entry_at="2030-01-01T10:00:00Z",
                party_ids=party_ids,
                participants=[{"address": "a@b.example", "name": "A", "role": "FROM"}],
            )

    to_source = email([source["id"], bystander["id"]])
    to_both = email([source["id"], target["id"]])
    merged(account, target, source)
    for entry_id, expected in ((to_source, [target, bystander]), (to_both, [target])):
        parties = account.get(f"/entries/{entry_id}").json()["entry"]["parties"]
        assert sorted(p["id"] for p in parties) == sorted(p["id"] for p in expected)
    listed = account.get(f"/parties/{target['id']}/entries").json()["entries"]
    assert sorted(e["id"] for e in listed) == sorted([to_source, to_both])


def test_merge_moves_additional_party_links_once(account):
    target, source, other = person(account), person(account), person(account)
    deal, both, led = (
        opportunity(account, other),
        opportunity(account, other),
        opportunity(account, target),
    )
    project = kase(account, other)
    for record, collection in (
        (deal, "opportunities"),
        (both, "opportunities"),
        (led, "opportunities"),
        (project, "kases"),
    ):
        assert (
            account.post(f"/{collection}/{record['id']}/parties/{source['id']}", None).status_code
            == 204
        )
    assert (
        account.post(f"/opportunities/{both['id']}/parties/{target['id']}", None).status_code == 204
    )

    merged(account, target, source)

    assert additional_ids(account, "opportunities", deal) == [target["id"]]
    assert additional_ids(account, "opportunities", both) == [target["id"]]
    assert additional_ids(account, "opportunities", led) == []  # the target is its main party
    assert additional_ids(account, "kases", project) == [target["id"]]


def test_merge_of_a_record_on_which_the_target_is_an_additional_party_drops_that_link(account):
    target, source = person(account), person(account)
    deal = opportunity(account, source)
    assert (
        account.post(f"/opportunities/{deal['id']}/parties/{target['id']}", None).status_code == 204
    )
    merged(account, target, source)
    assert additional_ids(account, "opportunities", deal) == []


def test_merge_of_organisations_moves_their_people(account):
    target = create(account, type="organisation", name="Acme")
    source = create(account, type="organisation", name="ACME Ltd")
    employee = person(account, organisation={"id": source["id"]})
    merged(account, target, source)
    shown = account.get(f"/parties/{employee['id']}").json()["party"]
    assert shown["organisation"]["id"] == target["id"]
    people = account.get(f"/parties/{target['id']}/people").json()["parties"]
    assert [p["id"] for p in people] == [employee["id"]]


def test_merge_moves_tags_and_the_contacts_the_target_lacks(account):
    target = person(
        account,
        emailAddresses=[{"address": "scott@example.com"}],
        phoneNumbers=[{"number": "+44 20 7946 0000"}],
        tags=[{"name": "VIP"}],
    )
    source = person(
        account,
        emailAddresses=[{"address": "SCOTT@example.com"}, {"address": "s@home.example"}],
        phoneNumbers=[{"number": "44-20-7946-0000"}],
        websites=[{"address": "scott.example"}],
        addresses=[{"city": "Leeds"}],
        tags=[{"name": "VIP"}, {"name": "Lead"}],
    )
    party = account.get(f"/parties/{merged(account, target, source)['id']}?embed=tags").json()[
        "party"
    ]
    emails = sorted(item["address"] for item in party["emailAddresses"])
    assert emails == ["s@home.example", "scott@example.com"]
    assert [item["number"] for item in party["phoneNumbers"]] == ["+44 20 7946 0000"]
    assert [item["address"] for item in party["websites"]] == ["scott.example"]
    assert [item["city"] for item in party["addresses"]] == ["Leeds"]
    assert sorted(tag["name"] for tag in party["tags"]) == ["Lead", "VIP"]


def test_merge_keeps_the_targets_field_values_and_takes_the_others(account, engine):
    with engine.begin() as conn:
        colour = field_definitions.create_definition(
            conn, account.id, "parties", name="Colour", type="text"
        )
        size = field_definitions.create_definition(
            conn, account.id, "parties", name="Size", type="text"
        )
    target = person(account, fields=[{"definition": colour, "value": "red"}])
    source = person(
        account,
        fields=[{"definition": colour, "value": "blue"}, {"definition": size, "value": "L"}],
    )
    merged(account, target, source)
    fields = account.get(f"/parties/{target['id']}?embed=fields").json()["party"]["fields"]
    assert {f["definition"]["name"]: f["value"] for f in fields} == {"Colour": "red", "Size": "L"}


def test_merge_of_a_users_person_record_makes_the_target_that_users_record(account, engine):
    user_id, _ = add_user(engine, account, "Bea Brown", "bea")
    source_id = account.get(f"/users/{user_id}?embed=party").json()["user"]["party"]["id"]
    target = create(account, type="person", firstName="Bea", lastName="Brown")
    merged(account, target, {"id": source_id})
    assert (
        account.get(f"/users/{user_id}?embed=party").json()["user"]["party"]["id"] == target["id"]
    )


def test_merge_takes_several_sources_at_once(account):
    target, first, second = person(account), person(account), person(account)
    deal = opportunity(account, second)
    merged(account, target, first, second)
    for source in (first, second):
        assert account.get(f"/parties/{source['id']}").status_code == 404
    shown = account.get(f"/opportunities/{deal['id']}").json()["opportunity"]
    assert shown["party"]["id"] == target["id"]


def test_merge_answers_the_target_as_a_show_does(account):
    target, source = person(account), person(account, jobTitle="Chief")
    party = merged(account, target, source)
    assert party == account.get(f"/parties/{target['id']}").json()["party"]
    assert party["jobTitle"] is None  # the target's own properties stay


# -- webhooks ----------------------------------------------------------------------------------


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Hooks here point at loopback (nothing is delivered), which only this setting allows."""
    return settings.model_copy(update={"hooks_allow_private": True})


def subscribe(account: Account, event: str) -> dict[str, Any]:
    body = {"restHook": {"event": event, "targetUrl": "https://hooks.example/merge"}}
    response = account.post("/resthooks", body)
    assert response.status_code == 201, response.text
    return response.json()["restHook"]


def queued(account: Account, hook: dict[str, Any]) -> list[int]:
    listed = account.get(f"/resthooks/{hook['id']}/deliveries?perPage=100").json()["deliveries"]
    return sorted(item["recordId"] for item in listed)


def test_merge_fires_the_events_of_each_change(account):
    target = create(account, type="organisation", name="Acme")
    source = create(account, type="organisation", name="Acme Ltd")
    employee = person(account, organisation={"id": source["id"]})
    task = account.post(
        "/tasks", {"task": {"description": "Call", "dueOn": "2030-01-01", "party": source}}
    ).json()["task"]
    deal, project = opportunity(account, source), kase(account, source)
    hooks = {
        event: subscribe(account, event)
        for event in (
            "party/updated",
            "party/deleted",
            "task/updated",
            "opportunity/updated",
            "kase/updated",
        )
    }

    merged(account, target, source)

    assert queued(account, hooks["party/updated"]) == sorted([target["id"], employee["id"]])
    assert queued(account, hooks["party/deleted"]) == [source["id"]]
    assert queued(account, hooks["task/updated"]) == [task["id"]]
    assert queued(account, hooks["opportunity/updated"]) == [deal["id"]]
    assert queued(account, hooks["kase/updated"]) == [project["id"]]


# -- refusals ----------------------------------------------------------------------------------


def test_merge_of_a_person_and_an_organisation_is_a_422_that_changes_nothing(account):
    target, source = person(account), create(account, type="organisation", name="Acme")
    deal = opportunity(account, source)
    errors = errors_of(merge(account, target, source))
    assert errors[0]["field"] == "parties"
    assert account.get(f"/parties/{source['id']}").status_code == 200
    shown = account.get(f"/opportunities/{deal['id']}").json()["opportunity"]
    assert shown["party"]["id"] == source["id"]


def test_merge_of_a_party_into_itself_is_a_422(account):
    target = person(account)
    assert errors_of(merge(account, target, target))[0]["field"] == "parties"


@pytest.mark.parametrize("body", [{}, {"parties": {"id": 1}}, [], {"party": []}])
def test_merge_without_a_list_of_parties_is_a_400(account, body):
    target = person(account)
    assert account.post(f"/parties/{target['id']}/merge", body).status_code == 400


def test_merge_with_an_empty_list_is_a_422(account):
    target = person(account)
    assert errors_of(account.post(f"/parties/{target['id']}/merge", {"parties": []}))


def test_merge_with_another_accounts_party_is_a_404_like_a_missing_one(account, other_account):
    target, mine = person(account), person(account)
    theirs = person(other_account)
    missing = {"id": 987654321}
    answers = [merge(account, target, mine, source) for source in (theirs, missing)]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    assert merge(account, theirs, mine).status_code == 404
    assert account.get(f"/parties/{mine['id']}").status_code == 200
    assert other_account.get(f"/parties/{theirs['id']}").status_code == 200


def test_merge_with_a_read_token_is_a_403(account):
    target, source = person(account), person(account)
    response = account.post(
        f"/parties/{target['id']}/merge",
        {"parties": [{"id": source["id"]}]},
        headers=account.read_headers,
    )
    assert response.status_code == 403
    assert account.get(f"/parties/{source['id']}").status_code == 200


# -- history -----------------------------------------------------------------------------------


def test_merge_is_recorded_in_the_history_through_merge(account):
    target, source = person(account), person(account, emailAddresses=[{"address": "a@b.example"}])
    deal = opportunity(account, source)
    merged(account, target, source)
    (moved,) = account.get(f"/opportunities/{deal['id']}/changes").json()["changes"][:1]
    assert (moved["via"], moved["field"]) == ("merge", "party")
    assert (moved["from"], moved["to"]) == ({"id": source["id"]}, {"id": target["id"]})
    latest = account.get(f"/parties/{target['id']}/changes").json()["changes"][0]
    assert (latest["via"], latest["field"]) == ("merge", "emailAddresses")
    assert latest["to"] == [{"type": None, "address": "a@b.example"}]
    gone = account.get(f"/parties/{source['id']}/changes").json()["changes"][0]
    assert (gone["via"], gone["field"]) == ("merge", "deletedAt")
