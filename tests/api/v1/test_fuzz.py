"""Property-based: whatever body or query a client sends to the v1 party endpoints, in XML or in
JSON, malformed or not, the server never answers 5xx, and a refused request changes nothing."""

import json
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.api.test_fuzz import FUZZ
from tests.api.v1.fuzzing import never_fail

NAMES = [
    "person",
    "organisation",
    "organization",
    "firstName",
    "lastName",
    "name",
    "title",
    "jobTitle",
    "about",
    "organisationId",
    "organisationName",
    "contacts",
    "address",
    "email",
    "phone",
    "website",
    "id",
    "type",
    "street",
    "country",
    "emailAddress",
    "phoneNumber",
    "webAddress",
    "webService",
    "@size",
    "x",
]
texts = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["", "1", "12", "-3", "99999999999", "9" * 5000, "Home", "work", "URL", "US", "x" * 300]
    ),
)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(NAMES), inner),
    max_leaves=10,
)
# Element trees as (name, text or children), written out as XML.
trees = st.recursive(
    st.tuples(st.sampled_from(NAMES[:-2]), texts),
    lambda inner: st.tuples(st.sampled_from(NAMES[:-2]), st.lists(inner, max_size=4)),
    max_leaves=12,
)


def xml(tree: tuple[str, Any]) -> bytes:
    def write(name: str, value: Any) -> str:
        if isinstance(value, list):
            return f"<{name}>{''.join(write(*child) for child in value)}</{name}>"
        return f"<{name}>{escape(value)}</{name}>"

    return write(*tree).encode("utf-8", "surrogatepass")


xml_bodies = st.one_of(
    trees.map(lambda tree: xml(("person", [tree]))),
    trees.map(lambda tree: xml(("organisation", [tree]))),
    trees.map(xml),
    st.binary(max_size=60),
    st.text(max_size=60).map(lambda t: f"<person>{t}</person>".encode("utf-8", "surrogatepass")),
)
json_bodies = st.one_of(
    st.builds(lambda root, value: {root: value}, st.sampled_from(NAMES[:3]), json_values),
    json_values,
).map(lambda document: json.dumps(document).encode())
bodies = st.tuples(
    st.sampled_from(["application/xml", "application/json", "text/plain", ""]),
    st.one_of(xml_bodies, json_bodies),
)


@pytest.fixture
def seeded(account, v1):
    organisation = v1.create("organisation", {"name": "Seed Org"})
    contacts = {"email": {"emailAddress": "seed@example.com"}, "phone": {"phoneNumber": "1"}}
    person = v1.create(
        "person", {"lastName": "Seed", "organisationId": organisation, "contacts": contacts}
    )
    return v1, account.id, {"organisation": organisation, "person": person}


def check(
    engine: Any, seeded: Any, method: str, path: str, body: Any = None, **kwargs: Any
) -> None:
    v1, account_id, _ = seeded
    headers = {}
    if body is not None:
        content_type, kwargs["content"] = body
        headers = {"Content-Type": content_type} if content_type else {}

    def send(method: str, path: str) -> Any:
        return v1.request(method, path, headers=headers, **kwargs)

    never_fail(engine, account_id, send, [(method, path)])


@FUZZ
@given(body=bodies, kind=st.sampled_from(["person", "organisation"]))
def test_create_never_fails_on_any_body(engine, seeded, body, kind):
    check(engine, seeded, "POST", f"/{kind}", body)


@FUZZ
@given(body=bodies, kind=st.sampled_from(["person", "organisation"]))
def test_update_never_fails_on_any_body(engine, seeded, body, kind):
    ids = seeded[2]
    check(engine, seeded, "PUT", f"/{kind}/{ids[kind]}", body)


queries = st.dictionaries(
    st.sampled_from(["q", "email", "tag", "lastmodified", "start", "limit", "embed"]),
    st.one_of(
        texts,
        st.integers(-5, 10**20).map(str),
        st.sampled_from(["20110101T000000", "20090631T000000", "2011-01-01T00:00:00Z"]),
    ),
    max_size=4,
)


@FUZZ
@given(
    params=queries,
    path=st.sampled_from(["/party", "/person", "/organisation", "/party/{o}/people"]),
)
def test_lists_never_fail_on_any_query(engine, seeded, params, path):
    ids = seeded[2]
    check(engine, seeded, "GET", path.format(o=ids["organisation"]), params=params)


@FUZZ
@given(contact=st.one_of(st.integers(0, 10**12).map(str), st.text("0123456789-x", max_size=14)))
def test_contact_deletion_never_fails_on_any_id(engine, seeded, contact):
    ids = seeded[2]
    if contact:
        check(engine, seeded, "DELETE", f"/party/{ids['person']}/contact/{contact}")
