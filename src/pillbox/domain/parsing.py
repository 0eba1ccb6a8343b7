"""Reading a write body into a domain input model: a rule broken is a 422 naming the property,
in Capsule's format. Every protocol (v2, v1, the web forms) parses through here."""

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pillbox.errors import FieldError, ValidationFailed

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
