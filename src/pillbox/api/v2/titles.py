"""/api/v2/titles: the person titles of the account (wrapped as `personTitle(s)`)."""

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2.schemas import INTEGER, STRING, obj
from pillbox.domain import titles as domain
from pillbox.store import titles as store
from pillbox.wire import titles as wire

PERSON_TITLE_SCHEMA = obj({"id": INTEGER, "title": STRING})

TITLES = Resource(
    singular="personTitle",
    plural="personTitles",
    route="/titles",
    name="titles",
    embeds=frozenset(),
    render=wire.render,
    page_ids=store.page_ids,
    wire_schema=PERSON_TITLE_SCHEMA,
    input_model=domain.TitleInput,
    create=domain.create_title,
    delete=domain.delete_title,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = resource_endpoints(TITLES)
