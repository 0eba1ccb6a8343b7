"""Turning a row's body into the domain's input model, and domain errors into row errors.

A row's body is a write body as the API takes it (snake_case names), and `sources` names the
CSV key each property came from, so that an error can name the column at fault.
"""

import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pillbox.errors import ApiError, NotFound, ValidationFailed
from pillbox.transfer.context import RowError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Sources = dict[str, str]  # "first_name" or "email_addresses.0" -> CSV key

_PLURAL = {
    "address": "addresses",
    "phone_number": "phone_numbers",
    "website": "websites",
    "email_address": "email_addresses",
    "tag": "tags",
    "field": "fields",
}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def validated(model: type[M], body: dict[str, Any], sources: Sources) -> M:
    try:
        return model.model_validate(body)
    except ValidationError as error:
        first = error.errors()[0]
        path = [snake(str(part)) if isinstance(part, str) else str(part) for part in first["loc"]]
        message = first["msg"].removeprefix("Value error, ")
        raise RowError(message, _source(path, sources)) from None


def applied(write: Callable[[], T], sources: Sources) -> T:
    """Runs a domain write; its 422 or 404 becomes a RowError naming the column."""
    try:
        return write()
    except ValidationFailed as error:
        field = error.errors[0].field if error.errors else ""
        path = [snake(part) for part in field.split(".") if part]
        if path:
            path[0] = _PLURAL.get(path[0], path[0])
        message = error.errors[0].message if error.errors else error.message
        raise RowError(message, _source(path, sources)) from None
    except NotFound as error:
        raise RowError(str(error.args[0]) if error.args else "not found", None) from None
    except ApiError as error:
        raise RowError(error.message, None) from None


def _source(path: list[str], sources: Sources) -> str | None:
    for size in range(len(path), 0, -1):
        found = sources.get(".".join(path[:size]))
        if found is not None:
            return found
    head = path[0] if path else ""
    return next((key for name, key in sources.items() if name.startswith(head + ".")), None)
