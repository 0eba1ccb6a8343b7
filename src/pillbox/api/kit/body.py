"""Write bodies: one root key named after the resource, then the domain's input model.

Anything that is not a JSON object with that root key is a 400; a body that parses but breaks a
rule of the model is a 422 naming the property, in Capsule's format. Properties the model
ignores (unknown or read-only ones, as Capsule ignores them) are named in strict mode.
"""

from typing import Any, TypeVar

import orjson
from pydantic import BaseModel
from starlette.requests import Request

from pillbox.api.sandbox import findings
from pillbox.domain.parsing import parse
from pillbox.errors import InvalidBody, ValidationFailed

M = TypeVar("M", bound=BaseModel)

__all__ = ["parse", "read_envelope"]


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
    if findings.active():
        findings.note_ignored_properties(document[root], data, root, answered)
    return data
