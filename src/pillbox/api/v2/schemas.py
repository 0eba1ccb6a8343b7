"""JSON Schemas of what API v2 sends back, for the OpenAPI document.

The suite checks real responses against them (schemathesis), so they cannot drift from to_wire().
"""

from typing import Any


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
    }


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}

NESTED_USER = _object(
    {"id": INTEGER, "deleted": BOOLEAN, "username": STRING, "pictureURL": STRING, "name": STRING}
)
NESTED_TEAM = _object({"id": INTEGER, "name": STRING})
NESTED_ORGANISATION = _object(
    {
        "id": INTEGER,
        "type": {"const": "organisation"},
        "name": _nullable("string"),
        "pictureURL": STRING,
    }
)

_TYPED = {"id": INTEGER, "type": _nullable("string")}
ADDRESS = _object(
    {**_TYPED, **{k: _nullable("string") for k in ("city", "country", "street", "state", "zip")}}
)
PHONE_NUMBER = _object({**_TYPED, "number": STRING})
WEBSITE = _object({**_TYPED, "address": STRING, "service": STRING, "url": STRING})
EMAIL_ADDRESS = _object({**_TYPED, "address": STRING})
TAG = _object(
    {"id": INTEGER, "name": STRING, "description": _nullable("string"), "dataTag": BOOLEAN}
)
FIELD_VALUE = _object(
    {
        "id": INTEGER,
        "definition": _object({"id": INTEGER, "name": STRING}),
        "value": {"type": ["string", "boolean"]},
        "tagId": INTEGER,
    },
    required=["id", "definition", "value"],
)

_COMMON = {
    "id": INTEGER,
    "owner": {"oneOf": [NESTED_USER, {"type": "null"}]},
    "team": {"oneOf": [NESTED_TEAM, {"type": "null"}]},
    "about": _nullable("string"),
    "createdAt": STRING,
    "updatedAt": STRING,
    "lastContactedAt": _nullable("string"),
    "pictureURL": STRING,
    "enrichment": {"type": "null"},
    "phoneNumbers": {"type": "array", "items": PHONE_NUMBER},
    "addresses": {"type": "array", "items": ADDRESS},
    "emailAddresses": {"type": "array", "items": EMAIL_ADDRESS},
    "websites": {"type": "array", "items": WEBSITE},
}
_EMBEDDED = {
    "tags": {"type": "array", "items": TAG},
    "fields": {"type": "array", "items": FIELD_VALUE},
    "missingImportantFields": BOOLEAN,
}

ORGANISATION = _object(
    {**_COMMON, "type": {"const": "organisation"}, "name": STRING, **_EMBEDDED},
    required=[*_COMMON, "type", "name"],
)
PERSON = _object(
    {
        **_COMMON,
        "type": {"const": "person"},
        "firstName": _nullable("string"),
        "lastName": _nullable("string"),
        "jobTitle": _nullable("string"),
        "title": _nullable("string"),
        "organisation": {"oneOf": [NESTED_ORGANISATION, ORGANISATION, {"type": "null"}]},
        **_EMBEDDED,
    },
    required=[*_COMMON, "type", "firstName", "lastName", "jobTitle", "title", "organisation"],
)
PARTY = {"oneOf": [PERSON, ORGANISATION]}
JOB = _object(
    {
        "status": {"enum": ["pending", "running", "completed", "failed"]},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        "action": STRING,
        "id": {"type": "string", "format": "uuid"},
    }
)
FIELD_DEFINITION = _object(
    {
        "id": INTEGER,
        "type": {"enum": ["text", "date", "list", "multiselectlist", "boolean", "number", "link"]},
        "description": _nullable("string"),
        "important": BOOLEAN,
        "displayOrder": INTEGER,
        "name": STRING,
        "tag": {
            "oneOf": [
                _object({"id": INTEGER, "name": STRING, "dataTag": BOOLEAN}),
                {"type": "null"},
            ]
        },
        "captureRule": {"enum": ["person", "organisation", None]},
        "options": {"type": ["array", "null"], "items": STRING},
    }
)
USER = _object(
    {
        "id": INTEGER,
        "locale": STRING,
        "currency": STRING,
        "status": STRING,
        "party": {"type": ["object", "null"]},
        "username": STRING,
        "timezone": STRING,
        "lastLoginAt": _nullable("string"),
        "name": STRING,
        "taskReminder": BOOLEAN,
        "emailPreference": _nullable("string"),
        "clickToCallPreference": _nullable("string"),
        "preferredEmailFromAddress": _nullable("string"),
    }
)
TEAM = _object(
    {
        "id": INTEGER,
        "name": STRING,
        "createdAt": STRING,
        "updatedAt": STRING,
        "memberships": {"type": "array", "items": _object({"user": NESTED_USER})},
    },
    required=["id", "name", "createdAt", "updatedAt"],
)
PERSON_TITLE = _object({"id": INTEGER, "title": STRING})
COUNTRY = _object(
    {"alpha2Code": STRING, "alpha3Code": STRING, "numericCode": INTEGER, "name": STRING}
)
CURRENCY = _object(
    {"code": STRING, "symbol": STRING, "name": STRING, "pluralName": STRING}, required=["code"]
)
SITE = _object({"url": STRING, "subdomain": STRING, "name": STRING})
PIPELINE = _object(
    {
        "id": INTEGER,
        "name": STRING,
        "description": _nullable("string"),
        "createdAt": STRING,
        "updatedAt": STRING,
    }
)
MILESTONE = _object(
    {
        "id": INTEGER,
        "name": STRING,
        "description": _nullable("string"),
        "complete": BOOLEAN,
        "probability": INTEGER,
        "daysUntilStale": _nullable("integer"),
        "createdAt": STRING,
        "updatedAt": STRING,
        "pipeline": NESTED_TEAM,  # {id, name}
    }
)
LOST_REASON = _object(
    {
        "id": INTEGER,
        "name": STRING,
        "includedForConversion": BOOLEAN,
        "createdAt": STRING,
        "updatedAt": STRING,
    }
)
_NAMED = _object({"id": INTEGER, "name": STRING})
_NESTED_PARTY = {"type": "object", "required": ["id", "type", "pictureURL"]}
OPPORTUNITY = _object(
    {
        "id": INTEGER,
        "updatedAt": STRING,
        "description": _nullable("string"),
        "owner": {"oneOf": [NESTED_USER, {"type": "null"}]},
        "party": _NESTED_PARTY,
        "lostReason": {"oneOf": [_NAMED, {"type": "null"}]},
        "milestone": {"type": "object", "required": ["id", "name"]},
        "value": {
            "oneOf": [
                _object({"amount": {"type": "number"}, "currency": STRING}),
                {"type": "null"},
            ]
        },
        "expectedCloseOn": _nullable("string"),
        "probability": INTEGER,
        "durationBasis": {"enum": ["FIXED", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"]},
        "duration": _nullable("integer"),
        "closedOn": _nullable("string"),
        "createdAt": STRING,
        "name": STRING,
        "team": {"oneOf": [NESTED_TEAM, {"type": "null"}]},
        "lastContactedAt": _nullable("string"),
        "lastStageChangedAt": _nullable("string"),
        "lastOpenMilestone": {"oneOf": [_NAMED, {"type": "null"}]},
        "tags": {"type": "array", "items": TAG},
        "fields": {"type": "array", "items": FIELD_VALUE},
        "missingImportantFields": BOOLEAN,
    },
    required=[
        "id",
        "updatedAt",
        "description",
        "owner",
        "party",
        "lostReason",
        "milestone",
        "value",
        "expectedCloseOn",
        "probability",
        "durationBasis",
        "duration",
        "closedOn",
        "createdAt",
        "name",
        "team",
        "lastContactedAt",
        "lastStageChangedAt",
        "lastOpenMilestone",
    ],
)
BOARD = PIPELINE
STAGE = _object(
    {
        "id": INTEGER,
        "name": STRING,
        "description": _nullable("string"),
        "board": NESTED_TEAM,  # {id, name}
        "displayOrder": INTEGER,
        "createdAt": STRING,
        "updatedAt": STRING,
    }
)
KASE = _object(
    {
        "id": INTEGER,
        "owner": {"oneOf": [NESTED_USER, {"type": "null"}]},
        "team": {"oneOf": [NESTED_TEAM, {"type": "null"}]},
        "party": _NESTED_PARTY,
        "status": {"enum": ["OPEN", "CLOSED"]},
        "opportunity": {"type": ["object", "null"]},
        "stage": {"oneOf": [_NAMED, {"type": "null"}]},
        "createdAt": STRING,
        "updatedAt": STRING,
        "description": _nullable("string"),
        "name": STRING,
        "closedOn": _nullable("string"),
        "lastContactedAt": _nullable("string"),
        "expectedCloseOn": _nullable("string"),
        "startOn": _nullable("string"),
        "tags": {"type": "array", "items": TAG},
        "fields": {"type": "array", "items": FIELD_VALUE},
        "missingImportantFields": BOOLEAN,
    },
    required=[
        "id",
        "owner",
        "team",
        "party",
        "status",
        "opportunity",
        "stage",
        "createdAt",
        "updatedAt",
        "description",
        "name",
        "closedOn",
        "lastContactedAt",
        "expectedCloseOn",
        "startOn",
    ],
)
ACTIVITY_TYPE = _object(
    {
        "id": INTEGER,
        "name": STRING,
        "icon": _object(
            {
                "order": INTEGER,
                "id": STRING,
                "displayName": STRING,
                "iconName": STRING,
                "isSystem": BOOLEAN,
            }
        ),
        "updateLastContacted": BOOLEAN,
    }
)
ENTRY = _object(
    {
        "id": INTEGER,
        "type": {"enum": ["note", "email", "task"]},
        "attachments": {
            "type": "array",
            "items": _object(
                {"id": INTEGER, "filename": STRING, "contentType": STRING, "size": INTEGER}
            ),
        },
        "parties": {"type": "array", "items": _NESTED_PARTY},
        "creator": {"type": ["object", "null"]},
        "activityType": {"type": "object", "required": ["id", "name"]},
        "subject": _nullable("string"),
        "createdAt": STRING,
        "updatedAt": STRING,
        "content": _nullable("string"),
        "entryAt": STRING,
        "participants": {"type": "array"},
        "party": {"type": "object"},
        "opportunity": {"type": "object"},
        "kase": {"type": "object"},
    },
    required=["id", "type", "creator", "activityType", "createdAt", "updatedAt", "entryAt"],
)
CATEGORY = _object({"id": INTEGER, "name": STRING, "colour": _nullable("string")})
TASK_DEFINITION = _object(
    {
        "id": INTEGER,
        "description": STRING,
        "daysAfterRule": {"enum": ["TRACK_START", "LAST_TASK"]},
        "daysAfter": INTEGER,
        "displayOrder": INTEGER,
        "trackTaskAssignee": _object(
            {"assigneeType": {"enum": ["ENTITY_OWNER", "USER"]}, "owner": NESTED_USER},
            required=["assigneeType"],
        ),
        "dayDelayRule": {"enum": ["TRACK_DAYS", "TRACK_WORKDAYS", "TRACK_WEEKS"]},
        "category": {"oneOf": [CATEGORY, {"type": "null"}]},
        "createdAt": STRING,
        "updatedAt": STRING,
    }
)
TRACK_DEFINITION = _object(
    {
        "id": INTEGER,
        "description": STRING,
        "tag": _nullable("string"),
        "captureRule": {"enum": ["PARTY", "OPPORTUNITY", "CASEFILE"]},
        "direction": {"enum": ["START_DATE", "END_DATE"]},
        "createdAt": STRING,
        "updatedAt": STRING,
        "taskDefinitions": {"type": "array", "items": TASK_DEFINITION},
    }
)
TASK = _object(
    {
        "id": INTEGER,
        "category": {"oneOf": [CATEGORY, {"type": "null"}]},
        "description": STRING,
        "detail": _nullable("string"),
        "dueTime": _nullable("string"),
        "status": {"enum": ["OPEN", "COMPLETED", "PENDING"]},
        "party": {"type": ["object", "null"]},
        "opportunity": {"type": ["object", "null"]},
        "owner": {"type": ["object", "null"]},
        "daysAfter": _nullable("integer"),
        "taskDelayRule": {"enum": ["TRACK_START", "END_DATE", "LAST_TASK", None]},
        "nextTask": {"type": ["object", "null"]},
        "active": BOOLEAN,
        "createdAt": STRING,
        "updatedAt": STRING,
        "dueOn": STRING,
        "completedBy": _nullable("string"),
        "completedAt": _nullable("string"),
        "kase": {"type": ["object", "null"]},
        "taskDayDelayRule": {"enum": ["TRACK_DAYS", "TRACK_WORKDAYS", "TRACK_WEEKS"]},
        "overrideToCurrentUser": {"type": ["boolean", "null"]},
        "repeat": {
            "oneOf": [
                _object(
                    {
                        "interval": INTEGER,
                        "frequency": {"enum": ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]},
                        "on": _nullable("string"),
                    }
                ),
                {"type": "null"},
            ]
        },
        "hasTrack": BOOLEAN,
    }
)
TRACK = _object(
    {
        "id": INTEGER,
        "tasks": {"type": "array", "items": {"type": "object", "required": ["id", "description"]}},
        "description": STRING,
        "direction": {"enum": ["START_DATE", "END_DATE"]},
        "trackDateOn": STRING,
    }
)
REST_HOOK = _object(
    {
        "id": INTEGER,
        "user": {"type": ["object", "null"]},
        "clientId": {"type": ["integer", "null"]},
        "description": _nullable("string"),
        "event": STRING,
        "targetUrl": STRING,
        "embed": _nullable("string"),
        "batched": BOOLEAN,
        "createdAt": STRING,
        "updatedAt": STRING,
        "secret": STRING,
    }
)
HOOK_DELIVERY = _object(
    {
        "id": INTEGER,
        "event": STRING,
        "recordId": INTEGER,
        "status": {"enum": ["pending", "delivered", "failed"]},
        "attempts": INTEGER,
        "responseStatus": _nullable("integer"),
        "latencyMs": _nullable("integer"),
        "error": _nullable("string"),
        "createdAt": STRING,
        "deliveredAt": _nullable("string"),
    }
)
