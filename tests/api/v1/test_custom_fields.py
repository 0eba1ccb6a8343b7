"""API v1 custom fields of parties, opportunities and cases, and their definitions, in XML and in
JSON, over v2's field values and definitions."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.api.snapshot import account_snapshot
from tests.api.v1.fuzzing import PER_FORMAT, never_fail
from tests.api.v1.wire import FORMATS, RECORD_SEGMENTS, V1, error_message, items, v2_record

pytestmark = pytest.mark.parametrize("fmt", FORMATS)
per_segment = pytest.mark.parametrize("segment", RECORD_SEGMENTS)
per_spelling = pytest.mark.parametrize("noun", ["customfields", "customfield"])
ENTITIES = {"party": "parties", "opportunity": "opportunities", "kase": "kases"}


def define(account, segment: str, **definition: object) -> dict:
    response = account.post(f"/{ENTITIES[segment]}/fields/definitions", {"definition": definition})
    assert response.status_code == 201, response.text
    return dict(response.json()["definition"])


def data_tag(account, segment: str, name: str) -> dict:
    response = account.post(f"/{ENTITIES[segment]}/tags", {"tag": {"name": name, "dataTag": True}})
    assert response.status_code == 201, response.text
    return dict(response.json()["tag"])


def every_type(account, segment: str) -> None:
    define(account, segment, name="Reference", type="text")
    define(account, segment, name="Start Date", type="date")
    define(account, segment, name="Send newsletter", type="boolean")
    define(account, segment, name="Employees", type="number")
    define(account, segment, name="Lead Source", type="list", options=["website", "newsletter"])


def put_fields(v1: V1, segment: str, record_id: int, fmt: str, *fields: dict, noun="customfields"):
    document = {"customFields": {"customField": list(fields)}}
    return v1.put(f"/{segment}/{record_id}/{noun}", document, fmt)


def shown(v1: V1, segment: str, record_id: int, fmt: str, noun="customfields") -> list[dict]:
    fields = v1.read(f"/{segment}/{record_id}/{noun}", fmt)["customFields"]
    return items(fields.get("customField"))


def without_ids(fields: list[dict]) -> list[dict]:
    return [{k: v for k, v in field.items() if k != "id"} for field in fields]


def v2_values(account, segment: str, record_id: int) -> dict[str, object]:
    record = account.get(f"/{ENTITIES[segment]}/{record_id}?embed=fields").json()[segment]
    return {field["definition"]["name"]: field["value"] for field in record["fields"]}


# -- reading values -------------------------------------------------------------------------------


@per_segment
@per_spelling
def test_a_record_without_values_lists_an_empty_document(account, v1, fmt, segment, noun):
    define(account, segment, name="Reference", type="text")
    record_id = v2_record(account, segment)
    response = v1.get(f"/{segment}/{record_id}/{noun}", fmt)
    assert response.status_code == 200
    if fmt == "xml":
        assert response.content.endswith(b'<customFields size="0"/>')
    else:
        assert response.json() == {"customFields": {"@size": "0"}}


@per_segment
@per_spelling
def test_a_put_sets_values_of_every_type_and_lists_them(account, v1, fmt, segment, noun):
    every_type(account, segment)
    record_id = v2_record(account, segment)
    response = put_fields(
        v1,
        segment,
        record_id,
        fmt,
        {"label": "Reference", "text": "12345678"},
        {"label": "Start Date", "date": "2011-03-13T00:00:00Z"},
        {"label": "Send newsletter", "boolean": "true"},
        {"label": "Employees", "number": "250"},
        {"label": "Lead Source", "text": "website"},
        noun=noun,
    )
    assert response.status_code == 200
    assert response.content == b""
    fields = shown(v1, segment, record_id, fmt, noun)
    assert all(field["id"].isdigit() for field in fields)
    assert without_ids(fields) == [
        {"label": "Reference", "text": "12345678"},
        {"label": "Start Date", "date": "2011-03-13T00:00:00Z"},
        {"label": "Send newsletter", "boolean": "true"},
        {"label": "Employees", "number": "250"},
        {"label": "Lead Source", "text": "website"},
    ]
    assert v2_values(account, segment, record_id) == {
        "Reference": "12345678",
        "Start Date": "2011-03-13",
        "Send newsletter": True,
        "Employees": "250",
        "Lead Source": "website",
    }


def test_xml_shows_a_field_in_v1s_element_order(account, v1, fmt):
    tag = data_tag(account, "party", "Staff")
    define(account, "party", name="NI Number", type="text", tag={"id": tag["id"]})
    party_id = v2_record(account, "party")
    put_fields(v1, "party", party_id, fmt, {"tag": "Staff", "label": "NI Number", "text": "AB1"})
    value_id = shown(v1, "party", party_id, fmt)[0]["id"]
    assert v1.get(f"/party/{party_id}/customfields").text == (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><customFields size="1">'
        f"<customField><id>{value_id}</id><tag>Staff</tag><label>NI Number</label>"
        "<text>AB1</text></customField></customFields>"
    )


# -- the merge ------------------------------------------------------------------------------------


@per_segment
def test_a_put_merges_fields_sent_without_a_value_are_cleared(account, v1, fmt, segment):
    every_type(account, segment)
    record_id = v2_record(account, segment)
    put_fields(
        v1,
        segment,
        record_id,
        fmt,
        {"label": "Reference", "text": "A-1"},
        {"label": "Employees", "number": "10"},
        {"label": "Send newsletter", "boolean": "true"},
    )
    put_fields(v1, segment, record_id, fmt, {"label": "Reference", "text": "A-2"})
    assert v2_values(account, segment, record_id) == {
        "Reference": "A-2",
        "Send newsletter": True,
        "Employees": "10",
    }
    put_fields(
        v1,
        segment,
        record_id,
        fmt,
        {"label": "Employees"},
        {"label": "Send newsletter", "boolean": "false"},
        {"label": "Reference", "text": ""},
        {"label": "Start Date", "date": "2012-02-24"},
    )
    assert without_ids(shown(v1, segment, record_id, fmt)) == [
        {"label": "Start Date", "date": "2012-02-24T00:00:00Z"}
    ]


def test_an_unticked_check_box_is_not_listed(account, v1, fmt):
    definition = define(account, "party", name="Send newsletter", type="boolean")
    party_id = v2_record(account, "party")
    fields = [{"definition": {"id": definition["id"]}, "value": False}]
    assert account.put(f"/parties/{party_id}", {"party": {"fields": fields}}).status_code == 200
    assert shown(v1, "party", party_id, fmt) == []


def test_labels_match_in_any_case_and_a_document_may_hold_one_bare_field(account, v1, fmt):
    define(account, "party", name="Reference", type="text")
    party_id = v2_record(account, "party")
    document = {"customFields": {"customField": {"label": "reference", "text": "R-9"}}}
    assert v1.put(f"/party/{party_id}/customfields", document, fmt).status_code == 200
    assert without_ids(shown(v1, "party", party_id, fmt)) == [{"label": "Reference", "text": "R-9"}]


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ({"date": "2011-03-13T00:00:00Z"}, "2011-03-13"),
        ({"date": "2011-03-13T23:30:00.500+05:00"}, "2011-03-13"),
        ({"date": "2011-03-13"}, "2011-03-13"),
        ({"text": "2011-03-13"}, "2011-03-13"),
        ({"date": "", "text": "2011-03-13T10:00:00Z"}, "2011-03-13"),
    ],
)
def test_dates_are_read_defensively_and_their_time_ignored(account, v1, fmt, sent, stored):
    define(account, "party", name="Start Date", type="date")
    party_id = v2_record(account, "party")
    response = put_fields(v1, "party", party_id, fmt, {"label": "Start Date", **sent})
    assert response.status_code == 200
    assert v2_values(account, "party", party_id) == {"Start Date": stored}


def test_booleans_take_any_case_and_native_json_values(account, v1, fmt):
    define(account, "party", name="Send newsletter", type="boolean")
    define(account, "party", name="Employees", type="number")
    party_id = v2_record(account, "party")
    put_fields(v1, "party", party_id, fmt, {"label": "Send newsletter", "boolean": "TRUE"})
    assert v2_values(account, "party", party_id) == {"Send newsletter": True}
    document = {"customFields": {"customField": {"label": "Employees", "number": 12}}}
    assert v1.put(f"/party/{party_id}/customfields", document, fmt).status_code == 200
    assert v2_values(account, "party", party_id)["Employees"] == "12"


# -- data tags ------------------------------------------------------------------------------------


@per_segment
def test_a_data_tag_field_shows_its_tag_and_setting_it_puts_the_tag_on_the_record(
    account, v1, fmt, segment
):
    tag = data_tag(account, segment, "Staff")
    define(account, segment, name="NI Number", type="text", tag={"id": tag["id"]})
    record_id = v2_record(account, segment)
    response = put_fields(
        v1, segment, record_id, fmt, {"tag": "staff", "label": "NI Number", "text": "12345678"}
    )
    assert response.status_code == 200
    assert without_ids(shown(v1, segment, record_id, fmt)) == [
        {"tag": "Staff", "label": "NI Number", "text": "12345678"}
    ]
    tags = v1.read(f"/{segment}/{record_id}/tag", fmt)["tags"]["tag"]
    assert tags["name"] == "Staff"
    put_fields(v1, segment, record_id, fmt, {"label": "NI Number"})
    assert shown(v1, segment, record_id, fmt) == []
    assert v1.read(f"/{segment}/{record_id}/tag", fmt)["tags"]["tag"]["name"] == "Staff"


@pytest.mark.parametrize(
    "field",
    [
        {"label": "Nothing like it", "text": "x"},
        {"tag": "Other", "label": "NI Number", "text": "x"},
        {"tag": "Staff", "label": "Reference", "text": "x"},
    ],
)
def test_an_unknown_label_or_tag_is_404_and_changes_nothing(account, engine, v1, fmt, field):
    tag = data_tag(account, "party", "Staff")
    data_tag(account, "party", "Other")
    define(account, "party", name="NI Number", type="text", tag={"id": tag["id"]})
    define(account, "party", name="Reference", type="text")
    party_id = v2_record(account, "party")
    before = account_snapshot(engine, account.id)
    good = {"label": "Reference", "text": "kept?"}
    response = put_fields(v1, "party", party_id, fmt, good, field)
    assert response.status_code == 404
    assert account_snapshot(engine, account.id) == before


# -- bad writes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"text": "no label"}, "label is required"),
        ({"label": "Send newsletter", "boolean": "maybe"}, "boolean must be true or false"),
        ({"label": "Start Date", "date": "yesterday"}, "date must be"),
        ({"label": "Start Date", "date": "2011-02-30"}, "date must be"),
        ({"label": "Employees", "number": "many"}, "invalid"),
        ({"label": "Lead Source", "text": "radio"}, "invalid"),
        ({"label": "Reference", "text": "x" * 100_001}, "invalid"),
    ],
)
def test_a_bad_value_is_400_and_changes_nothing(account, engine, v1, fmt, field, message):
    every_type(account, "party")
    party_id = v2_record(account, "party")
    before = account_snapshot(engine, account.id)
    response = put_fields(v1, "party", party_id, fmt, {"label": "Reference", "text": "ok"}, field)
    assert response.status_code == 400
    assert message in error_message(response, fmt)
    assert account_snapshot(engine, account.id) == before


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/xml", b"<customFields><customField>"),
        ("application/json", b'{"customFields": '),
        ("application/xml", b"<party><label>Reference</label></party>"),
        ("application/json", b'{"fields": {"customField": {"label": "Reference"}}}'),
        ("application/json", b'{"customFields": {"customField": {"label": {"x": "y"}}}}'),
    ],
)
def test_a_malformed_or_wrong_document_is_400(account, engine, v1, fmt, content_type, body):
    define(account, "party", name="Reference", type="text")
    party_id = v2_record(account, "party")
    before = account_snapshot(engine, account.id)
    headers = {"Content-Type": content_type}
    path = f"/party/{party_id}/customfields"
    assert v1.request("PUT", path, fmt, content=body, headers=headers).status_code == 400
    assert account_snapshot(engine, account.id) == before


# -- the older per-field forms --------------------------------------------------------------------


@per_segment
def test_posting_one_field_answers_201_with_the_location_of_its_value(account, v1, fmt, segment):
    every_type(account, segment)
    record_id = v2_record(account, segment)
    document = {"customField": {"label": "Reference", "text": "R-1"}}
    response = v1.post(f"/{segment}/{record_id}/customfield", document, fmt)
    assert response.status_code == 201
    assert response.content == b""
    value_id = shown(v1, segment, record_id, fmt)[0]["id"]
    expected = f"http://pillbox.test/api/{segment}/{record_id}/customfield/{value_id}"
    assert response.headers["Location"] == expected
    clearing = v1.post(
        f"/{segment}/{record_id}/customfield", {"customField": {"label": "Reference"}}, fmt
    )
    assert clearing.status_code == 200
    assert shown(v1, segment, record_id, fmt) == []


@per_segment
def test_one_value_is_changed_and_removed_by_its_id(account, v1, fmt, segment):
    every_type(account, segment)
    record_id = v2_record(account, segment)
    put_fields(
        v1,
        segment,
        record_id,
        fmt,
        {"label": "Reference", "text": "R-1"},
        {"label": "Employees", "number": "5"},
    )
    value_id = shown(v1, segment, record_id, fmt)[0]["id"]
    path = f"/{segment}/{record_id}/customfield/{value_id}"
    assert v1.put(path, {"customField": {"id": value_id, "text": "R-2"}}, fmt).status_code == 200
    assert v2_values(account, segment, record_id) == {"Reference": "R-2", "Employees": "5"}
    response = v1.delete(path, fmt)
    assert response.status_code == 200
    assert response.content == b""
    assert v2_values(account, segment, record_id) == {"Employees": "5"}
    assert v1.delete(path, fmt).status_code == 404


def test_a_value_id_of_another_record_is_404(account, engine, v1, fmt):
    define(account, "party", name="Reference", type="text")
    mine, other = v2_record(account, "party"), v2_record(account, "party", "Other")
    put_fields(v1, "party", other, fmt, {"label": "Reference", "text": "Theirs"})
    value_id = shown(v1, "party", other, fmt)[0]["id"]
    before = account_snapshot(engine, account.id)
    path = f"/party/{mine}/customfield/{value_id}"
    assert v1.put(path, {"customField": {"text": "Mine"}}, fmt).status_code == 404
    assert v1.delete(path, fmt).status_code == 404
    assert account_snapshot(engine, account.id) == before


# -- definitions ----------------------------------------------------------------------------------


@per_segment
def test_definitions_list_in_display_order_with_v1_types(account, v1, fmt, segment):
    tag = data_tag(account, segment, "Staff")
    made = [
        define(account, segment, name="NI Number", type="text", tag={"id": tag["id"]}),
        define(account, segment, name="Lead Source", type="list", options=["website", "mail"]),
        define(account, segment, name="Start Date", type="date"),
        define(account, segment, name="Send newsletter", type="boolean"),
        define(account, segment, name="Employees", type="number"),
        define(account, segment, name="Homepage", type="link"),
        define(account, segment, name="Channels", type="multiselectlist", options=["a", "b"]),
    ]
    listed = items(
        v1.read(f"/{segment}/customfield/definitions", fmt)["customFieldDefinitions"][
            "customFieldDefinition"
        ]
    )
    assert [d["id"] for d in listed] == [str(d["id"]) for d in made]
    assert [d["displayOrder"] for d in listed] == [str(d["displayOrder"]) for d in made]
    assert [{k: v for k, v in d.items() if k not in ("id", "displayOrder")} for d in listed] == [
        {"tag": "Staff", "tagId": str(tag["id"]), "label": "NI Number", "type": "Text"},
        {"label": "Lead Source", "type": "List", "options": "website;mail"},
        {"label": "Start Date", "type": "Date"},
        {"label": "Send newsletter", "type": "Boolean"},
        {"label": "Employees", "type": "Number"},
        {"label": "Homepage", "type": "Text"},
        {"label": "Channels", "type": "List", "options": "a;b"},
    ]


def test_a_party_definition_kept_to_a_kind_of_party_says_which(account, v1, fmt):
    define(account, "party", name="Birthday", type="date", captureRule="person")
    listed = v1.read("/party/customfield/definitions", fmt)["customFieldDefinitions"]
    assert listed["customFieldDefinition"]["forPartyClass"] == "person"


@per_segment
def test_no_definitions_is_an_empty_document_and_other_types_stay_apart(account, v1, fmt, segment):
    other = next(s for s in RECORD_SEGMENTS if s != segment)
    define(account, other, name="Elsewhere", type="text")
    response = v1.get(f"/{segment}/customfield/definitions", fmt)
    assert response.status_code == 200
    if fmt == "xml":
        assert response.content.endswith(b'<customFieldDefinitions size="0"/>')
    else:
        assert response.json() == {"customFieldDefinitions": {"@size": "0"}}


def test_definitions_page_with_start_and_limit(account, v1, fmt):
    for name in ("One", "Two", "Three"):
        define(account, "party", name=name, type="text")
    page = v1.read("/party/customfield/definitions?start=1&limit=1", fmt)["customFieldDefinitions"]
    assert page["customFieldDefinition"]["label"] == "Two"


# -- missing records, other accounts, tokens ------------------------------------------------------


@per_segment
def test_a_missing_record_is_404_everywhere(account, v1, fmt, segment):
    define(account, segment, name="Reference", type="text")
    field = {"label": "Reference", "text": "x"}
    assert v1.get(f"/{segment}/999999/customfields", fmt).status_code == 404
    assert put_fields(v1, segment, 999999, fmt, field).status_code == 404
    assert v1.post(f"/{segment}/999999/customfield", {"customField": field}, fmt).status_code == 404
    assert v1.delete(f"/{segment}/999999/customfield/1", fmt).status_code == 404


@per_segment
def test_another_accounts_record_and_definitions_are_out_of_reach(
    client, account, engine, other_account, v1, fmt, segment
):
    define(other_account, segment, name="Theirs", type="text")
    own = define(account, segment, name="Theirs", type="text")
    theirs = v2_record(other_account, segment)
    put_fields(
        V1(client, other_account.token), segment, theirs, fmt, {"label": "Theirs", "text": "T"}
    )
    value_id = shown(V1(client, other_account.token), segment, theirs, fmt)[0]["id"]
    before = account_snapshot(engine, other_account.id)
    assert v1.get(f"/{segment}/{theirs}/customfields", fmt).status_code == 404
    field = {"label": "Theirs", "text": "Mine"}
    assert put_fields(v1, segment, theirs, fmt, field).status_code == 404
    assert v1.delete(f"/{segment}/{theirs}/customfield/{value_id}", fmt).status_code == 404
    assert account_snapshot(engine, other_account.id) == before
    mine = v1.read(f"/{segment}/customfield/definitions", fmt)["customFieldDefinitions"]
    assert mine["customFieldDefinition"]["id"] == str(own["id"])  # only its own definition


def test_a_read_token_reads_fields_but_may_not_write_them(client, account, fmt):
    define(account, "party", name="Reference", type="text")
    party_id = v2_record(account, "party")
    reader = V1(client, account.read_token)
    assert reader.get(f"/party/{party_id}/customfields", fmt).status_code == 200
    assert reader.get("/party/customfield/definitions", fmt).status_code == 200
    field = {"label": "Reference", "text": "x"}
    assert put_fields(reader, "party", party_id, fmt, field).status_code == 403
    assert v2_values(account, "party", party_id) == {}


def test_without_a_token_fields_are_401(client, fmt):
    anonymous = V1(client, "")
    assert anonymous.get("/party/customfield/definitions", fmt, auth=None).status_code == 401


# -- one set of values for both APIs --------------------------------------------------------------


@per_segment
def test_values_round_trip_v1_to_v2_to_v1(account, v1, fmt, segment):
    every_type(account, segment)
    record_id = v2_record(account, segment)
    put_fields(
        v1,
        segment,
        record_id,
        fmt,
        {"label": "Reference", "text": "From v1"},
        {"label": "Start Date", "date": "2012-02-24T00:00:00Z"},
    )
    record = account.get(f"/{ENTITIES[segment]}/{record_id}?embed=fields").json()[segment]
    by_name = {field["definition"]["name"]: field for field in record["fields"]}
    assert by_name["Reference"]["value"] == "From v1"
    assert by_name["Start Date"]["value"] == "2012-02-24"
    fields = [
        {"id": by_name["Reference"]["id"], "value": "From v2"},
        {"definition": {"name": "Employees"}, "value": 7},
    ]
    body = {segment: {"fields": fields}}
    assert account.put(f"/{ENTITIES[segment]}/{record_id}", body).status_code == 200
    assert without_ids(shown(v1, segment, record_id, fmt)) == [
        {"label": "Reference", "text": "From v2"},
        {"label": "Start Date", "date": "2012-02-24T00:00:00Z"},
        {"label": "Employees", "number": "7"},
    ]
    assert shown(v1, segment, record_id, fmt)[0]["id"] == str(by_name["Reference"]["id"])


# -- no 5xx whatever the body ---------------------------------------------------------------------

NAMES = ["customFields", "customField", "label", "tag", "text", "date", "boolean", "number", "id"]
LABELS = ["Reference", "Start Date", "Send newsletter", "Employees", "Lead Source", "NI Number"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(
        [*LABELS, "", "website", "true", "2011-03-13", "0001-01-01T00:00-23:00", "1e400"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(NAMES), inner),
    max_leaves=12,
)
documents = st.builds(lambda root, value: {root: value}, st.sampled_from(NAMES[:2]), values)


@pytest.fixture
def seeded_value(account, v1) -> tuple[int, str]:
    every_type(account, "party")
    tag = data_tag(account, "party", "Staff")
    define(account, "party", name="NI Number", type="text", tag={"id": tag["id"]})
    party_id = v2_record(account, "party")
    put_fields(v1, "party", party_id, "xml", {"label": "Reference", "text": "Seed"})
    return party_id, shown(v1, "party", party_id, "xml")[0]["id"]


@PER_FORMAT
@given(document=documents, body_format=st.sampled_from(FORMATS))
def test_field_writes_never_fail_on_any_document(
    account, engine, v1, seeded_value, fmt, document, body_format
):
    party_id, value_id = seeded_value
    accept = {"Accept": "application/json"} if fmt == "json" else {}

    def send(method: str, path: str) -> Any:
        return v1.request(method, path, body_format, document, headers=dict(accept))

    writes = [
        ("PUT", f"/party/{party_id}/customfields"),
        ("POST", f"/party/{party_id}/customfield"),
        ("PUT", f"/party/{party_id}/customfield/{value_id}"),
    ]
    never_fail(engine, account.id, send, writes)
