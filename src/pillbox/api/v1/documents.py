"""API v1 documents: one tree (`Element`), read from and written to XML or its JSON mirror.

Reading a body:
- The parser follows `Content-Type` (`…json` → JSON, `…xml` → XML); without either, the first
  non-blank byte decides (`{` or `[` → JSON, anything else → XML).
- XML goes through defusedxml with DTDs forbidden: no entity expansion, no external entities.
- JSON mirrors XML: the one top-level key is the root element; an object's keys are child
  elements, an array is that element repeated, `@name` keys are attributes, and any scalar is
  the element's text (numbers and booleans as their text: `2`, `true`).
- Absent is absent however a client writes it: a JSON `null` member or array item, an empty
  JSON object (`"phone": {}`), an XML element marked `xsi:nil="true"` are no element at all, and
  an empty element that stands for a row (`<phone/>`, `"phone": ""`) is no row (`rows`). So a
  client that serialises every field, unset ones as null, reads as one that leaves them out.
- Anything unparsable, nested beyond `MAX_DEPTH`, holding a NUL character, or whose root is not
  the one the endpoint takes is a 400 with a message saying what was wrong.

Writing a document (§2 of the v1 reference):
- XML: a `standalone` prolog, then the minified tree; empty elements as `<contacts/>`.
- JSON: `{root: value}`; every value a string, an element with children an object grouping them
  by name (a name seen once is a bare object, several times an array), an element without
  children its text or `""`. Attributes appear as `@name` only on elements without children
  (`{"parties": {"@size": "0"}}`): clients iterating a non-empty list choke on them.
- A record's document leaves out what is not set (None or empty); a list's root carries `size`,
  the number of items in the answer.

Values in documents (`*_value`, `sent`):
- An element sent empty clears its field, an absent one keeps it (`texts`).
- Dates are shown as date-times: a v2 date at midnight UTC (`2012-03-21T00:00:00Z`). Dates and
  date-times are read as ISO 8601 (`Z`, an offset or none, which is UTC; milliseconds; a space
  for the `T`; a date alone is its midnight UTC). Where v1 keeps a day, the day is the one
  written, its time and offset ignored: a client's midnight in its own zone is still that day.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element as XmlElement
from xml.etree.ElementTree import ParseError

import orjson
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pillbox import timestamps
from pillbox.errors import InvalidBody
from pillbox.numbers import whole_number

MAX_DEPTH = 12  # the deepest v1 document (party → contacts → address → street) is 4 levels
BOM = b"\xef\xbb\xbf"  # some clients start UTF-8 bodies with one
XML_PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
DATE = "a date like 2012-03-21T00:00:00Z"
DATE_TIME = "a date-time like 2012-04-21T15:00:00Z"
# Characters XML 1.0 cannot carry at all, not even as references; dropped on output.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"  # how XML serialisers write null
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#xD;"})


@dataclass
class Element:
    """One XML element: a text (leaf) or child elements, and attributes."""

    name: str
    text: str | None = None
    children: list["Element"] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)

    def all(self, name: str) -> list["Element"]:
        return [child for child in self.children if child.name == name]

    def has(self, name: str) -> bool:
        return any(child.name == name for child in self.children)


def leaf(name: str, value: Any) -> Element:
    return Element(name, _text(value))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def leaves(values: Iterable[tuple[str, Any]]) -> list[Element]:
    """One leaf per (name, value) that is set: None and "" are left out, as v1 left them."""
    return [leaf(name, value) for name, value in values if value not in (None, "")]


def list_element(root: str, items: list[Element]) -> Element:
    """A list's root: its items, and `size`, how many there are."""
    return Element(root, children=items, attributes={"size": str(len(items))})


def midnight(day: str | None) -> str | None:
    """A v2 date (`2012-03-21`) as v1 shows dates: a date-time at midnight UTC."""
    return None if day is None else f"{day}T00:00:00Z"


# -- reading values --------------------------------------------------------------------------


def child_text(element: Element, name: str) -> str:
    """The text of the one `name` child (which must exist); 400 if repeated or not text."""
    found = element.all(name)
    if len(found) > 1:
        raise InvalidBody(f"<{name}> may appear only once in <{element.name}>")
    if found[0].children:
        raise InvalidBody(f"<{name}> must hold text, not elements")
    return found[0].text or ""


def id_value(raw: str, name: str) -> int:
    """A record id sent as text in element `name`; 400 when it is not one."""
    record_id = whole_number(raw.strip())
    if not record_id:
        raise InvalidBody(f"{name} must be an id")
    return record_id


def integer_value(raw: str, name: str) -> int:
    """A whole number sent as text in element `name`; 400 when it is not one."""
    try:
        return int(raw)
    except ValueError:
        raise InvalidBody(f"{name} must be an integer") from None


def sent(element: Element, name: str, trim: bool = True) -> str | None:
    """The text of the one `name` child (trimmed unless `trim` is false); None when absent."""
    if not element.has(name):
        return None
    text = child_text(element, name)
    return text.strip() if trim else text


def rows(element: Element, name: str | None = None) -> list[Element]:
    """The child elements (named `name`, or all) that hold something: an empty one is no row."""
    found = element.children if name is None else element.all(name)
    return [row for row in found if row.children or row.attributes or (row.text or "").strip()]


def texts(element: Element, names: Iterable[str]) -> dict[str, str | None]:
    """The text of each of `names` the element holds; None for an empty one, which clears."""
    return {name: child_text(element, name) or None for name in names if element.has(name)}


def moment_value(raw: str, name: str, expected: str = DATE_TIME) -> datetime:
    """The date-time `raw` names (see the module's notes); 400 `{name} must be {expected}`."""
    text = raw.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidBody(f"{name} must be {expected}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def date_value(raw: str, name: str, expected: str = DATE) -> str:
    """The day a date or date-time names, as written (`2012-03-21`); 400 as `moment_value`."""
    return moment_value(raw, name, expected).date().isoformat()


def timestamp_value(raw: str, name: str, expected: str = DATE_TIME) -> str:
    """The date-time `raw` names in the store's form, UTC to the second; 400 as `moment_value`."""
    moment = moment_value(raw, name, expected)
    try:
        return moment.astimezone(UTC).strftime(timestamps.FORMAT)
    except OverflowError:  # an offset carrying it past the calendar's ends
        raise InvalidBody(f"{name} must be {expected}") from None


# -- writing -----------------------------------------------------------------------------------


def to_xml(root: Element) -> bytes:
    return XML_PROLOG + "".join(_xml_parts(root)).encode()


def _xml_parts(element: Element) -> Iterator[str]:
    attributes = "".join(f' {k}="{_escape(v)}"' for k, v in element.attributes.items())
    if not element.children and not element.text:
        yield f"<{element.name}{attributes}/>"
        return
    yield f"<{element.name}{attributes}>"
    if element.children:
        for child in element.children:
            yield from _xml_parts(child)
    else:
        yield _escape(element.text or "")
    yield f"</{element.name}>"


def _escape(text: str) -> str:
    return _NOT_XML.sub("", text).translate(_ESCAPES)


def to_json(root: Element) -> bytes:
    return orjson.dumps({root.name: _json_value(root)})


def _json_value(element: Element) -> Any:
    if not element.children:
        if element.attributes and not element.text:
            return {f"@{k}": v for k, v in element.attributes.items()}
        return element.text or ""
    groups: dict[str, list[Any]] = {}
    for child in element.children:
        groups.setdefault(child.name, []).append(_json_value(child))
    return {name: values[0] if len(values) == 1 else values for name, values in groups.items()}


# -- reading -----------------------------------------------------------------------------------


def read(body: bytes, content_type: str, root: str | tuple[str, ...]) -> Element:
    """The document of a request body, which must have the root element `root` (or one of)."""
    roots = (root,) if isinstance(root, str) else root
    document = _parse_json(body) if _is_json(body, content_type) else _parse_xml(body)
    if document.name not in roots:
        expected = " or ".join(f"<{name}>" for name in roots)
        raise InvalidBody(f"Expected a {expected} document, not <{document.name}>")
    return document


def _is_json(body: bytes, content_type: str) -> bool:
    kind = content_type.lower()
    if "json" in kind:
        return True
    if "xml" in kind:
        return False
    return body.removeprefix(BOM).lstrip()[:1] in (b"{", b"[")


def _parse_xml(body: bytes) -> Element:
    try:
        parsed = fromstring(body, forbid_dtd=True)
    except DefusedXmlException:
        raise InvalidBody("XML with a DTD or entities is not accepted") from None
    except (ParseError, ValueError, LookupError):  # LookupError: an unknown encoding
        raise InvalidBody("Malformed XML") from None
    return _from_xml(parsed, 1)


def _from_xml(node: XmlElement, depth: int) -> Element:
    _check_depth(depth)
    name = str(node.tag)
    attributes = {str(k): _clean(str(v)) for k, v in node.attrib.items() if k != _NIL}
    children = [_from_xml(child, depth + 1) for child in node if not _is_nil(child)]
    text = None if children else _clean(node.text or "")
    return Element(name, text, children, attributes)


def _is_nil(node: XmlElement) -> bool:
    return node.attrib.get(_NIL, "").strip() in ("true", "1")


def _parse_json(body: bytes) -> Element:
    try:
        document = orjson.loads(body.removeprefix(BOM))
    except orjson.JSONDecodeError:
        raise InvalidBody("Malformed JSON") from None
    if not isinstance(document, dict) or len(document) != 1:
        raise InvalidBody("A JSON document is an object with exactly one key, its root element")
    ((name, value),) = document.items()
    elements = _from_json(name, value, 1)
    if len(elements) != 1:
        raise InvalidBody(f"The root element <{name}> must be one object")
    return elements[0]


def _from_json(name: str, value: Any, depth: int) -> list[Element]:
    """The elements a JSON member stands for: one, or one per array item."""
    _check_depth(depth)
    if value is None or (value == {} and depth > 1):  # absent, however it is written
        return []
    if isinstance(value, list):
        if any(isinstance(item, list) for item in value):
            raise InvalidBody(f"<{name}>: an array may not hold arrays")
        return [element for item in value for element in _from_json(name, item, depth)]
    if isinstance(value, dict):
        element = Element(name)
        for key, inner in value.items():
            if key.startswith("@"):
                if inner is not None:
                    element.attributes[key[1:]] = _clean(_scalar(key, inner))
            else:
                element.children.extend(_from_json(key, inner, depth + 1))
        return [element]
    return [Element(name, _clean(_scalar(name, value)))]


def _scalar(name: str, value: Any) -> str:
    if isinstance(value, dict | list):
        raise InvalidBody(f"{name} must be a plain value")
    return _text(value)


def _check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise InvalidBody("The document is nested too deeply")


def _clean(text: str) -> str:
    if "\x00" in text:  # PostgreSQL cannot store NUL; no real client sends one
        raise InvalidBody("Text may not contain NUL characters")
    return text
