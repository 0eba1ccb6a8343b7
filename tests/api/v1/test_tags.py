"""API v1 tags of parties, opportunities and cases, in XML and in JSON, over v2's tags."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.api.snapshot import account_snapshot
from tests.api.v1.fuzzing import PER_FORMAT, never_fail
from tests.api.v1.wire import FORMATS, RECORD_SEGMENTS, V1, error_message, items, v2_record

pytestmark = pytest.mark.parametrize("fmt", FORMATS)
per_segment = pytest.mark.parametrize("segment", RECORD_SEGMENTS)
V2_PATHS = {"party": "parties", "opportunity": "opportunities", "kase": "kases"}


def tag_names(v1: V1, segment: str, record_id: int, fmt: str) -> list[str]:
    tags = v1.read(f"/{segment}/{record_id}/tag", fmt)["tags"]
    return [tag["name"] for tag in items(tags.get("tag"))]


def v2_tag_names(account, segment: str, record_id: int) -> list[str]:
    path = f"/{V2_PATHS[segment]}/{record_id}?embed=tags"
    return [tag["name"] for tag in account.get(path).json()[segment]["tags"]]


# -- listing --------------------------------------------------------------------------------------


@per_segment
def test_a_record_without_tags_lists_an_empty_tags_document(account, v1, fmt, segment):
    record_id = v2_record(account, segment)
    response = v1.get(f"/{segment}/{record_id}/tag", fmt)
    assert response.status_code == 200
    if fmt == "xml":
        assert response.content.endswith(b'<tags size="0"/>')
    else:
        assert response.json() == {"tags": {"@size": "0"}}


def test_tags_list_in_name_order_with_ids_and_one_tag_is_a_bare_object(account, v1, fmt):
    party_id = v2_record(account, "party")
    v1.post(f"/party/{party_id}/tag/VIP", None, fmt)
    one = v1.read(f"/party/{party_id}/tag", fmt)["tags"]["tag"]
    assert set(one) == {"id", "name"} and one["name"] == "VIP" and one["id"].isdigit()
    v1.post(f"/party/{party_id}/tag/Customer", None, fmt)
    assert tag_names(v1, "party", party_id, fmt) == ["Customer", "VIP"]
    if fmt == "xml":
        assert '<tags size="2"><tag><id>' in v1.get(f"/party/{party_id}/tag").text


# -- adding ---------------------------------------------------------------------------------------


@per_segment
def test_adding_a_tag_answers_201_with_its_location_and_lists_it(account, v1, fmt, segment):
    record_id = v2_record(account, segment)
    response = v1.post(f"/{segment}/{record_id}/tag/new%20tag", None, fmt)
    assert response.status_code == 201
    assert response.content == b""
    expected = f"http://pillbox.test/api/{segment}/{record_id}/tag/new%20tag"
    assert response.headers["Location"] == expected
    assert tag_names(v1, segment, record_id, fmt) == ["new tag"]


@per_segment
def test_adding_a_tag_the_record_carries_answers_200_in_any_case(account, v1, fmt, segment):
    record_id = v2_record(account, segment)
    assert v1.post(f"/{segment}/{record_id}/tag/VIP", None, fmt).status_code == 201
    again = v1.post(f"/{segment}/{record_id}/tag/vip", None, fmt)
    assert again.status_code == 200
    assert "Location" not in again.headers
    assert tag_names(v1, segment, record_id, fmt) == ["VIP"]


def test_an_account_tag_is_reused_with_its_own_spelling(account, v1, fmt):
    account.post("/parties/tags", {"tag": {"name": "Customer"}})
    party_id = v2_record(account, "party")
    response = v1.post(f"/party/{party_id}/tag/CUSTOMER", None, fmt)
    assert response.status_code == 201
    assert response.headers["Location"].endswith(f"/party/{party_id}/tag/Customer")
    assert tag_names(v1, "party", party_id, fmt) == ["Customer"]
    assert [t["name"] for t in account.get("/parties/tags").json()["tags"]] == ["Customer"]


def test_the_tags_of_each_record_type_are_apart(account, v1, fmt):
    opportunity_id = v2_record(account, "opportunity")
    v1.post(f"/opportunity/{opportunity_id}/tag/Hot", None, fmt)
    assert [t["name"] for t in account.get("/opportunities/tags").json()["tags"]] == ["Hot"]
    assert account.get("/parties/tags").json()["tags"] == []


@per_segment
def test_put_adds_a_tag_as_post_does(account, v1, fmt, segment):
    record_id = v2_record(account, segment)
    response = v1.request("PUT", f"/{segment}/{record_id}/tag/Partner", fmt)
    assert response.status_code == 201
    assert v1.request("PUT", f"/{segment}/{record_id}/tag/partner", fmt).status_code == 200
    assert tag_names(v1, segment, record_id, fmt) == ["Partner"]


def test_a_body_sent_with_a_new_tag_is_ignored(account, v1, fmt):
    party_id = v2_record(account, "party")
    response = v1.post(f"/party/{party_id}/tag/Lead", {"tags": {"tag": {"name": "Other"}}}, fmt)
    assert response.status_code == 201
    assert tag_names(v1, "party", party_id, fmt) == ["Lead"]


@pytest.mark.parametrize(
    ("path_name", "name", "location"),
    [
        ("A%20Test%20Tag", "A Test Tag", "A%20Test%20Tag"),
        ("caf%C3%A9", "caf\u00e9", "caf%C3%A9"),
        ("a%2Fb", "a/b", "a%2Fb"),
        ("%20Padded%20", "Padded", "Padded"),
    ],
)
def test_names_are_decoded_once_and_trimmed(account, v1, fmt, path_name, name, location):
    party_id = v2_record(account, "party")
    response = v1.post(f"/party/{party_id}/tag/{path_name}", None, fmt)
    assert response.status_code == 201
    assert response.headers["Location"].endswith(f"/tag/{location}")
    assert tag_names(v1, "party", party_id, fmt) == [name]
    assert v1.delete(f"/party/{party_id}/tag/{path_name}", fmt).status_code == 200
    assert tag_names(v1, "party", party_id, fmt) == []


@pytest.mark.parametrize(
    ("path_name", "message", "removal"),
    [("%20", "name", 404), ("x" * 201, "too long", 404), ("a%00b", "NUL", 400)],
)
def test_a_blank_too_long_or_nul_name_is_refused_and_changes_nothing(
    account, engine, v1, fmt, path_name, message, removal
):
    party_id = v2_record(account, "party")
    before = account_snapshot(engine, account.id)
    response = v1.post(f"/party/{party_id}/tag/{path_name}", None, fmt)
    assert response.status_code == 400
    assert message in error_message(response, fmt)
    assert v1.delete(f"/party/{party_id}/tag/{path_name}", fmt).status_code == removal
    assert account_snapshot(engine, account.id) == before


# -- removing -------------------------------------------------------------------------------------


@per_segment
def test_removing_a_tag_answers_200_and_keeps_the_others(account, v1, fmt, segment):
    record_id = v2_record(account, segment)
    for name in ("Lead", "Partner"):
        v1.post(f"/{segment}/{record_id}/tag/{name}", None, fmt)
    response = v1.delete(f"/{segment}/{record_id}/tag/lead", fmt)
    assert response.status_code == 200
    assert response.content == b""
    assert tag_names(v1, segment, record_id, fmt) == ["Partner"]
    tags = account.get(f"/{V2_PATHS[segment]}/tags").json()["tags"]
    assert sorted(t["name"] for t in tags) == ["Lead", "Partner"]  # the tag itself stays


@per_segment
def test_removing_a_tag_the_record_does_not_carry_is_404_and_changes_nothing(
    account, engine, v1, fmt, segment
):
    record_id = v2_record(account, segment)
    other_id = v2_record(account, segment, "Other")
    v1.post(f"/{segment}/{other_id}/tag/Lead", None, fmt)
    before = account_snapshot(engine, account.id)
    assert v1.delete(f"/{segment}/{record_id}/tag/Lead", fmt).status_code == 404
    assert v1.delete(f"/{segment}/{record_id}/tag/Unknown", fmt).status_code == 404
    assert account_snapshot(engine, account.id) == before


# -- missing records, other accounts, tokens ------------------------------------------------------


@per_segment
def test_a_missing_record_is_404_everywhere(v1, fmt, segment):
    assert v1.get(f"/{segment}/999999/tag", fmt).status_code == 404
    assert v1.post(f"/{segment}/999999/tag/Lead", None, fmt).status_code == 404
    assert v1.delete(f"/{segment}/999999/tag/Lead", fmt).status_code == 404


@per_segment
def test_another_accounts_record_is_404_and_keeps_its_tags(
    client, account, other_account, v1, fmt, segment
):
    theirs = v2_record(other_account, segment)
    V1(client, other_account.token).post(f"/{segment}/{theirs}/tag/Theirs", None, fmt)
    assert v1.get(f"/{segment}/{theirs}/tag", fmt).status_code == 404
    assert v1.post(f"/{segment}/{theirs}/tag/Mine", None, fmt).status_code == 404
    assert v1.delete(f"/{segment}/{theirs}/tag/Theirs", fmt).status_code == 404
    assert v2_tag_names(other_account, segment, theirs) == ["Theirs"]
    assert account.get(f"/{V2_PATHS[segment]}/tags").json()["tags"] == []


def test_a_read_token_lists_tags_but_may_not_change_them(client, account, fmt):
    party_id = v2_record(account, "party")
    reader = V1(client, account.read_token)
    assert reader.get(f"/party/{party_id}/tag", fmt).status_code == 200
    assert reader.post(f"/party/{party_id}/tag/Lead", None, fmt).status_code == 403
    assert reader.delete(f"/party/{party_id}/tag/Lead", fmt).status_code == 403
    assert v2_tag_names(account, "party", party_id) == []


def test_without_a_token_tags_are_401(client, account, fmt):
    party_id = v2_record(account, "party")
    anonymous = V1(client, "")
    response = anonymous.get(f"/party/{party_id}/tag", fmt, auth=None)
    assert response.status_code == 401
    assert anonymous.post(f"/party/{party_id}/tag/X", None, fmt, auth=None).status_code == 401


# -- one set of tags for both APIs ----------------------------------------------------------------


@per_segment
def test_tags_round_trip_v1_to_v2_to_v1(account, v1, fmt, segment):
    record_id = v2_record(account, segment)
    v1.post(f"/{segment}/{record_id}/tag/From%20v1", None, fmt)
    assert v2_tag_names(account, segment, record_id) == ["From v1"]
    body = {segment: {"tags": [{"name": "From v2"}]}}
    assert account.put(f"/{V2_PATHS[segment]}/{record_id}", body).status_code == 200
    assert tag_names(v1, segment, record_id, fmt) == ["From v1", "From v2"]
    assert v1.delete(f"/{segment}/{record_id}/tag/from%20v2", fmt).status_code == 200
    assert v2_tag_names(account, segment, record_id) == ["From v1"]


# -- no 5xx whatever the name ---------------------------------------------------------------------


@pytest.fixture
def seeded_records(account) -> dict[str, int]:
    """One record of each type, tagged VIP."""
    records = {segment: v2_record(account, segment) for segment in RECORD_SEGMENTS}
    for segment, record_id in records.items():
        body = {segment: {"tags": [{"name": "VIP"}]}}
        assert account.put(f"/{V2_PATHS[segment]}/{record_id}", body).status_code == 200
    return records


@PER_FORMAT
@given(
    name=st.one_of(st.text(max_size=30), st.sampled_from(["VIP", "vip", " ", "x" * 250, "%"])),
    segment=st.sampled_from(RECORD_SEGMENTS),
)
def test_tag_changes_never_fail_on_any_name(
    account, engine, v1, seeded_records, fmt, name, segment
):
    path = f"/{segment}/{seeded_records[segment]}/tag/{quote(name, safe='')}"
    changes = [(method, path) for method in ("POST", "PUT", "DELETE", "DELETE")]
    never_fail(engine, account.id, lambda method, path: v1.request(method, path, fmt), changes)
