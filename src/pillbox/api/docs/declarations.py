"""The OpenAPI 3.1 document, generated from the same Endpoint declarations as the routes."""

from typing import Any

from pydantic.json_schema import models_json_schema

from pillbox.api.kit.params import ListParam
from pillbox.api.kit.resource import Endpoint

_PAGE = {
    "name": "page",
    "in": "query",
    "schema": {"type": "integer", "minimum": 1, "default": 1},
    "description": "1-based page number.",
}
_PER_PAGE = {
    "name": "perPage",
    "in": "query",
    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
    "description": "Records per page.",
}
_SINCE = {
    "name": "since",
    "in": "query",
    "schema": {"type": "string", "format": "date-time"},
    "description": "Only records changed at or after this ISO 8601 instant.",
}
QUERY_PARAMETERS: dict[str, dict[str, Any]] = {
    "page": _PAGE,
    "perPage": _PER_PAGE,
    "since": _SINCE,
    "sinceRequired": {
        **_SINCE,
        "required": True,
        "description": "Only records deleted at or after this ISO 8601 instant.",
    },
    "name": {
        "name": "q",
        "in": "query",
        "schema": {"type": "string"},
        "description": "Only those whose name contains this text (any case).",
    },
    "q": {
        "name": "q",
        "in": "query",
        "required": True,
        "schema": {"type": "string"},
        "description": "Search terms; every term must match.",
    },
}

_ERROR = {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]}
_VALIDATION = {
    "type": "object",
    "properties": {
        "message": {"const": "Validation Failed"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["message", "resource", "field"],
                "properties": {k: {"type": "string"} for k in ("message", "resource", "field")},
            },
        },
    },
    "required": ["message", "errors"],
}
_RATE = {
    "type": "object",
    "properties": {"error": {"const": "rate limit reached"}},
    "required": ["error"],
}


EXTENSION = "x-pillbox-extension"  # marks what Pillbox serves beyond Capsule's API
EXTENSION_TAG = "Pillbox extensions"


def _tag(path: str) -> str:
    """An operation's tag: the first segment of its path (`parties`, `goals`, …)."""
    return path.strip("/").split("/", 1)[0]


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR_RESPONSES = {
    "400": _json(_ERROR, "Invalid JSON format"),
    "401": _json(_ERROR, "Requires authentication"),
    "403": _json(_ERROR, "Requires additional scope"),
    "404": _json(_ERROR, "Could not find resource"),
    "405": _json(_ERROR, "Method not allowed"),
    "413": _json(_ERROR, "Request body too large"),
    "422": _json(_VALIDATION, "Validation Failed"),
    "429": _json(_RATE, "Rate limit reached"),
}


def _envelope(key: str, schema: Any) -> dict[str, Any]:
    body = {"type": "array", "items": schema[0]} if isinstance(schema, list) else schema
    return {"type": "object", "properties": {key: body}, "required": [key]}


def _choice(name: str, allowed: tuple[str, ...] | None) -> dict[str, Any]:
    """A list's own parameter: one of a few values, or else a boolean flag."""
    schema: dict[str, Any] = (
        {"type": "string", "enum": list(allowed)} if allowed else {"type": "boolean"}
    )
    return {"name": name, "in": "query", "schema": schema}


def _own(param: ListParam | None) -> dict[str, Any] | None:
    if param is None:
        return None
    return {
        "name": param.name,
        "in": "query",
        "schema": param.schema,
        "description": param.description,
    }


def _parameters(endpoint: Endpoint) -> list[dict[str, Any]]:
    choices = dict(endpoint.resource.list_choices) if endpoint.resource else {}
    own = {p.name: p for p in endpoint.resource.list_params} if endpoint.resource else {}
    parameters = [
        dict(QUERY_PARAMETERS.get(name) or _own(own.get(name)) or _choice(name, choices.get(name)))
        for name in endpoint.query
        if name != "embed"
    ]
    if "embed" in endpoint.query and endpoint.resource is not None:
        allowed = ", ".join(sorted(endpoint.resource.embeds))
        parameters.append(
            {
                "name": "embed",
                "in": "query",
                "schema": {"type": "string"},
                "description": f"Comma-separated: {allowed}. Others are ignored.",
            }
        )
    signed = endpoint.resource is not None and endpoint.resource.signed_ids
    if endpoint.path_param == "id":
        schema: dict[str, Any] = (
            {"type": "integer"} if signed else {"type": "integer", "minimum": 1}
        )
        parameters.append({"name": "id", "in": "path", "required": True, "schema": schema})
    elif endpoint.path_param == "ids":
        parameters.append(
            {
                "name": "ids",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": r"^[0-9]+(,[0-9]+){0,9}$"},
                "description": "One id, or up to 10 comma-separated ids.",
            }
        )
    for name in endpoint.extra_path_params:
        parameters.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }
        )
    if endpoint.path_param not in (None, "id", "ids"):
        parameters.append(
            {
                "name": str(endpoint.path_param),
                "in": "path",
                "required": True,
                "schema": {"type": "string"},
            }
        )
    return parameters


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, shape in endpoint.responses.items():
        if shape is None:
            responses[str(status)] = {"description": "No content"}
        elif isinstance(shape, dict):  # a body of its own, not an envelope
            responses[str(status)] = _json(shape, "Success")
        elif isinstance(shape[0], tuple):  # either of several envelopes
            choices = [_envelope(*choice) for choice in shape]
            responses[str(status)] = _json({"oneOf": choices}, "Success")
        else:
            responses[str(status)] = _json(_envelope(*shape), "Success")
    responses.update(ERROR_RESPONSES)
    operation: dict[str, Any] = {
        "operationId": endpoint.operation_id,
        "summary": endpoint.summary,
        "tags": [_tag(endpoint.path)],
        "parameters": _parameters(endpoint),
        "responses": responses,
        "security": [{"bearer": []}],
    }
    if endpoint.description:
        operation["description"] = endpoint.description
    if endpoint.extension:
        operation[EXTENSION] = True
        operation["tags"].append(EXTENSION_TAG)
    model = endpoint.body_model
    if endpoint.request_root and model is not None:
        ref = {"$ref": f"#/components/schemas/{model.__name__}"}
        body = {
            "type": "object",
            "properties": {endpoint.request_root: ref},
            "required": [endpoint.request_root],
        }
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    return operation


def openapi_document(endpoints: list[Endpoint], prefix: str, version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        paths.setdefault(prefix + endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint)
    models = {e.body_model for e in endpoints if e.request_root and e.body_model}
    _, schemas = models_json_schema(
        [(model, "validation") for model in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pillbox — Capsule CRM API v2", "version": version},
        "paths": paths,
        "components": {
            "schemas": schemas.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
