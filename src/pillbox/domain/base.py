"""The base input model and the reference forms every write body accepts."""

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt
from pydantic.alias_generators import to_camel

from pillbox.errors import AdminRequired, ValidationFailed
from pillbox.numbers import MAX_ID
from pillbox.store.accounts import Principal

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]


class InputModel(BaseModel):
    """A write body. Unknown and read-only properties are ignored, as Capsule ignores them."""

    model_config = ConfigDict(
        extra="ignore", alias_generator=to_camel, populate_by_name=True, strict=True
    )

    def sent(self, name: str) -> bool:
        """Whether the client sent this property (null included), as opposed to leaving it out."""
        return name in self.model_fields_set


def _bare_id_as_object(value: Any) -> Any:
    # Capsule's own examples write references both as {"id": 5} and as a bare 5.
    if isinstance(value, int) and not isinstance(value, bool):
        return {"id": value}
    return value


class Ref(InputModel):
    """A reference to another record: {"id": N}, a bare N, or, where allowed, {"name": "…"}."""

    id: Id | None = None
    name: Annotated[str, Field(max_length=200)] | None = None


RefIn = Annotated[Ref, BeforeValidator(_bare_id_as_object)]


class CollectionItem(InputModel):
    """An item of a nested collection: no id = add, id = change, id + _delete = remove."""

    id: Id | None = None
    delete: StrictBool = Field(default=False, alias="_delete")


Text = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=100_000)]


def required_name(raw: str | None, resource: str, field: str = "name") -> str:
    """The trimmed name sent; a missing or blank one is a 422 on `field`."""
    name = (raw or "").strip()
    if not name:
        raise ValidationFailed.single(f"{field} is required", resource, field)
    return name


def require_admin(who: Principal) -> None:
    """Account settings are for administrators, as in Capsule."""
    if not who.is_admin:
        raise AdminRequired()
