"""Forms: what was typed, kept when the domain refuses it, and its 422 messages by field.

A form is turned into the same camelCase body the API takes and parsed by the same input
model, so a screen gets exactly the API's validation and its messages.
"""

from collections import defaultdict
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.datastructures import FormData, UploadFile

from pillbox.domain.parsing import parse
from pillbox.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)


class FieldErrors(dict[str, list[str]]):
    """Messages by field path ("firstName", "emailAddress.address"); "" holds the form's own."""

    def of(self, *fields: str) -> list[str]:
        return [message for name in fields for message in self.get(name, [])]

    @classmethod
    def of_failure(cls, failure: ValidationFailed) -> "FieldErrors":
        grouped: dict[str, list[str]] = defaultdict(list)
        for error in failure.errors:
            grouped[error.field].append(error.message)
        return cls(grouped)


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def optional(form: FormData, name: str) -> str | None:
    """The trimmed text, or None when left empty (an empty field clears a value)."""
    return text(form, name) or None


def texts(form: FormData, name: str) -> list[str]:
    return [value.strip() for value in form.getlist(name) if isinstance(value, str)]


def upload(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


def as_input(model: type[M], body: dict[str, Any], resource: str) -> M:
    """The API's parse of a write body: a broken rule is the API's ValidationFailed."""
    return parse(model, body, resource)
