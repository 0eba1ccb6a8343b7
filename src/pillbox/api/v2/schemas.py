"""What the JSON Schemas of API v2's responses share, for the OpenAPI document: the primitive
types, the short forms records show of each other, tags and field values, task categories, and
the boards and pipelines that look alike.

Each resource's own schema stands beside its declaration in api/v2/<resource>.py. The suite
checks real responses against them (schemathesis), so they cannot drift from to_wire().
"""

from typing import Any


def nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


def obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
    }


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}

NESTED_USER = obj(
    {"id": INTEGER, "deleted": BOOLEAN, "username": STRING, "pictureURL": STRING, "name": STRING}
)

NESTED_TEAM = obj({"id": INTEGER, "name": STRING})

TAG = obj({"id": INTEGER, "name": STRING, "description": nullable("string"), "dataTag": BOOLEAN})

FIELD_VALUE = obj(
    {
        "id": INTEGER,
        "definition": obj({"id": INTEGER, "name": STRING}),
        "value": {"type": ["string", "boolean"]},
        "tagId": INTEGER,
    },
    required=["id", "definition", "value"],
)

CONTAINER = obj(
    {
        "id": INTEGER,
        "name": STRING,
        "description": nullable("string"),
        "createdAt": STRING,
        "updatedAt": STRING,
    }
)

NAMED = obj({"id": INTEGER, "name": STRING})

NESTED_PARTY = {"type": "object", "required": ["id", "type", "pictureURL"]}

# What records (parties, opportunities, projects) show only when asked (`embed`).
EMBEDDED = {
    "tags": {"type": "array", "items": TAG},
    "fields": {"type": "array", "items": FIELD_VALUE},
    "missingImportantFields": BOOLEAN,
}


def record(properties: dict[str, Any]) -> dict[str, Any]:
    """A record's schema: `properties`, always there, then the embeds, there when asked."""
    return obj({**properties, **EMBEDDED}, required=list(properties))


CATEGORY = obj({"id": INTEGER, "name": STRING, "colour": nullable("string")})
