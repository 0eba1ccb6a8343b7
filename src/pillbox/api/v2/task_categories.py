"""/api/v2/categories: task categories."""

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas
from pillbox.domain import task_categories as domain
from pillbox.store import task_categories as store
from pillbox.wire import task_categories as wire

CATEGORIES = Resource(
    singular="category",
    plural="categories",
    embeds=frozenset(),
    render=wire.render,
    page_ids=store.page_ids,
    wire_schema=schemas.CATEGORY,
    input_model=domain.CategoryInput,
    create=domain.create_category,
    update=domain.update_category,
    delete=domain.delete_category,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = resource_endpoints(CATEGORIES)
