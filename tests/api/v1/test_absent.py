"""API v1: a field a client writes as unset (JSON `null`, an empty JSON object, `xsi:nil`, an
empty row element such as `<phone/>`) reads exactly as a field left out, in every document.

Many v1 clients serialise every property of their classes, unset ones as null; the property test
writes each kind of document twice, once with only the fields set and once with every other
field present but unset, and the two records must read back the same."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.api.v1.fuzzing import PER_FORMAT
from tests.api.v1.wire import FORMATS, V1, created_id, error_message, items

pytestmark = pytest.mark.parametrize("fmt", FORMATS)

UNSET = object()  # a field the client writes, but as unset
XSI = "http://www.w3.org/2001/XMLSchema-instance"
VOLATILE = {"id", "createdOn", "updatedOn", "organisationId"}


def as_json(root: str, value: Any, unset: st.DataObject) -> bytes:
    def convert(name: str, value: Any) -> Any:
        if value is UNSET:
            return unset.draw(st.sampled_from([None, {}]), label=f"unset {name} as")
        if isinstance(value, list):
            return [convert(name, item) for item in value]
        if isinstance(value, dict):
            return {key: convert(key, inner) for key, inner in value.items()}
        return value

    return json.dumps({root: convert(root, value)}).encode()


def as_xml(root: str, value: Any, unset: st.DataObject) -> bytes:
    def write(name: str, value: Any) -> str:
        if value is UNSET:
            nil = unset.draw(st.booleans(), label=f"unset {name} as xsi:nil")
            return f'<{name} xsi:nil="true"/>' if nil or name not in ROWS else f"<{name}/>"
        if isinstance(value, list):
            return "".join(write(name, item) for item in value)
        if isinstance(value, dict):
            return f"<{name}>{''.join(write(k, v) for k, v in value.items())}</{name}>"
        return f"<{name}>{escape(str(value))}</{name}>"

    return write(root, value).replace(f"<{root}>", f'<{root} xmlns:xsi="{XSI}">', 1).encode()


ROWS = {"email", "phone", "address", "website", "contacts", "customField"}


def contacts() -> dict[str, Any]:
    return {
        "email": {"type": "Work", "emailAddress": "e.schmidt@example.com"},
        "phone": {"type": "Mobile", "phoneNumber": "+1 888 555555"},
        "address": {"type": "Office", "street": "1 Main St", "city": "Springfield", "zip": "1"},
        "website": {"type": "work", "webService": "URL", "webAddress": "www.example.com"},
    }


@dataclass(frozen=True)
class Kind:
    """A v1 document: its root, the fields always sent, the ones that may be unset, where it is
    written (given a party's id) and where the written record is read back."""

    root: str
    required: dict[str, Any]
    optional: dict[str, Any]
    write: Callable[[V1, int, bytes, dict[str, str], str], str]


def create_at(path: str, read: str) -> Callable[[V1, int, bytes, dict[str, str], str], str]:
    def write(v1: V1, party: int, body: bytes, headers: dict[str, str], fmt: str) -> str:
        response = v1.request("POST", path.format(party=party), fmt, content=body, headers=headers)
        return read.format(id=created_id(response))

    return write


def put_fields(v1: V1, party: int, body: bytes, headers: dict[str, str], fmt: str) -> str:
    response = v1.request("PUT", f"/party/{party}/customfields", fmt, content=body, headers=headers)
    assert response.status_code == 200, response.text
    return f"/party/{party}/customfields"


FIELD_VALUES = ("text", "date", "boolean", "number")
# What makes a row a row: always sent.
ROW_KEYS = {"label", "type", "emailAddress", "phoneNumber", "webAddress", "street", *FIELD_VALUES}
KINDS = {
    "person": Kind(
        "person",
        {"lastName": "Schmidt"},
        {
            "title": "Mr",
            "firstName": "Eric",
            "jobTitle": "Chairman",
            "organisationName": "Google Inc",
            "about": "A comment",
            "contacts": contacts(),
        },
        create_at("/person", "/party/{id}"),
    ),
    "organisation": Kind(
        "organisation",
        {"name": "Acme"},
        {"about": "Makers", "contacts": contacts()},
        create_at("/organisation", "/party/{id}"),
    ),
    "opportunity": Kind(
        "opportunity",
        {"name": "Consulting", "milestone": "Bid", "durationBasis": "MONTH", "duration": "10"},
        {
            "description": "Scoping",
            "currency": "GBP",
            "value": "500.00",
            "expectedCloseDate": "2012-09-30T00:00:00Z",
            "probability": "40",
        },
        create_at("/party/{party}/opportunity", "/opportunity/{id}"),
    ),
    "kase": Kind(
        "kase",
        {"name": "Audit"},
        {"description": "Yearly", "status": "OPEN"},
        create_at("/party/{party}/kase", "/kase/{id}"),
    ),
    "task": Kind(
        "task",
        {"description": "Call", "dueDate": "2012-02-24T00:00:00Z"},
        {"detail": "About the audit"},
        create_at("/party/{party}/task", "/task/{id}"),
    ),
    "historyItem": Kind(
        "historyItem",
        {"note": "Met at the fair", "entryDate": "2012-03-21T10:00:00Z"},
        {},
        create_at("/party/{party}/history", "/history/{id}"),
    ),
    "customFields": Kind(
        "customFields",
        {},
        {
            "customField": [
                {"label": "Reference", "text": "R-9"},
                {"label": "Start Date", "date": "2012-03-21T00:00:00Z"},
                {"label": "Newsletter", "boolean": "true"},
            ]
        },
        put_fields,
    ),
}


@st.composite
def documents(draw: st.DrawFn, kind: Kind) -> tuple[dict[str, Any], dict[str, Any]]:
    """(sparse, full): the fields a client sets, and the same with every other field unset."""
    sparse, full = dict(kind.required), dict(kind.required)
    for name, value in kind.optional.items():
        if draw(st.booleans(), label=f"set {name}"):
            sparse[name], full[name] = draw(_partly(name, value))
        else:
            full[name] = _unset(name, value)
    return sparse, full


@st.composite
def _partly(draw: st.DrawFn, name: str, value: Any) -> tuple[Any, Any]:
    """A value whose inner rows and fields may each be left out (sparse) or unset (full)."""
    if isinstance(value, list):
        pairs = [draw(_partly(name, item)) for item in value]
        extra = [UNSET] if draw(st.booleans(), label=f"an unset {name} too") else []
        return [sparse for sparse, _ in pairs], [*(full for _, full in pairs), *extra]
    if not isinstance(value, dict):
        return value, value
    sparse: dict[str, Any] = {}
    full: dict[str, Any] = {"id": UNSET} if name in ROWS - {"contacts"} else {}
    for key, inner in value.items():
        if key in ROW_KEYS:
            sparse[key] = full[key] = inner  # what makes the row a row
        elif draw(st.booleans(), label=f"set {name}.{key}"):
            sparse[key], full[key] = draw(_partly(key, inner))
        else:
            full[key] = _unset(key, inner)
    if name == "customField":
        full.update({key: UNSET for key in FIELD_VALUES if key not in full})
    return sparse, full


def _unset(name: str, value: Any) -> Any:
    if name == "customField":
        return [UNSET]
    return UNSET


def readable(document: Any) -> Any:
    """A document read back, without what differs between two records written alike."""
    if isinstance(document, dict):
        return {k: readable(v) for k, v in document.items() if k not in VOLATILE}
    if isinstance(document, list):
        return [readable(item) for item in document]
    return document


def body(kind: Kind, fmt: str, document: dict, unset: st.DataObject) -> tuple[bytes, dict]:
    if fmt == "json":
        return as_json(kind.root, document, unset), {"Content-Type": "application/json"}
    return as_xml(kind.root, document, unset), {"Content-Type": "application/xml"}


def write(v1: V1, party: int, kind: Kind, fmt: str, sent: tuple[bytes, dict]) -> Any:
    """Writes the body; returns the record as read back, then deletes it (names are unique)."""
    path = kind.write(v1, party, *sent, fmt)
    record = readable(v1.read(path, fmt))
    if kind.root != "customFields":
        assert v1.delete(path, fmt).status_code == 200
    return record


@pytest.fixture
def party(v1, account) -> int:
    for name, kind in (("Reference", "text"), ("Start Date", "date"), ("Newsletter", "boolean")):
        definition = {"definition": {"name": name, "type": kind}}
        assert account.post("/parties/fields/definitions", definition).status_code == 201
    return v1.create("organisation", {"name": "Capsule"})


@pytest.mark.parametrize("kind", KINDS, ids=list(KINDS))
@settings(PER_FORMAT, max_examples=12)  # each example writes and reads two records
@given(data=st.data())
def test_a_document_with_unset_fields_reads_as_one_without_them(v1, party, fmt, kind, data):
    sparse, full = data.draw(documents(KINDS[kind]), label="document")
    bodies = [body(KINDS[kind], fmt, document, data) for document in (sparse, full)]
    expected, written = (write(v1, party, KINDS[kind], fmt, sent) for sent in bodies)
    assert written == expected, bodies[1]


def test_a_person_serialised_with_every_field_is_created(v1, fmt):
    person = {
        "id": None,
        "title": None,
        "firstName": "Homer",
        "lastName": "Simpson",
        "jobTitle": None,
        "organisationId": None,
        "organisationName": None,
        "about": None,
        "contacts": {
            "email": {"id": None, "type": None, "emailAddress": "homer@example.com"},
            "phone": None,
            "address": None,
            "website": None,
        },
    }
    party_id = created_id(v1.post("/person", {"person": person}, "json"))
    shown = v1.read(f"/party/{party_id}", fmt)["person"]
    assert (shown["firstName"], shown["lastName"]) == ("Homer", "Simpson")
    assert [e["emailAddress"] for e in items(shown["contacts"]["email"])] == ["homer@example.com"]
    assert set(shown["contacts"]) == {"email"}


def test_an_update_with_unset_fields_changes_only_the_set_ones(v1, fmt):
    party_id = v1.create("person", {"firstName": "Homer", "lastName": "Simpson", "about": "x"})
    change = {"person": {"firstName": "Marge", "lastName": None, "about": None, "contacts": None}}
    assert v1.put(f"/person/{party_id}", change, "json").status_code == 200
    shown = v1.read(f"/party/{party_id}", fmt)["person"]
    assert (shown["firstName"], shown["lastName"], shown["about"]) == ("Marge", "Simpson", "x")


def test_an_unset_root_is_still_a_400(v1, fmt):
    json_body = {"Content-Type": "application/json"}
    response = v1.request("POST", "/person", fmt, content=b'{"person": null}', headers=json_body)
    assert response.status_code == 400
    assert "root element" in error_message(response, fmt)
