"""Requests for the fuzzer at volume, drawn by hypothesis and cheap to draw, so that the server
sets the pace: every operation as the server's own OpenAPI document declares it (API v2 and v1,
OAuth, health: its path, query and body property names, with hostile values, and the credentials
its security asks for), and every API v1 route with XML and JSON bodies over v1's element names.

Ids in a path are either one of the account's own records ("{own<n>}", filled in when the request
is sent, from the ids the run has seen) or any integer or text.
"""

import base64
import json
import random
import re
import shlex
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from pillbox.api.v1.routes import v1_routes

HTTP_METHODS = ("get", "put", "post", "delete", "patch")

V1_NAMES = [
    *("person", "organisation", "opportunity", "kase", "task", "historyItem", "customField"),
    *("customFields", "tag", "firstName", "lastName", "name", "title", "jobTitle", "about"),
    *("organisationId", "contacts", "email", "emailAddress", "phone", "phoneNumber", "address"),
    *("website", "webAddress", "id", "type", "description", "value", "currency", "milestone"),
    *("milestoneId", "probability", "expectedCloseDate", "durationBasis", "duration", "owner"),
    *("dueDate", "dueDateTime", "category", "detail", "note", "subject", "entryDate", "label"),
    *("text", "date", "boolean", "partyId", "status", "closeDate", "@size", "x"),
]
ITEM_KEYS = [
    *("id", "_delete", "type", "number", "address", "service", "street", "country", "name"),
    *("definition", "value", "user", "party", "token", "description"),
]
texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "1", "-3", "99999999999", "9" * 5000, "2011-01-01T00:00:00Z", "20110101", "true"]
    ),
    st.sampled_from(["person", "organisation", "Home", "URL", "EUR", "note", "x" * 300]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    texts,
)


def _json_values(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=5,
    )


v2_values = _json_values(st.sampled_from(ITEM_KEYS) | st.text(max_size=8))
v2_items = st.dictionaries(st.sampled_from(ITEM_KEYS), v2_values, max_size=4)
own_ids = st.integers(0, 63).map(lambda n: f"{{own{n}}}")
any_ids = st.one_of(
    own_ids,
    st.integers(-(10**20), 10**20).map(str),
    st.text(alphabet="0123456789,-abc ./%", min_size=1, max_size=25),
)
query_values = st.one_of(
    texts,
    st.integers(-5, 10**20).map(str),
    st.sampled_from(["2020-01-01T00:00:00Z", "2020-01-01", "tags,fields,organisation", "1e9"]),
)


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # may hold "{own<n>}" placeholders
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    body: bytes | None = None

    def filled(self, own: list[str]) -> str:
        return re.sub(r"\{own(\d+)\}", lambda m: own[int(m.group(1)) % len(own)], self.path)


def curl(url: str, method: str, headers: dict[str, str], body: bytes | None) -> str:
    """A command that sends the same request again."""
    command = ["curl", "-X", method, url]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if body is not None:
        command += ["--data-binary", body.decode("utf-8", "backslashreplace")]
    return shlex.join(command)


# -- API v2, from the OpenAPI document ------------------------------------------------------------


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _body_shape(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, list[str]]:
    """{root key: the property names of the record under it} of an operation's JSON body."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return {}
    schema = _resolve(document, content["application/json"].get("schema", {}))
    shape = {}
    for root, inner in schema.get("properties", {}).items():
        shape[root] = sorted(_resolve(document, inner).get("properties", {}))
    return shape


def _v2_body(shape: dict[str, list[str]]) -> st.SearchStrategy[bytes | None]:
    records = [
        st.builds(
            lambda root, record: {root: record},
            st.just(root),
            st.dictionaries(
                st.sampled_from([*keys, "id"]),
                st.one_of(v2_values, st.lists(v2_items, max_size=3), v2_items),
                max_size=6,
            ),
        )
        for root, keys in shape.items()
    ]
    documents = st.one_of(*records, v2_values) if records else v2_values
    return st.one_of(
        documents.map(lambda d: json.dumps(d).encode()),
        st.binary(max_size=60),
        st.none(),
    )


def document_operations(document: dict[str, Any]) -> list[tuple[str, st.SearchStrategy[Request]]]:
    """(a name, the strategy of its requests) for every operation of the OpenAPI document."""
    found = []
    for template, item in document["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
            in_path = [p["name"] for p in parameters if p["in"] == "path"]
            in_query = sorted({p["name"] for p in parameters if p["in"] == "query"} | {"x"})
            body = _v2_body(_body_shape(document, operation)) if method in ("post", "put") else None
            auth = _authorization(operation.get("security", document.get("security", [])))
            found.append(
                (
                    f"{method.upper()} {template}",
                    _requests(method, template, in_path, in_query, body, auth),
                )
            )
    return found


def _authorization(security: list[dict[str, list[str]]]) -> tuple[tuple[str, str], ...]:
    """The Authorization header the operation asks for: Bearer for API v2, Basic with the token
    for API v1, none where it asks for none (an OAuth client's own credentials are not known)."""
    schemes = {name for requirement in security for name in requirement}
    if "bearer" in schemes:
        return (("Authorization", "Bearer {token}"),)
    if "basic" in schemes:
        return (("Authorization", "Basic {basic}"),)
    return ()


def _requests(
    method: str,
    template: str,
    in_path: list[str],
    in_query: list[str],
    body: st.SearchStrategy[bytes | None] | None,
    auth: tuple[tuple[str, str], ...],
) -> st.SearchStrategy[Request]:
    def build(ids: list[str], query: dict[str, str], content: bytes | None) -> Request:
        path = template
        for name, value in zip(in_path, ids, strict=True):
            path = path.replace("{" + name + "}", value)
        headers = list(auth)
        if content is not None:
            headers.append(("Content-Type", "application/json"))
        return Request(method.upper(), path, tuple(query.items()), tuple(headers), content)

    return st.builds(
        build,
        st.lists(any_ids, min_size=len(in_path), max_size=len(in_path)),
        st.dictionaries(st.sampled_from(in_query), query_values, max_size=3),
        body if body is not None else st.none(),
    )


# -- API v1, from its route table -----------------------------------------------------------------

v1_values = _json_values(st.sampled_from(V1_NAMES))
trees = st.recursive(
    st.tuples(st.sampled_from(V1_NAMES[:-2]), texts),
    lambda inner: st.tuples(st.sampled_from(V1_NAMES[:-2]), st.lists(inner, max_size=4)),
    max_leaves=8,
)


def _xml(name: str, value: Any) -> str:
    if isinstance(value, list):
        return f"<{name}>{''.join(_xml(*child) for child in value)}</{name}>"
    return f"<{name}>{escape(value)}</{name}>"


V1_BODIES = st.one_of(
    st.tuples(
        st.just("application/xml"),
        st.one_of(trees.map(lambda t: _xml(*t).encode("utf-8", "surrogatepass")), st.binary()),
    ),
    st.tuples(
        st.just("application/json"),
        st.builds(lambda root, value: {root: value}, st.sampled_from(V1_NAMES[:9]), v1_values)
        .map(json.dumps)
        .map(str.encode),
    ),
)
V1_QUERIES = st.dictionaries(
    st.sampled_from(["q", "email", "tag", "lastmodified", "start", "limit", "embed", "x"]),
    query_values,
    max_size=4,
)


def v1_paths() -> list[tuple[str, str]]:
    """(method, path template) of every API v1 route."""
    found = []
    for route in v1_routes()[0].routes:  # type: ignore[attr-defined]
        path = route.path.replace(":pillbox_id", "").replace(":path", "")
        found += [(method, path) for method in sorted(route.methods) if method != "HEAD"]
    return found


def v1_operations() -> list[tuple[str, st.SearchStrategy[Request]]]:
    return [
        (f"{method} {template}", _v1_requests(method, template)) for method, template in v1_paths()
    ]


def _v1_requests(method: str, template: str) -> st.SearchStrategy[Request]:
    names = [part.split("}", 1)[0] for part in template.split("{")[1:]]

    def build(ids: list[str], body: Any, query: dict[str, str], accept: str) -> Request:
        path = template
        for name, value in zip(names, ids, strict=True):
            path = path.replace("{" + name + "}", value)
        headers = [("Authorization", "Basic {basic}"), ("Accept", accept)]
        content = None
        if body is not None:
            headers.append(("Content-Type", body[0]))
            content = body[1]
        return Request(method, path, tuple(query.items()), tuple(headers), content)

    return st.builds(
        build,
        st.lists(any_ids, min_size=len(names), max_size=len(names)),
        V1_BODIES if method in ("POST", "PUT") else st.none(),
        V1_QUERIES,
        st.sampled_from(["application/json", "application/xml"]),
    )


def basic_auth(token: str) -> str:
    return base64.b64encode(f"{token}:x".encode()).decode()


# -- cheap variants of a drawn request ------------------------------------------------------------


def variant(request: Request, earlier: list[Request], rng: random.Random) -> Request:
    """The request with its body spliced with an earlier body of the same operation (a subtree of
    one put in place of a subtree of the other, for JSON; a run of bytes, for anything else), or
    flipped bytes, and its query values shuffled: new combinations for a fraction of a draw."""
    other = rng.choice(earlier)
    body = request.body
    if body is not None and other.body is not None:
        body = _spliced(body, other.body, rng)
    elif body is not None:
        body = _flipped(body, rng)
    query = list(request.query) + list(other.query)
    rng.shuffle(query)
    return Request(request.method, request.path, tuple(query[:4]), request.headers, body)


def _spliced(body: bytes, other: bytes, rng: random.Random) -> bytes:
    try:
        mine, theirs = json.loads(body), json.loads(other)
    except ValueError:
        cut, start = rng.randrange(len(body) + 1), rng.randrange(len(other) + 1)
        return body[:cut] + other[start : start + rng.randrange(1, 64)] + body[cut:]
    parent, key = _some_place(mine, rng)
    if parent is None:
        return body
    parent[key] = _some_value(theirs, rng)
    return json.dumps(mine).encode()


def _some_place(document: Any, rng: random.Random) -> tuple[Any, Any]:
    """A random (container, key) inside the document; (None, None) if it holds none."""
    parent, key = None, None
    node = document
    while isinstance(node, (dict, list)) and node and rng.random() < 0.8:
        parent = node
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        node = node[key]
    return parent, key


def _some_value(document: Any, rng: random.Random) -> Any:
    node = document
    while isinstance(node, (dict, list)) and node and rng.random() < 0.6:
        node = rng.choice(list(node.values()) if isinstance(node, dict) else node)
    return node


def _flipped(body: bytes, rng: random.Random) -> bytes:
    data = bytearray(body)
    for _ in range(rng.randint(1, 4)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)
