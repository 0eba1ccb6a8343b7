"""The behaviour every declared resource shares, tested once for all of them.

Each resource in the API v2 registry gets: envelopes, 201 + Location, 200 on update, 204 on
delete, paging with Link and X-Pagination-Has-More, `since`, the deleted feed, a wrong root key
(400), read scope (403), and another account's record (404, same as a missing one).
"""

import time

import pytest

from pillbox.api import v2
from tests.api.v2.examples import EXAMPLES

RESOURCES = sorted({e.resource for e in v2.endpoints() if e.resource}, key=lambda r: r.plural)
IDS = [r.plural for r in RESOURCES]


@pytest.fixture(params=RESOURCES, ids=IDS)
def resource(request):
    return request.param


def create(account, resource):
    new, _ = EXAMPLES[resource.plural]
    response = account.post(resource.path, {resource.singular: new()})
    assert response.status_code == 201, response.text
    return response


def test_every_resource_has_an_example():
    assert {r.plural for r in RESOURCES} <= set(EXAMPLES)


def test_create_is_201_with_location_and_the_stored_record(account, resource):
    response = create(account, resource)
    record = response.json()[resource.singular]
    assert response.headers["Location"].endswith(f"/api/v2{resource.path}/{record['id']}")
    assert response.headers["Content-Type"] == "application/json"
    shown = account.get(f"{resource.path}/{record['id']}").json()
    assert shown == {resource.singular: record}


def test_update_is_200_with_the_full_record(account, resource):
    record = create(account, resource).json()[resource.singular]
    _, change = EXAMPLES[resource.plural]
    response = account.put(f"{resource.path}/{record['id']}", {resource.singular: change()})
    assert response.status_code == 200
    assert set(response.json()[resource.singular]) == set(record)


def test_delete_is_204_and_the_record_is_gone(account, resource):
    record = create(account, resource).json()[resource.singular]
    response = account.delete(f"{resource.path}/{record['id']}")
    assert (response.status_code, response.content) == (204, b"")
    assert response.headers["Content-Type"] == "application/json"
    assert account.get(f"{resource.path}/{record['id']}").status_code == 404
    assert account.delete(f"{resource.path}/{record['id']}").status_code == 404


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
    missing = account.get(f"{resource.path}/deleted")
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["message"] == "since is required"


def test_list_pages_with_link_and_has_more_headers(account, resource):
    ids = [create(account, resource).json()[resource.singular]["id"] for _ in range(3)]
    first = account.get(f"{resource.path}?perPage=2&embed=tags")
    assert [r["id"] for r in first.json()[resource.plural]] == ids[:2]
    assert first.headers["X-Pagination-Has-More"] == "true"
    assert first.headers["Link"] == (
        f'<http://pillbox.test/api/v2{resource.path}?perPage=2&embed=tags&page=2>; rel="next"'
    )
    last = account.get(f"{resource.path}?perPage=2&page=2")
    assert [r["id"] for r in last.json()[resource.plural]] == ids[2:]
    assert last.headers["X-Pagination-Has-More"] == "false"
    assert (
        last.headers["Link"]
        == f'<http://pillbox.test/api/v2{resource.path}?perPage=2&page=1>; rel="prev"'
    )


def test_per_page_is_clamped_and_non_numbers_are_422(account, resource):
    create(account, resource)
    assert len(account.get(f"{resource.path}?perPage=500").json()[resource.plural]) == 1
    assert account.get(f"{resource.path}?page=0").status_code == 200
    response = account.get(f"{resource.path}?perPage=many")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "perPage"


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


def test_multiple_ids_show_in_request_order_and_any_unknown_is_404(account, resource):
    a, b = (create(account, resource).json()[resource.singular]["id"] for _ in range(2))
    shown = account.get(f"{resource.path}/{b},{a}").json()[resource.plural]
    assert [r["id"] for r in shown] == [b, a]
    assert account.get(f"{resource.path}/{a},987654").status_code == 404


def test_more_than_ten_ids_is_422_too_many_ids(account, resource):
    ids = ",".join(str(i) for i in range(1, 12))
    response = account.get(f"{resource.path}/{ids}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "too many ids"


@pytest.mark.parametrize(
    "body", [b"<party/>", b"not json", b"[]", b'{"opportunity": {}}', b'{"party": 5}']
)
def test_body_that_is_not_json_or_has_the_wrong_root_is_400(account, resource, body):
    if body == b'{"opportunity": {}}' and resource.singular == "opportunity":
        body = b'{"party": {}}'
    body = (
        body.replace(b"party", resource.singular.encode()) if b"opportunity" not in body else body
    )
    response = account.request(
        "POST", resource.path, content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"message": "Invalid JSON format"}


def test_read_scope_token_can_read_but_not_write(account, resource):
    record = create(account, resource).json()[resource.singular]
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


def test_another_accounts_record_is_404_like_a_missing_one(account, other_account, resource):
    record = create(account, resource).json()[resource.singular]
    path = f"{resource.path}/{record['id']}"
    missing = other_account.get(f"{resource.path}/987654")
    for response in (
        other_account.get(path),
        other_account.put(path, {resource.singular: {}}),
        other_account.delete(path),
    ):
        assert (response.status_code, response.json()) == (404, missing.json())
    assert other_account.get(resource.path).json() == {resource.plural: []}
    assert other_account.get(f"{resource.path}/deleted?since=2000-01-01").json() == {
        resource.plural: []
    }
    assert account.get(path).status_code == 200


def test_every_response_carries_the_rate_limit_headers(account, resource):
    response = account.get(resource.path)
    assert int(response.headers["X-RateLimit-Limit"]) > 0
    assert int(response.headers["X-RateLimit-Reset"]) > time.time()
    assert "X-RateLimit-Remaining" in response.headers
