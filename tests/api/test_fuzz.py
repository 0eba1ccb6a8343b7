"""Property-based: whatever a client throws at the parties endpoints, or at the write endpoints of
any other resource, the server never answers 5xx, and a 4xx answer leaves the account's data
exactly as it was."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pillbox.api import v2
from tests.api.snapshot import account_snapshot
from tests.api.v2.examples import EXAMPLES

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PARTY_KEYS = [
    "type",
    "firstName",
    "lastName",
    "name",
    "title",
    "jobTitle",
    "about",
    "organisation",
    "owner",
    "team",
    "addresses",
    "phoneNumbers",
    "websites",
    "emailAddresses",
    "tags",
    "fields",
    "id",
]
ITEM_KEYS = [
    "id",
    "_delete",
    "type",
    "number",
    "address",
    "service",
    "street",
    "country",
    "name",
    "definition",
    "value",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["person", "organisation", "Home", "Work", "URL", "TWITTER", "", "x" * 300]),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
items = st.dictionaries(st.sampled_from(ITEM_KEYS), json_values, max_size=4)
party_values = st.one_of(json_values, st.lists(items, max_size=3), items)
parties = st.dictionaries(st.sampled_from(PARTY_KEYS), party_values, max_size=6)
bodies = st.one_of(
    st.builds(lambda p: {"party": p}, parties),
    json_values,
    st.binary(max_size=40).map(lambda b: b),
)
query_values = st.one_of(
    st.text(max_size=20),
    st.integers(-5, 10**12).map(str),
    st.sampled_from(["2020-01-01", "2020-01-01T00:00:00Z", "tags,fields,organisation", "1e9"]),
)
queries = st.dictionaries(
    st.sampled_from(["page", "perPage", "since", "embed", "q", "other"]), query_values, max_size=4
)
path_ids = st.one_of(
    st.text(alphabet="0123456789,-abc ./%", min_size=1, max_size=25),
    st.integers(-5, 2**40).map(str),
)


def send(account: Any, method: str, path: str, body: Any = None, params: Any = None) -> Any:
    if isinstance(body, bytes):
        return account.request(method, path, content=body, params=params)
    return account.request(method, path, json=body, params=params)


@pytest.fixture
def seeded(account):
    org = account.post(
        "/parties",
        {
            "party": {
                "type": "organisation",
                "name": "Seed Org",
                "emailAddresses": [{"address": "seed@org.example"}],
            }
        },
    )
    account.post(
        "/parties",
        {
            "party": {
                "type": "person",
                "lastName": "Seed",
                "organisation": {"id": org.json()["party"]["id"]},
                "phoneNumbers": [{"number": "123"}],
                "tags": [{"name": "T"}],
            }
        },
    )
    return account, org.json()["party"]["id"]


def check(
    engine: Any, account: Any, method: str, path: str, body: Any = None, params: Any = None
) -> None:
    before = account_snapshot(engine, account.id)
    response = send(account, method, path, body, params)
    assert response.status_code < 500, (method, path, body, params, response.text)
    assert (
        response.headers["Content-Type"].startswith("application/json")
        or response.status_code == 204
    )
    if response.status_code >= 400:
        assert account_snapshot(engine, account.id) == before, (method, path, body, response.text)


@FUZZ
@given(body=bodies)
def test_create_never_fails_on_any_body(engine, seeded, body):
    account, _ = seeded
    check(engine, account, "POST", "/parties", body)


@FUZZ
@given(body=bodies)
def test_update_never_fails_on_any_body(engine, seeded, body):
    account, org_id = seeded
    check(engine, account, "PUT", f"/parties/{org_id}", body)


@FUZZ
@given(params=queries, path=st.sampled_from(["/parties", "/parties/search", "/parties/deleted"]))
def test_lists_never_fail_on_any_query(engine, seeded, params, path):
    account, _ = seeded
    check(engine, account, "GET", path, params=params)


@FUZZ
@given(
    ids=path_ids,
    params=queries,
    method=st.sampled_from(["GET", "PUT", "DELETE"]),
    suffix=st.sampled_from(["", "/people"]),
)
def test_id_paths_never_fail_on_any_id(engine, seeded, ids, params, method, suffix):
    account, _ = seeded
    if method != "GET" and suffix:
        return
    body = {"party": {"about": "x"}} if method == "PUT" else None
    check(engine, account, method, f"/parties/{ids}{suffix}", body, params)


# -- every other resource that takes writes -----------------------------------------------------

OTHER_RESOURCES = sorted(
    {
        e.resource
        for e in v2.endpoints()
        if e.resource is not None
        and e.resource.input_model is not None
        and e.resource.plural != "parties"
    },
    key=lambda r: r.key,
)


def _body_keys(resource: Any) -> list[str]:
    model = resource.input_model
    return [info.alias or name for name, info in model.model_fields.items()] + ["id"]


@pytest.mark.parametrize("resource", OTHER_RESOURCES, ids=[r.key for r in OTHER_RESOURCES])
@FUZZ
@given(data=st.data())
def test_writes_to_any_resource_never_fail_on_any_body(engine, account, resource, data):
    keys = st.sampled_from(_body_keys(resource))
    values = st.one_of(json_values, st.lists(items, max_size=3), st.lists(json_values, max_size=3))
    inner = data.draw(st.dictionaries(keys, values, max_size=4))
    body = data.draw(st.one_of(st.just({resource.singular: inner}), bodies))
    if resource.create is not None:
        check(engine, account, "POST", resource.path, body)
    if resource.update is not None:
        target = account.user_id if resource.plural == "users" else _existing(account, resource)
        if target is not None:
            check(engine, account, "PUT", f"{resource.path}/{target}", body)


def _existing(account: Any, resource: Any) -> int | None:
    if resource.page_ids is None:  # no list to find one in (tracks): make one
        new, _ = EXAMPLES[resource.key]
        created = account.post(resource.path, {resource.singular: new(account)})
        return int(created.json()[resource.singular]["id"])
    listed = account.get(f"{resource.path}?perPage=1").json()[resource.plural]
    return listed[0]["id"] if listed else None


# -- opportunities: valid bodies with some properties replaced by anything ----------------------

OPPORTUNITY_KEYS = [
    "party",
    "name",
    "description",
    "owner",
    "team",
    "milestone",
    "lostReason",
    "value",
    "expectedCloseOn",
    "probability",
    "durationBasis",
    "duration",
    "tags",
    "fields",
]
opportunity_values = st.one_of(
    json_values,
    st.fixed_dictionaries({"amount": json_values, "currency": json_values}),
    st.sampled_from(["FIXED", "MONTH", "2026-01-31", 0, 100, 101, -1, {"id": 1}]),
    st.lists(items, max_size=2),
)


@pytest.fixture
def opportunity_seed(seeded):
    account, org_id = seeded
    milestones = account.get("/milestones").json()["milestones"]
    base = {"name": "Deal", "party": {"id": org_id}, "milestone": {"id": milestones[1]["id"]}}
    created = account.post("/opportunities", {"opportunity": base}).json()["opportunity"]
    return account, base, created["id"], [m["id"] for m in milestones]


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(OPPORTUNITY_KEYS), opportunity_values, max_size=4))
def test_opportunity_writes_never_fail_on_any_mix_of_good_and_bad_properties(
    engine, opportunity_seed, changes
):
    account, base, opportunity_id, _ = opportunity_seed
    check(engine, account, "POST", "/opportunities", {"opportunity": {**base, **changes}})
    check(engine, account, "PUT", f"/opportunities/{opportunity_id}", {"opportunity": changes})


@FUZZ
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 3), st.one_of(st.none(), st.integers(0, 100))), max_size=6
    )
)
def test_moving_between_milestones_keeps_closing_consistent(engine, opportunity_seed, steps):
    account, _, opportunity_id, milestone_ids = opportunity_seed
    for index, probability in steps:
        body = {"milestone": milestone_ids[index]}
        if probability is not None:
            body["probability"] = probability
        check(engine, account, "PUT", f"/opportunities/{opportunity_id}", {"opportunity": body})
        shown = account.get(f"/opportunities/{opportunity_id}?embed=milestone").json()
        opportunity = shown["opportunity"]
        closed = opportunity["milestone"]["complete"]
        assert (opportunity["closedOn"] is not None) == closed
        if closed:
            assert opportunity["probability"] == opportunity["milestone"]["probability"]
        if opportunity["lostReason"] is not None:
            assert closed and opportunity["probability"] == 0


# -- projects: valid bodies with some properties replaced by anything -----------------------------

KASE_KEYS = [
    "party",
    "name",
    "description",
    "owner",
    "team",
    "status",
    "opportunity",
    "stage",
    "expectedCloseOn",
    "startOn",
    "tags",
    "fields",
]
kase_values = st.one_of(
    json_values,
    st.sampled_from(["OPEN", "CLOSED", "open", "2026-01-31", 0, {"id": 1}, None]),
    st.lists(items, max_size=2),
)


@pytest.fixture
def kase_seed(seeded):
    account, org_id = seeded
    stage = account.get("/stages").json()["stages"][0]
    base = {"name": "Project", "party": {"id": org_id}, "stage": stage["id"]}
    created = account.post("/kases", {"kase": base}).json()["kase"]
    return account, base, created["id"]


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(KASE_KEYS), kase_values, max_size=4))
def test_project_writes_never_fail_on_any_mix_of_good_and_bad_properties(
    engine, kase_seed, changes
):
    account, base, kase_id = kase_seed
    check(engine, account, "POST", "/kases", {"kase": {**base, **changes}})
    check(engine, account, "PUT", f"/kases/{kase_id}", {"kase": changes})
    shown = account.get(f"/kases/{kase_id}").json()["kase"]
    assert (shown["closedOn"] is not None) == (shown["status"] == "CLOSED")
    assert shown["owner"] is not None or shown["team"] is not None


# -- entries and uploads ---------------------------------------------------------------------------

ENTRY_KEYS = [
    "type",
    "party",
    "opportunity",
    "kase",
    "activityType",
    "entryAt",
    "subject",
    "content",
    "attachments",
]
entry_values = st.one_of(
    json_values,
    st.sampled_from(["note", "email", -1, -4, 0, "2025-01-01T00:00:00Z", [{"token": "u1/x"}]]),
    st.lists(items, max_size=2),
)


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(ENTRY_KEYS), entry_values, max_size=4))
def test_entry_writes_never_fail_on_any_mix_of_good_and_bad_properties(engine, seeded, changes):
    account, org_id = seeded
    base = {"type": "note", "party": org_id, "content": "Seed note"}
    created = account.post("/entries", {"entry": base}).json()["entry"]
    check(engine, account, "POST", "/entries", {"entry": {**base, **changes}})
    check(engine, account, "PUT", f"/entries/{created['id']}", {"entry": changes})


header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


@FUZZ
@given(
    body=st.binary(max_size=64),
    name=st.one_of(st.none(), header_text, st.sampled_from(["%00", "..%2F..%2Fx", "%E9t%C3%A9"])),
    content_type=st.one_of(st.none(), header_text),
)
def test_uploads_never_fail_on_any_name_or_body(engine, seeded, body, name, content_type):
    account, _ = seeded
    headers = {}
    if name is not None:
        headers["X-Attachment-Filename"] = name
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = account.request("POST", "/attachments/upload", content=body, headers=headers)
    assert response.status_code < 500, response.text


# -- filters: any condition on any field, never a 5xx --------------------------------------------

FILTER_FIELDS = [
    "id",
    "name",
    "type",
    "email",
    "city",
    "tag",
    "owner",
    "team",
    "hasTags",
    "addedOn",
    "lastContactedOn",
    "org.name",
    "org.tag",
    "custom:1",
    "org.custom:1",
    "status",
    "pipeline",
    "milestone",
    "probability",
    "expectedValue",
    "isStale",
    "closedOn",
    "board",
    "stage",
    "party",
    "nonsense",
]
OPERATORS = [
    "is",
    "is not",
    "starts with",
    "ends with",
    "contains",
    "is greater than",
    "is less than",
    "is less that",
    "is after",
    "is before",
    "is older than",
    "is within last",
    "is within next",
    "does not contain",
]
filter_values = st.one_of(
    json_values,
    st.sampled_from(["2020-01-01", "open", "won", "VIP", "T", "%", "_", "\\", 2**31, 2**62, -1]),
    st.integers(-(10**20), 10**20),
    st.fixed_dictionaries({"currency": json_values, "amount": json_values}),
)
conditions = st.fixed_dictionaries(
    {"field": st.sampled_from(FILTER_FIELDS), "operator": st.sampled_from(OPERATORS)},
    optional={"value": filter_values},
)
groups = st.builds(lambda inner: {"conditions": inner}, st.lists(conditions, max_size=3))
filters = st.fixed_dictionaries(
    {"conditions": st.lists(st.one_of(conditions, groups, json_values), max_size=4)},
    optional={
        "orderBy": st.lists(
            st.fixed_dictionaries(
                {
                    "field": st.sampled_from(["name", "addedOn", "probability", "x"]),
                    "direction": st.sampled_from(["ascending", "descending", "up"]),
                }
            ),
            max_size=2,
        )
    },
)


@pytest.mark.parametrize("entity", ["parties", "opportunities", "kases"])
@FUZZ
@given(body=st.one_of(st.builds(lambda f: {"filter": f}, filters), bodies))
def test_filters_never_fail_on_any_body(engine, seeded, entity, body):
    account, _ = seeded
    response = send(account, "POST", f"/{entity}/filters/results", body)
    assert response.status_code in (200, 400, 422), (body, response.text)
