"""/api/v2/titles: the person titles of the account (wrapped as `personTitle(s)`)."""

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas
from pillbox.domain import titles as domain
from pillbox.store import titles as store
from pillbox.wire import titles as wire

TITLES = Resource(
    singular="personTitle",
    plural="personTitles",
    route="/titles",
    name="titles",
    embeds=frozenset(),
    render=wire.render,
    page_ids=store.page_ids,
    wire_schema=schemas.PERSON_TITLE,
    input_model=domain.TitleInput,
    create=domain.create_title,
    delete=domain.delete_title,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = resource_endpoints(TITLES)
