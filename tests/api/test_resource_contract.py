"""The behaviour every declared resource shares, tested once for all of them.

Each resource in the API v2 registry gets, as far as it declares the operation: envelopes,
201 + Location, 200 on update, 204 on delete (or 202 and a job that completes) with no body and
so no Content-Type, paging with Link
and X-Pagination-Has-More, `since`, the deleted feed, a wrong root key (400), read scope (403),
and another account's record (404, same as a missing one).
"""

import time

import pytest

from pillbox.api import v2
from pillbox.worker import Worker
from tests.api.v2.examples import EXAMPLES

RESOURCES = sorted({e.resource for e in v2.endpoints() if e.resource}, key=lambda r: r.key)


def having(condition):
    chosen = [r for r in RESOURCES if condition(r)]
    return pytest.mark.parametrize("resource", chosen, ids=[r.key for r in chosen])


creatable = having(lambda r: r.create is not None)
creatable_and_listed = having(lambda r: r.create is not None and r.page_ids is not None)
updatable = having(lambda r: r.create is not None and r.update is not None)
deletable = having(lambda r: r.create is not None and r.delete is not None)
with_since = having(lambda r: r.create is not None and r.since)
with_deleted_feed = having(lambda r: r.deleted_feed)
with_many_ids = having(lambda r: r.create is not None and r.many_ids)
with_single_ids = having(lambda r: r.create is not None and not r.many_ids)
every_resource = having(lambda r: True)


def create(account, resource):
    new, _ = EXAMPLES[resource.key]
    response = account.post(resource.path, {resource.singular: new(account)})
    assert response.status_code == 201, response.text
    return response


def delete(account, engine, resource, record_id):
    """Deletes the record and, where deletion is a job, runs the job to its end."""
    response = account.delete(f"{resource.path}/{record_id}")
    if resource.deletes_later:
        assert (response.status_code, response.content) == (202, b""), response.text
        job_url = response.headers["Location"]
        assert "/api/v2/jobs/" in job_url
        assert Worker(engine).run_pending() >= 1
        job = account.get(job_url.split("/api/v2")[1]).json()["job"]
        assert (job["status"], job["progress"]) == ("completed", 100)
    else:
        assert (response.status_code, response.content) == (204, b"")
    # Clients parse a body as JSON when Content-Type says so: an empty one must not say so.
    assert "Content-Type" not in response.headers
    return response


def test_every_resource_that_creates_has_an_example():
    assert {r.key for r in RESOURCES if r.create is not None} <= set(EXAMPLES)


@creatable
def test_create_is_201_with_location_and_the_stored_record(account, resource):
    response = create(account, resource)
    record = response.json()[resource.singular]
    assert response.headers["Location"].endswith(f"/api/v2{resource.path}/{record['id']}")
    assert response.headers["Content-Type"] == "application/json"
    shown = account.get(f"{resource.path}/{record['id']}").json()
    assert shown == {resource.singular: record}


@updatable
def test_update_is_200_with_the_full_record(account, resource):
    record = create(account, resource).json()[resource.singular]
    _, change = EXAMPLES[resource.key]
    response = account.put(f"{resource.path}/{record['id']}", {resource.singular: change(account)})
    assert response.status_code == 200
    assert set(response.json()[resource.singular]) == set(record)


@deletable
def test_delete_is_204_or_a_completed_job_and_the_record_is_gone(account, engine, resource):
    record = create(account, resource).json()[resource.singular]
    delete(account, engine, resource, record["id"])
    if resource.page_ids is not None:
        listed = account.get(f"{resource.path}?perPage=100").json()[resource.plural]
        assert record["id"] not in [item["id"] for item in listed]
    shown = account.get(f"{resource.path}/{record['id']}").status_code
    assert shown == (200 if resource.delete_archives else 404)  # archived ones stay readable
    assert account.delete(f"{resource.path}/{record['id']}").status_code == 404


@deletable
def test_the_id_of_a_deleted_record_is_never_given_again(account, engine, resource):
    newest = create(account, resource).json()[resource.singular]["id"]
    delete(account, engine, resource, newest)
    assert create(account, resource).json()[resource.singular]["id"] > newest


LINKS = [e for e in v2.endpoints() if e.path.endswith("/parties/{partyId}")]


@pytest.mark.parametrize("link", LINKS, ids=[f"{e.method} {e.path}" for e in LINKS])
def test_linking_two_records_is_204_without_a_body_or_content_type(account, link):
    kind = next(r for r in RESOURCES if r.key == link.path.split("/")[1])
    owner = create(account, kind).json()[kind.singular]
    party = create(account, next(r for r in RESOURCES if r.key == "parties")).json()["party"]
    path = link.path.format(id=owner["id"], partyId=party["id"])
    if link.method == "DELETE":
        account.post(path, None)
    response = account.request(link.method, path)
    assert (response.status_code, response.content) == (204, b""), response.text
    assert "Content-Type" not in response.headers


@with_deleted_feed
def test_deleted_feed_lists_deletions_since_and_requires_since(account, resource):
    record = create(account, resource).json()[resource.singular]
    account.delete(f"{resource.path}/{record['id']}")
    feed = account.get(f"{resource.path}/deleted?since=2000-01-01T00:00:00Z").json()[
        resource.plural
    ]
    assert [item["id"] for item in feed] == [record["id"]]
    assert feed[0]["deletedAt"].endswith("Z")
    assert account.get(f"{resource.path}/deleted?since=2999-01-01T00:00:00Z").json() == {
        resource.plural: []
    }
    without_since = account.get(f"{resource.path}/deleted")
    if resource.deleted_since_required:  # parties; Capsule makes it optional elsewhere
        assert without_since.status_code == 422
        assert without_since.json()["errors"][0]["message"] == "since is required"
    else:
        assert [item["id"] for item in without_since.json()[resource.plural]] == [record["id"]]


@creatable_and_listed
def test_list_pages_with_link_and_has_more_headers(account, resource):
    existing = [
        r["id"] for r in account.get(f"{resource.path}?perPage=100").json()[resource.plural]
    ]
    new = [create(account, resource).json()[resource.singular]["id"] for _ in range(3)]
    ids = new[::-1] + existing if resource.newest_first else existing + new
    size = (len(ids) + 1) // 2  # two pages, the second one not full when the count is odd
    first = account.get(f"{resource.path}?perPage={size}&embed=tags")
    assert [r["id"] for r in first.json()[resource.plural]] == ids[:size]
    assert first.headers["X-Pagination-Has-More"] == "true"
    assert first.headers["Link"] == (
        f'<http://pillbox.test/api/v2{resource.path}?perPage={size}&embed=tags&page=2>; rel="next"'
    )
    last = account.get(f"{resource.path}?perPage={size}&page=2")
    assert [r["id"] for r in last.json()[resource.plural]] == ids[size:]
    assert last.headers["X-Pagination-Has-More"] == "false"
    assert (
        last.headers["Link"]
        == f'<http://pillbox.test/api/v2{resource.path}?perPage={size}&page=1>; rel="prev"'
    )


@creatable_and_listed
def test_a_page_far_past_the_end_is_empty(account, resource):
    create(account, resource)
    response = account.get(f"{resource.path}?perPage=100&page=1073741618")  # offset past 2^31
    assert response.status_code == 200
    assert response.json()[resource.plural] == []
    assert response.headers["X-Pagination-Has-More"] == "false"


@creatable_and_listed
def test_per_page_is_clamped_and_non_numbers_are_422(account, resource):
    created = create(account, resource).json()[resource.singular]
    listed = account.get(f"{resource.path}?perPage=500").json()[resource.plural]
    assert created in listed
    assert account.get(f"{resource.path}?page=0").status_code == 200
    response = account.get(f"{resource.path}?perPage=many")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "perPage"


@with_since
def test_since_returns_only_records_changed_at_or_after_it(account, resource, engine):
    import sqlalchemy as sa

    old = create(account, resource).json()[resource.singular]
    new = create(account, resource).json()[resource.singular]
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                f"UPDATE {resource.plural} SET updated_at = '2020-01-01T00:00:00Z' WHERE id = :id"
            ),
            {"id": old["id"]},
        )
    listed = account.get(f"{resource.path}?since=2021-06-01T00:00:00Z").json()[resource.plural]
    assert [r["id"] for r in listed] == [new["id"]]
    assert account.get(f"{resource.path}?since=yesterday").status_code == 422


@with_many_ids
def test_multiple_ids_show_in_request_order_and_any_unknown_is_404(account, resource):
    a, b = (create(account, resource).json()[resource.singular]["id"] for _ in range(2))
    shown = account.get(f"{resource.path}/{b},{a}").json()[resource.plural]
    assert [r["id"] for r in shown] == [b, a]
    assert account.get(f"{resource.path}/{a},987654").status_code == 404


@with_single_ids
def test_an_id_list_is_404_where_records_show_one_at_a_time(account, resource):
    a, b = (create(account, resource).json()[resource.singular]["id"] for _ in range(2))
    assert account.get(f"{resource.path}/{a},{b}").status_code == 404


@with_many_ids
def test_more_than_ten_ids_is_422_too_many_ids(account, resource):
    ids = ",".join(str(i) for i in range(1, 12))
    response = account.get(f"{resource.path}/{ids}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "too many ids"


@creatable
@pytest.mark.parametrize(
    "body", [b"<ROOT/>", b"not json", b"[]", b'{"somethingElse": {}}', b'{"ROOT": 5}']
)
def test_body_that_is_not_json_or_has_the_wrong_root_is_400(account, resource, body):
    body = body.replace(b"ROOT", resource.singular.encode())
    response = account.request(
        "POST", resource.path, content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"message": "Invalid JSON format"}


@creatable
def test_read_scope_token_can_read_but_not_write(account, resource):
    record = create(account, resource).json()[resource.singular]
    shown = account.get(f"{resource.path}/{record['id']}", headers=account.read_headers)
    assert shown.status_code == 200
    if resource.page_ids is not None:
        assert account.get(resource.path, headers=account.read_headers).status_code == 200
    for method, path in [
        ("POST", resource.path),
        ("PUT", f"{resource.path}/{record['id']}"),
        ("DELETE", f"{resource.path}/{record['id']}"),
    ]:
        response = account.request(method, path, headers=account.read_headers, json={})
        assert response.status_code == 403
        assert response.json() == {"message": "Requires additional scope"}
        assert response.headers["WWW-Authenticate"] == (
            'Bearer realm="capsule", error="insufficient_scope", scope="write"'
        )
    assert account.get(f"{resource.path}/{record['id']}").status_code == 200


@creatable
def test_another_accounts_record_is_404_like_a_missing_one(account, other_account, resource):
    record = create(account, resource).json()[resource.singular]
    path = f"{resource.path}/{record['id']}"
    missing = other_account.get(f"{resource.path}/987654")
    attempts = [other_account.get(path)]
    if resource.update is not None:
        attempts.append(other_account.put(path, {resource.singular: {}}))
    if resource.delete is not None:
        attempts.append(other_account.delete(path))
    for response in attempts:
        assert (response.status_code, response.json()) == (404, missing.json())
    if resource.page_ids is not None:
        listed = other_account.get(f"{resource.path}?perPage=100").json()[resource.plural]
        assert record["id"] not in [item["id"] for item in listed]
    if resource.deleted_feed:
        feed = other_account.get(f"{resource.path}/deleted?since=2000-01-01")
        assert feed.json() == {resource.plural: []}
    assert account.get(path).status_code == 200


@every_resource
def test_every_response_carries_the_rate_limit_headers(account, resource):
    response = account.get(resource.path)
    assert int(response.headers["X-RateLimit-Limit"]) > 0
    assert int(response.headers["X-RateLimit-Reset"]) > time.time()
    assert "X-RateLimit-Remaining" in response.headers
