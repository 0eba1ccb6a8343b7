"""Write bodies: one root key named after the resource, then the domain's input model.

Anything that is not a JSON object with that root key is a 400; a body that parses but breaks a
rule of the model is a 422 naming the property, in Capsule's format. Properties the model
ignores (unknown or read-only ones, as Capsule ignores them) are named in strict mode.
"""

from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from starlette.requests import Request

from pillbox.api.kit import strict
from pillbox.errors import FieldError, InvalidBody, ValidationFailed

M = TypeVar("M", bound=BaseModel)

# Collections are named in the singular in Capsule's error fields ("phoneNumber.number").
_SINGULAR = {
    "addresses": "address",
    "phoneNumbers": "phoneNumber",
    "websites": "website",
    "emailAddresses": "emailAddress",
    "tags": "tag",
    "fields": "field",
}


async def read_envelope(
    request: Request,
    root: str,
    model: type[M],
    resource: str,
    answered: dict[str, Any] | None = None,
) -> M:
    """The body's `root` object as `model`; `answered`, the schema of what the resource answers
    with, tells strict mode which ignored properties are read-only rather than unknown."""
    raw = await request.body()
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidBody() from None
    if not isinstance(document, dict) or not isinstance(document.get(root), dict):
        raise InvalidBody()
    if b"\\u0000" in raw:
        # PostgreSQL cannot store NUL in text; no real client sends one.
        raise ValidationFailed.single("text may not contain null characters", resource, root)
    data = parse(model, document[root], resource)
    if strict.active():
        strict.note_ignored_properties(document[root], data, root, answered)
    return data


def parse(model: type[M], data: dict[str, Any], resource: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(*(_field_error(e, resource) for e in error.errors())) from None


def _field_path(loc: tuple[int | str, ...]) -> tuple[str, str]:
    names = [str(part) for part in loc if isinstance(part, str) and part not in _NOISE]
    if not names:
        return "", ""
    path = [
        _SINGULAR.get(name, name) if i < len(names) - 1 else name for i, name in enumerate(names)
    ]
    return ".".join(path), names[-1]


_NOISE = {"function-before[_bare_id_as_object(), Ref]", "Ref"}


def _field_error(error: ErrorDetails, resource: str) -> FieldError:
    field, name = _field_path(error["loc"])
    kind = error["type"]
    if kind == "missing":
        message = f"{name} is required"
    elif kind == "string_type":
        message = f"{name} must be a string"
    elif kind == "string_too_long":
        message = f"{name} is too long (maximum is {error['ctx']['max_length']} characters)"
    elif kind == "literal_error":
        message = f"{name} must be one of {error['ctx']['expected']}"
    elif kind in ("int_type", "int_parsing"):
        message = f"{name} must be an integer"
    elif kind == "bool_type":
        message = f"{name} must be true or false"
    else:
        message = f"{name} is invalid"
    return FieldError(message, resource, field)
