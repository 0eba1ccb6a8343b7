"""Test-side v1 wire helpers, written apart from the server's: documents as JSON-mirror dicts,
turned into XML bodies, and XML answers turned back into their JSON mirror."""

import json
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from starlette.testclient import TestClient

FORMATS = ["xml", "json"]


def xml_body(document: dict[str, Any]) -> bytes:
    ((root, value),) = document.items()
    return ('<?xml version="1.0" encoding="UTF-8"?>' + _xml(root, value)).encode()


def _xml(name: str, value: Any) -> str:
    if isinstance(value, list):
        return "".join(_xml(name, item) for item in value)
    if isinstance(value, dict):
        return f"<{name}>{''.join(_xml(k, v) for k, v in value.items())}</{name}>"
    return f"<{name}>{escape(str(value))}</{name}>" if value != "" else f"<{name}/>"


def mirror(xml: bytes) -> dict[str, Any]:
    """An XML answer as v1 JSON would carry it."""
    root = ET.fromstring(xml)
    return {root.tag: _mirror(root)}


def _mirror(element: ET.Element) -> Any:
    children = list(element)
    if not children:
        if element.attrib and not element.text:
            return {f"@{k}": v for k, v in element.attrib.items()}
        return element.text or ""
    grouped: dict[str, list[Any]] = {}
    for child in children:
        grouped.setdefault(child.tag, []).append(_mirror(child))
    return {k: v[0] if len(v) == 1 else v for k, v in grouped.items()}


def items(value: Any) -> list[Any]:
    """A v1 collection as a list, however many it holds (as every v1 client normalises)."""
    if value in ("", None):
        return []
    return value if isinstance(value, list) else [value]


@dataclass
class V1:
    """Requests to /api/… with a token as the Basic user name, in XML or JSON."""

    client: TestClient
    token: str

    def request(
        self,
        method: str,
        path: str,
        fmt: str = "xml",
        document: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        headers = kwargs.pop("headers", {})
        if fmt == "json":
            headers.setdefault("Accept", "application/json")
        if document is not None:
            if fmt == "json":
                kwargs["content"] = json.dumps(document).encode()
                headers.setdefault("Content-Type", "application/json")
            else:
                kwargs["content"] = xml_body(document)
                headers.setdefault("Content-Type", "application/xml")
        auth = kwargs.pop("auth", (self.token, "x"))
        return self.client.request(method, f"/api{path}", headers=headers, auth=auth, **kwargs)

    def get(self, path: str, fmt: str = "xml", **kwargs: Any) -> Any:
        return self.request("GET", path, fmt, **kwargs)

    def post(self, path: str, document: Any, fmt: str = "xml", **kwargs: Any) -> Any:
        return self.request("POST", path, fmt, document, **kwargs)

    def put(self, path: str, document: Any, fmt: str = "xml", **kwargs: Any) -> Any:
        return self.request("PUT", path, fmt, document, **kwargs)

    def delete(self, path: str, fmt: str = "xml", **kwargs: Any) -> Any:
        return self.request("DELETE", path, fmt, **kwargs)

    def read(self, path: str, fmt: str = "xml", **kwargs: Any) -> dict[str, Any]:
        """The document at `path` as a JSON-mirror dict, from either format."""
        response = self.get(path, fmt, **kwargs)
        assert response.status_code == 200, response.text
        return decode(response, fmt)

    def create(self, kind: str, document: dict[str, Any], fmt: str = "xml") -> int:
        return created_id(self.post(f"/{kind}", {kind: document}, fmt))


def created_id(response: Any) -> int:
    """The id a `201` answer's `Location` ends in."""
    assert response.status_code == 201, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def error_message(response: Any, fmt: str) -> str:
    """The message of a v1 error: `{"message": …}` in JSON, the bare text for XML clients."""
    return str(response.json()["message"] if fmt == "json" else response.text)


def decode(response: Any, fmt: str) -> dict[str, Any]:
    if fmt == "json":
        assert response.headers["Content-Type"].startswith("application/json")
        return dict(response.json())
    assert response.headers["Content-Type"].startswith("application/xml")
    return mirror(response.content)


RECORD_SEGMENTS = ["party", "opportunity", "kase"]


def v2_record(account: Any, segment: str, name: str = "Acme") -> int:
    """The id of a new party, opportunity or case (a v1 path `segment`), made through API v2;
    opportunities and cases get a new organisation of their own as main party."""
    party = {"type": "organisation", "name": f"{name} {uuid.uuid4().hex[:8]}"}
    party_id = int(account.post("/parties", {"party": party}).json()["party"]["id"])
    if segment == "party":
        return party_id
    if segment == "opportunity":
        milestone = account.get("/milestones").json()["milestones"][0]
        body = {"name": name, "party": {"id": party_id}, "milestone": {"id": milestone["id"]}}
        created = account.post("/opportunities", {"opportunity": body}).json()
        return int(created["opportunity"]["id"])
    created = account.post("/kases", {"kase": {"name": name, "party": {"id": party_id}}}).json()
    return int(created["kase"]["id"])
