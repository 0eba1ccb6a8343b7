"""API v1 custom fields: the values on a party, opportunity or case, and their definitions
(reference §10).

Values are v2's: a read lists the record's v2 `fields` (`embed=fields`), and every write is the
v2 update of that record sending `fields`, so v2's rules (list options, number and date forms,
`updatedAt`, webhooks) apply unchanged. The mapping:

- `customField`: `id` (the value's id), `tag` (the data tag of the field, if any), `label` (the
  definition's name) and one value element by the definition's type: `text` (text, list, and
  v2's link and multi-select list fields, whose choices are `;`-separated), `date` (midnight
  UTC: `2011-03-13T00:00:00Z`), `boolean` (`true`; an unticked check-box is not listed, as in
  Capsule) or `number`.
- `PUT …/customfields` (or `…/customfield`) with a `customFields` document MERGES: each
  `customField` names its definition by `label` (any case) and, for a data-tag field, may name
  the `tag`; a label or tag the account does not have is a 404 (as Capsule answered). A field
  sent with a value is set, one sent without any (or with `boolean` false) is cleared, and
  fields not sent keep their values. Setting a data-tag field puts its tag on the record
  (recommended by the reference; unconfirmed in Capsule).
- Values are read defensively: the element named for the definition's type is taken first,
  else any other value element sent (a client writing `text` for a date field is understood).
  Dates take `2011-03-13T00:00:00Z` (with milliseconds or an offset too) or `2011-03-13`; the
  time part is ignored, the date kept as written. Booleans take `true`/`false` in any case.
- The older per-field forms some clients use (unconfirmed in Capsule's pages):
  `POST …/customfield` with one `customField` (201 with the `Location` of the value; 200 when
  it only cleared), `PUT …/customfield/{valueId}` (the value's own field; `label` and `tag`
  are not needed and are ignored) and `DELETE …/customfield/{valueId}`. A value id the record
  does not hold is a 404.
- `GET …/customfield/definitions`: `customFieldDefinition`s in display order with `id`,
  `tag`/`tagId` (data-tag fields), `label`, `type` (`Text`, `Date`, `List`, `Boolean`,
  `Number`; v2's link fields show as `Text` and multi-select lists as `List`), `options` (list
  choices joined by `;`), `forPartyClass` (party fields kept to `person` or `organisation`,
  v2's values; Capsule's are unconfirmed) and `displayOrder`. Definitions are read-only in v1.
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit.resource import database, principal_of
from pillbox.api.v1 import params
from pillbox.api.v1.documents import (
    Element,
    date_value,
    leaf,
    leaves,
    list_element,
    midnight,
    rows,
    sent,
)
from pillbox.api.v1.http import (
    Handler,
    Route,
    created,
    document_response,
    done,
    path_id,
    read_document,
)
from pillbox.api.v1.records import (
    RECORD_TYPES,
    RecordType,
    change_record,
    check_record,
    rendered,
)
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import field_definitions as definition_store
from pillbox.store import records
from pillbox.store import tags as tag_store
from pillbox.store.accounts import Principal
from pillbox.wire.field_definitions import to_wire as definition_to_wire

FIELDS = frozenset({"fields"})
RESOURCE = "customField"
ROOTS = ("customFields", RESOURCE)
VALUE_ELEMENTS = ("text", "date", "boolean", "number")
# v2 definition type -> (v1 value element, v1 definition type)
V1_TYPES = {
    "text": ("text", "Text"),
    "link": ("text", "Text"),
    "list": ("text", "List"),
    "multiselectlist": ("text", "List"),
    "date": ("date", "Date"),
    "boolean": ("boolean", "Boolean"),
    "number": ("number", "Number"),
}
TEXT_TYPE = V1_TYPES["text"]  # for a v2 type v1 has no word for
DATE_FORMS = "yyyy-MM-ddTHH:mm:ssZ or yyyy-MM-dd"


# -- reading values -------------------------------------------------------------------------------


def record_fields(
    conn: sa.Connection, who: Principal, kind: RecordType, record_id: int
) -> list[Element]:
    """The record's values as `customField` elements, in the definitions' display order."""
    fields = rendered(conn, who, kind.render, record_id, FIELDS)["fields"]
    ids = [field["definition"]["id"] for field in fields]
    definitions = definition_store.load(conn, who.account_id, kind.entity, ids) if ids else {}
    elements = (field_element(field, definitions[field["definition"]["id"]]) for field in fields)
    return [element for element in elements if element is not None]


def field_element(field: dict[str, Any], definition: Any) -> Element | None:
    """One v2 field as a v1 `customField`; None for an unticked check-box (v1 never lists it)."""
    value = field["value"]
    if value is False:
        return None
    name = V1_TYPES.get(definition.type, TEXT_TYPE)[0]
    text = midnight(value) if name == "date" else value
    children = [leaf("id", field["id"])]
    if definition.tag_name is not None:
        children.append(leaf("tag", definition.tag_name))
    children += [leaf("label", field["definition"]["name"]), leaf(name, text)]
    return Element(RESOURCE, children=children)


def list_handler(kind: RecordType) -> Handler:
    async def handle(request: Request) -> Response:
        record_id = path_id(request)
        fields = await database(request).read(record_fields, principal_of(request), kind, record_id)
        return document_response(request, list_element("customFields", fields))

    return handle


# -- writing values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentField:
    """One `customField` of a write: how it names its definition and the values it holds."""

    label: str
    tag: str
    values: dict[str, str]  # value elements sent with text: {"text": "12345678"}


def sent_fields(document: Element) -> list[SentField]:
    fields = rows(document, RESOURCE) if document.name == "customFields" else [document]
    return [_sent(field) for field in fields]


def one_field(document: Element) -> SentField:
    fields = sent_fields(document)
    if len(fields) != 1:
        raise ValidationFailed.single("exactly one customField is expected", RESOURCE, "label")
    return fields[0]


def _sent(field: Element) -> SentField:
    values = {name: sent(field, name, trim=False) or "" for name in VALUE_ELEMENTS}
    with_text = {name: value for name, value in values.items() if value.strip()}
    return SentField(sent(field, "label") or "", sent(field, "tag") or "", with_text)


def _definition_named(
    conn: sa.Connection, account_id: int, kind: RecordType, field: SentField
) -> Any:
    """The live definition a field names by label (and tag); NotFound when there is none."""
    if not field.label:
        raise ValidationFailed.single("label is required", RESOURCE, "label")
    found = definition_store.find_definition(conn, account_id, kind.entity, name=field.label)
    if found is not None and field.tag:
        tag_id = tag_store.find_tag(conn, account_id, kind.entity, name=field.tag)
        found = found if tag_id is not None and tag_id == found.tag_id else None
    if found is None:
        tagged = f" of the tag {field.tag}" if field.tag else ""
        raise NotFound(f"There is no custom field {field.label}{tagged}")
    return found


def _definition_of_value(
    conn: sa.Connection, account_id: int, kind: RecordType, record_id: int, value_id: int
) -> Any:
    """The live definition of one value the record holds; NotFound otherwise."""
    value = records.field_value(conn, kind.entity, record_id, value_id)
    found = None
    if value is not None:
        found = definition_store.find_definition(
            conn, account_id, kind.entity, definition_id=value.definition_id
        )
    if found is None:
        raise NotFound()
    return found


def v2_value(definition: Any, field: SentField) -> Any:
    """The v2 `value` a field sets, or None when it clears the field."""
    preferred = V1_TYPES.get(definition.type, TEXT_TYPE)[0]
    raw = field.values.get(preferred) or next(iter(field.values.values()), None)
    if raw is None:
        return None
    if definition.type == "boolean":
        return True if _boolean(raw, definition.name) else None
    if definition.type == "date":
        return date_value(raw, f"{definition.name}: date", DATE_FORMS)
    return raw


def _boolean(raw: str, label: str) -> bool:
    value = raw.strip().lower()
    if value not in ("true", "false"):
        raise ValidationFailed.single(
            f"{label}: boolean must be true or false", RESOURCE, "boolean"
        )
    return value == "true"


def _apply(
    conn: sa.Connection,
    who: Principal,
    kind: RecordType,
    record_id: int,
    changes: list[tuple[Any, SentField]],
) -> None:
    """Sets or clears each (definition, sent field) through the v2 update of the record, and
    puts on it the data tags of the fields set."""
    items: list[dict[str, Any]] = []
    tag_ids: list[int] = []
    for definition, field in changes:
        value = v2_value(definition, field)
        item: dict[str, Any] = {"definition": {"id": definition.id}}
        item.update({"_delete": True} if value is None else {"value": value})
        items.append(item)
        if value is not None and definition.tag_id is not None:
            tag_ids.append(definition.tag_id)
    tags = [{"id": tag_id} for tag_id in dict.fromkeys(tag_ids)]
    change_record(conn, who, kind, record_id, {"fields": items, "tags": tags})


def merge_fields(
    conn: sa.Connection, who: Principal, kind: RecordType, record_id: int, sent: list[SentField]
) -> int | None:
    """Sets and clears the fields sent, others untouched; the id of the last value set."""
    check_record(conn, who.account_id, kind, record_id)
    changes = [(_definition_named(conn, who.account_id, kind, field), field) for field in sent]
    _apply(conn, who, kind, record_id, changes)
    kept = records.load_field_values(conn, kind.entity, [record_id]).get(record_id, [])
    value_ids = {row.definition_id: row.id for row in kept}
    set_ids = [value_ids[d.id] for d, _ in changes if d.id in value_ids]
    return set_ids[-1] if set_ids else None


def change_value(
    conn: sa.Connection,
    who: Principal,
    kind: RecordType,
    record_id: int,
    value_id: int,
    field: SentField | None,
) -> None:
    """Sets (or, with `field` None or holding no value, clears) one value the record holds."""
    check_record(conn, who.account_id, kind, record_id)
    definition = _definition_of_value(conn, who.account_id, kind, record_id, value_id)
    _apply(conn, who, kind, record_id, [(definition, field or SentField("", "", {}))])


def put_handler(kind: RecordType) -> Handler:
    async def handle(request: Request) -> Response:
        record_id = path_id(request)
        sent = sent_fields(await read_document(request, ROOTS))
        await database(request).write(merge_fields, principal_of(request), kind, record_id, sent)
        return done()

    return handle


def post_handler(kind: RecordType) -> Handler:
    async def handle(request: Request) -> Response:
        record_id = path_id(request)
        sent = sent_fields(await read_document(request, ROOTS))
        who = principal_of(request)
        value_id = await database(request).write(merge_fields, who, kind, record_id, sent)
        if value_id is None:
            return done()
        return created(request, f"/{kind.segment}/{record_id}/customfield/{value_id}")

    return handle


def value_handler(kind: RecordType, clearing: bool) -> Handler:
    async def handle(request: Request) -> Response:
        record_id = path_id(request)
        value_id = path_id(request, "valueId")
        field = None if clearing else one_field(await read_document(request, ROOTS))
        who = principal_of(request)
        await database(request).write(change_value, who, kind, record_id, value_id, field)
        return done()

    return handle


# -- definitions ----------------------------------------------------------------------------------


def definitions_page(
    conn: sa.Connection, who: Principal, kind: RecordType, window: params.Window
) -> list[dict[str, Any]]:
    """A page of the record type's definitions, as v2 shows them, in display order."""
    ids = definition_store.page_ids(conn, who.account_id, kind.entity, window.listing())
    rows = definition_store.load(conn, who.account_id, kind.entity, ids) if ids else {}
    return [definition_to_wire(rows[i]) for i in ids if i in rows]


def definition_element(wire: dict[str, Any]) -> Element:
    values: list[tuple[str, Any]] = [("id", wire["id"])]
    if wire["tag"] is not None:
        values += [("tag", wire["tag"]["name"]), ("tagId", wire["tag"]["id"])]
    values += [
        ("label", wire["name"]),
        ("type", V1_TYPES.get(wire["type"], TEXT_TYPE)[1]),
        ("options", ";".join(wire["options"] or [])),
        ("forPartyClass", wire["captureRule"]),
        ("displayOrder", wire["displayOrder"]),
    ]
    return Element("customFieldDefinition", children=leaves(values))


def definitions_handler(kind: RecordType) -> Handler:
    async def handle(request: Request) -> Response:
        window = params.window(request.query_params)
        wires = await database(request).read(definitions_page, principal_of(request), kind, window)
        children = [definition_element(wire) for wire in wires]
        return document_response(request, list_element("customFieldDefinitions", children))

    return handle


def routes() -> list[Route]:
    """(method, path under /api, handler) of every custom field endpoint, spellings included."""
    found: list[Route] = []
    for kind in RECORD_TYPES:
        found.append(("GET", f"/{kind.segment}/customfield/definitions", definitions_handler(kind)))
        for noun in ("customfields", "customfield"):
            base = f"/{kind.segment}/{{id}}/{noun}"
            found += [
                ("GET", base, list_handler(kind)),
                ("PUT", base, put_handler(kind)),
                ("POST", base, post_handler(kind)),
            ]
        one = f"/{kind.segment}/{{id}}/customfield/{{valueId}}"
        found += [
            ("PUT", one, value_handler(kind, clearing=False)),
            ("DELETE", one, value_handler(kind, clearing=True)),
        ]
    return found
